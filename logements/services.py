"""Writes on the stock and the tenant files: the mobilisation of a dwelling, complaints and their
life (open, in progress, closed with a resolution), arrears balances, caretakers' reports, repayment
plans, FSL aid, the eviction procedure's steps (rules in `logements.procedure`), corrections and
deletions of wrong entries, and allocations. Each write is recorded in the audit trail by auditlog
(the models are registered in comptes.audit). A caretaker's report, a new complaint and an eviction
step are announced with `logements.signaux.evenement_dossier_locatif`. The import of a landlord's
file is in `logements.importation`."""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from accompagnement.enums import ModaliteTempsFort, TypeTempsFort
from comptes.models import Dispositif
from logements import procedure, signaux
from logements.enums import (
    CanalAttribution,
    DecisionCal,
    DecisionFsl,
    EtapeProcedure,
    ModeMobilisation,
    StatutLogement,
    StatutPlanApurement,
    StatutReclamation,
    TypeBail,
    TypeReclamation,
)
from logements.models import (
    AideFsl,
    Attribution,
    Bail,
    EtapeExpulsion,
    Logement,
    MobilisationLogement,
    PlanApurement,
    Reclamation,
    SignalementGardien,
    SoldeLocatif,
    logements_signalables,
    occupant_du_dispositif,
)


@transaction.atomic
def mobiliser_logement(
    *,
    logement: Logement,
    dispositif: Dispositif,
    mode: ModeMobilisation,
    date_mobilisation: datetime.date | None = None,
    commentaire: str = "",
    auteur=None,
) -> MobilisationLogement:
    """Record (or correct) how a dwelling is mobilised for a programme: one mobilisation per
    dwelling and programme."""
    if not dispositif.organisations.filter(pk=logement.bailleur_id).exists():
        raise ValueError(f"{logement.bailleur} ne participe pas au dispositif {dispositif}.")
    existante = MobilisationLogement.objects.select_for_update().filter(
        dispositif=dispositif, logement=logement
    )
    mobilisation = existante.first() or MobilisationLogement(
        dispositif=dispositif, logement=logement, auteur=auteur
    )
    mobilisation.mode = mode
    mobilisation.date_mobilisation = date_mobilisation or timezone.localdate()
    mobilisation.commentaire = commentaire
    mobilisation.full_clean()
    mobilisation.save()
    return mobilisation


def _annoncer(nature, objet, *, menage, logement=None, auteur) -> None:
    signaux.evenement_dossier_locatif.send(
        sender=type(objet), nature=nature, objet=objet, menage=menage, logement=logement, auteur=auteur
    )


@transaction.atomic
def enregistrer_reclamation(
    *, menage, type: TypeReclamation, date: datetime.date, description: str, auteur
) -> Reclamation:
    """Record a tenant's complaint (or one about the tenant) in the tenant file, open, and tell
    the landlord's CESF and the household's referent worker."""
    reclamation = Reclamation(menage=menage, type=type, date=date, description=description, auteur=auteur)
    reclamation.full_clean()
    reclamation.save()
    _annoncer(signaux.RECLAMATION, reclamation, menage=menage, auteur=auteur)
    return reclamation


@transaction.atomic
def prendre_en_charge_reclamation(*, reclamation: Reclamation, auteur, date: datetime.date | None = None):
    """An open complaint is taken in hand (open → in progress)."""
    reclamation = Reclamation.objects.select_for_update().get(pk=reclamation.pk)
    if reclamation.statut != StatutReclamation.OUVERTE:
        raise ValidationError("Seule une réclamation ouverte peut être prise en charge.")
    reclamation.statut = StatutReclamation.EN_COURS
    reclamation.date_prise_en_charge = date or timezone.localdate()
    reclamation.full_clean()
    reclamation.save()
    return reclamation


@transaction.atomic
def clore_entree(*, objet, resolution: str, date_cloture: datetime.date, auteur):
    """Close a complaint (open or in progress) or a caretaker's report with how it was resolved,
    on a day between its own date and today."""
    objet = type(objet).objects.select_for_update().get(pk=objet.pk)
    if not objet.est_ouverte:
        raise ValidationError("Déjà close.")
    erreurs = {}
    if not resolution.strip():
        erreurs["resolution"] = "Indiquez comment la situation a été résolue."
    if date_cloture < objet.date:
        erreurs["date_cloture"] = (
            f"La clôture ne peut pas précéder la date de l’entrée ({objet.date:%d/%m/%Y})."
        )
    elif date_cloture > timezone.localdate():
        erreurs["date_cloture"] = "La date de clôture ne peut pas être dans le futur."
    if erreurs:
        raise ValidationError(erreurs)
    objet.statut = StatutReclamation.TRAITEE
    objet.resolution = resolution.strip()
    objet.date_cloture = date_cloture
    if isinstance(objet, Reclamation):
        objet.date_prise_en_charge = objet.date_prise_en_charge or date_cloture
    objet.full_clean()
    objet.save()
    return objet


@transaction.atomic
def enregistrer_solde(
    *, menage, mois: datetime.date, solde: Decimal, auteur, loyer_charges: Decimal | None = None
) -> SoldeLocatif:
    """Record (or correct) the household's arrears balance for a month, with the rent and charges
    called that month when known (a correction without them keeps those recorded)."""
    mois = mois.replace(day=1)
    existant = SoldeLocatif.objects.select_for_update().filter(menage=menage, mois=mois).first()
    solde_locatif = existant or SoldeLocatif(menage=menage, mois=mois, auteur=auteur)
    solde_locatif.solde = solde
    if loyer_charges is not None:
        solde_locatif.loyer_charges = loyer_charges
    solde_locatif.full_clean()
    solde_locatif.save()
    return solde_locatif


@transaction.atomic
def enregistrer_signalement(
    *, logement: Logement, date: datetime.date, nature: TypeReclamation, texte: str, auteur
) -> SignalementGardien:
    """Record a caretaker's report about a dwelling of his landlord. When a household of the
    programme lives there, the report goes to its tenant file; otherwise it stays on the dwelling
    for the landlord's CESF. Either way the CESF is told, and the caretaker learns nothing of who
    is in the programme."""
    if not logements_signalables(auteur).filter(pk=logement.pk).exists():
        raise ValueError("Ce logement n’appartient pas à votre bailleur.")
    menage = occupant_du_dispositif(logement)
    signalement = SignalementGardien(
        menage=menage, logement=logement, date=date, nature=nature, texte=texte, auteur=auteur
    )
    signalement.full_clean()
    signalement.save()
    _annoncer(signaux.SIGNALEMENT, signalement, menage=menage, logement=logement, auteur=auteur)
    return signalement


def _etapes(menage, sauf=None) -> list[tuple[str, datetime.date]]:
    etapes = EtapeExpulsion.objects.filter(menage=menage).select_for_update()
    if sauf is not None:
        etapes = etapes.exclude(pk=sauf.pk)
    return list(etapes.values_list("etape", "date"))


@transaction.atomic
def enregistrer_etape_expulsion(
    *, menage, etape: EtapeProcedure, date: datetime.date, commentaire: str = "", auteur
) -> tuple[EtapeExpulsion, list[str]]:
    """Add a step to the household's eviction procedure, in its legal order and dated on or after
    the previous one; an eviction carried out during the winter truce is refused. Returns the step
    and the warnings to show (other steps dated during the truce)."""
    from menages.models import Menage

    # One step at a time per household: the order is checked against the steps already there.
    Menage.objects.select_for_update().filter(pk=menage.pk).first()
    avertissements = procedure.verifier_treve(etape, date, timezone.localdate())
    procedure.verifier_nouvelle(_etapes(menage), etape, date)
    objet = EtapeExpulsion(menage=menage, etape=etape, date=date, commentaire=commentaire, auteur=auteur)
    objet.full_clean()
    objet.save()
    _annoncer(signaux.ETAPE_EXPULSION, objet, menage=menage, auteur=auteur)
    return objet, avertissements


def _verifier_plan(plan: PlanApurement) -> None:
    erreurs = {}
    if plan.statut == StatutPlanApurement.EN_COURS:
        plan.date_fin = None
    elif plan.date_fin is None:
        erreurs["date_fin"] = "Indiquez la date à laquelle le plan a été respecté ou rompu."
    elif plan.date_fin < plan.date_debut:
        erreurs["date_fin"] = (
            f"Cette date ne peut pas précéder le début du plan ({plan.date_debut:%d/%m/%Y})."
        )
    elif plan.date_fin > timezone.localdate():
        erreurs["date_fin"] = "Cette date ne peut pas être dans le futur."
    if erreurs:
        raise ValidationError(erreurs)


def _verifier_aide(aide: AideFsl) -> None:
    erreurs = {}
    if aide.decision == DecisionFsl.DEMANDEE:
        aide.date_decision = None
    elif aide.date_decision is None:
        erreurs["date_decision"] = "Indiquez la date de la décision du FSL."
    elif aide.date_decision < aide.date_demande:
        erreurs["date_decision"] = (
            f"La décision ne peut pas précéder la demande ({aide.date_demande:%d/%m/%Y})."
        )
    elif aide.date_decision > timezone.localdate():
        erreurs["date_decision"] = "La date de la décision ne peut pas être dans le futur."
    if erreurs:
        raise ValidationError(erreurs)


@transaction.atomic
def enregistrer_plan(
    *,
    menage,
    date_debut: datetime.date,
    montant_dette: Decimal,
    mensualite: Decimal,
    auteur,
) -> PlanApurement:
    """Record a repayment plan, in progress."""
    plan = PlanApurement(
        menage=menage,
        date_debut=date_debut,
        montant_dette=montant_dette,
        mensualite=mensualite,
        auteur=auteur,
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def changer_statut_plan(
    *, plan: PlanApurement, statut: StatutPlanApurement, date_fin: datetime.date | None, auteur
) -> PlanApurement:
    """A repayment plan respected or broken, on its date (or back in progress, the date cleared)."""
    plan = PlanApurement.objects.select_for_update().get(pk=plan.pk)
    plan.statut, plan.date_fin = statut, date_fin
    _verifier_plan(plan)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def enregistrer_aide_fsl(*, menage, date_demande: datetime.date, montant: Decimal, auteur) -> AideFsl:
    """Record a request to the FSL, awaiting its decision."""
    aide = AideFsl(menage=menage, date_demande=date_demande, montant=montant, auteur=auteur)
    aide.full_clean()
    aide.save()
    return aide


@transaction.atomic
def decider_aide_fsl(
    *, aide: AideFsl, decision: DecisionFsl, date_decision: datetime.date | None, auteur
) -> AideFsl:
    """The FSL's decision on a request (granted or refused), on its date."""
    aide = AideFsl.objects.select_for_update().get(pk=aide.pk)
    aide.decision, aide.date_decision = decision, date_decision
    _verifier_aide(aide)
    aide.full_clean()
    aide.save()
    return aide


@transaction.atomic
def corriger_entree(*, objet, auteur, **champs) -> list[str]:
    """Correct a wrong entry of the tenant file (a complaint, a repayment plan, an FSL aid, an
    eviction step): the same rules as when it was entered; the former values stay in the audit
    trail. Returns the warnings to show (an eviction step dated during the winter truce)."""
    objet = type(objet).objects.select_for_update().get(pk=objet.pk)
    for nom, valeur in champs.items():
        setattr(objet, nom, valeur)
    avertissements = []
    if isinstance(objet, EtapeExpulsion):
        avertissements = procedure.verifier_treve(objet.etape, objet.date, timezone.localdate())
        try:
            procedure.verifier_suite([*_etapes(objet.menage, sauf=objet), (objet.etape, objet.date)])
        except ValidationError as exc:
            raise ValidationError({"etape": exc.messages}) from exc
    elif isinstance(objet, PlanApurement):
        _verifier_plan(objet)
    elif isinstance(objet, AideFsl):
        _verifier_aide(objet)
    elif isinstance(objet, Reclamation) and objet.date_cloture and objet.date_cloture < objet.date:
        raise ValidationError({"date": "La réclamation ne peut pas être datée après sa clôture."})
    objet.full_clean()
    objet.save()
    return avertissements


@transaction.atomic
def supprimer_entree(*, objet, auteur) -> None:
    """Delete an entry recorded by mistake (its values stay in the audit trail). An eviction step
    is deleted only if the rest of the procedure still follows the legal order."""
    if isinstance(objet, EtapeExpulsion):
        try:
            procedure.verifier_suite(_etapes(objet.menage, sauf=objet))
        except ValidationError as exc:
            raise ValidationError(
                "Cette étape ne peut pas être supprimée seule\u00a0: les étapes suivantes en dépendent. "
                "Supprimez d’abord les étapes suivantes."
            ) from exc
    objet.delete()


MOMENTS = (
    ("date_visite", TypeTempsFort.VISITE),
    ("date_bail", TypeTempsFort.SIGNATURE),
    ("date_entree", TypeTempsFort.ENTREE),
)


def _enregistrer_baux(attribution) -> None:
    """Keep the attribution's leases as dated facts (Bail): the lease signed (through IML when the
    attribution is an IML one), and the direct lease when an IML lease glides to the household. A
    date cleared in the attribution removes its lease; the household's other leases are untouched."""
    baux = {
        TypeBail.IML if attribution.iml else TypeBail.DIRECT: attribution.date_bail,
        TypeBail.DIRECT if attribution.iml else TypeBail.IML: None,
    }
    if attribution.iml and attribution.date_glissement:
        baux[TypeBail.DIRECT] = attribution.date_glissement
    for type_bail, jour in baux.items():
        if jour:
            Bail.objects.update_or_create(
                attribution=attribution,
                type=type_bail,
                defaults={"menage_id": attribution.menage_id, "date_signature": jour},
            )
        else:
            for bail in Bail.objects.filter(attribution=attribution, type=type_bail):
                bail.delete()


def canal_propose(menage, logement) -> CanalAttribution:
    """The first channel, in the programme's order of priority, through which `logement` can go
    to `menage`: the contingent préfectoral for a dwelling in it; the rotation of the household's
    landlord's stock; the pooling of both landlords' stock for the other landlord's dwelling;
    a new or adapted dwelling when it was mobilised so."""
    if logement.contingent_prefectoral:
        return CanalAttribution.CONTINGENT_PREFECTORAL
    if menage.bailleur_id and logement.bailleur_id != menage.bailleur_id:
        return CanalAttribution.MISE_EN_COMMUN
    if logement.mobilisations.filter(
        mode__in=(ModeMobilisation.CREATION_OFFRE_NOUVELLE, ModeMobilisation.AMENAGEMENT)
    ).exists():
        return CanalAttribution.OFFRE_NOUVELLE
    return CanalAttribution.ROTATION


def proposition_en_cours(logement, sauf=None):
    """The proposal that reserves `logement` (awaiting its outcome), other than `sauf`, or None."""
    en_cours = Attribution.objects.filter(logement=logement).en_cours().select_related("menage")
    if sauf is not None and sauf.pk:
        en_cours = en_cours.exclude(pk=sauf.pk)
    return en_cours.order_by("date_proposition", "pk").first()


def _canal_avant(attribution):
    """The channel recorded before this change (None for a new proposal)."""
    if attribution.pk is None:
        return None
    return Attribution.objects.filter(pk=attribution.pk).values_list("canal", flat=True).first()


@transaction.atomic
def enregistrer_attribution(*, attribution, auteur, **fields):
    """Record a proposal or its next steps. A dwelling proposed to a household is reserved until
    the outcome (refusal or move-in): no other proposal of it meanwhile. The contingent
    préfectoral channel is for the dwellings in it. The visit, the lease and the move-in become
    (or update) the household's key moments; a move-in after the CAL's decision marks the dwelling
    occupied. A refusal keeps its reason."""
    from accompagnement.models import TempsFort

    for name, value in fields.items():
        setattr(attribution, name, value)
    if attribution.est_en_cours:
        # Lock the dwelling so that two proposals made at the same time cannot both pass.
        type(attribution.logement).objects.select_for_update().get(pk=attribution.logement_id)
        autre = proposition_en_cours(attribution.logement, sauf=attribution)
        if autre is not None:
            raise ValidationError(
                {
                    NON_FIELD_ERRORS: "Ce logement est déjà proposé à un autre ménage depuis le "
                    f"{autre.date_proposition:%d/%m/%Y} : il reste réservé jusqu’à l’issue de cette "
                    "proposition (refus ou entrée dans les lieux)."
                }
            )
    erreurs = {}
    if (
        attribution.canal == CanalAttribution.CONTINGENT_PREFECTORAL
        and not attribution.logement.contingent_prefectoral
        # A proposal made through the contingent keeps its channel if the dwelling leaves it.
        and _canal_avant(attribution) != CanalAttribution.CONTINGENT_PREFECTORAL
    ):
        erreurs["canal"] = "Ce logement n’appartient pas au contingent préfectoral."
    if attribution.decision_cal == DecisionCal.REFUSEE and not attribution.motif_refus.strip():
        erreurs["motif_refus"] = "Indiquez le motif du refus."
    if erreurs:
        raise ValidationError(erreurs)
    if attribution.date_entree and attribution.decision_cal != DecisionCal.ACCEPTEE:
        raise ValidationError(
            {"date_entree": "L’entrée dans les lieux suit une attribution prononcée par la CAL."}
        )
    if not attribution.pk:
        attribution.auteur = auteur
    attribution.full_clean()
    attribution.save()
    today = timezone.localdate()
    for champ, type_moment in MOMENTS:
        jour = getattr(attribution, champ)
        if jour:
            quand = timezone.make_aware(datetime.datetime.combine(jour, datetime.time(10)))
            valeurs = {"date_prevue": quand, "realise": jour <= today}
            # The glide's signature (glisser_bail) is a key moment of its own, never moved here.
            moments = TempsFort.objects.filter(menage=attribution.menage, type=type_moment).exclude(
                commentaire=COMMENTAIRE_GLISSEMENT
            )
            # Saved one by one, never with a queryset update: the lease recorded from a « signature
            # du bail » key moment (logements.baux, on post_save) must follow it, so that the
            # attribution's lease is not recorded a second time from its key moment.
            moments = list(moments)
            for moment in moments:
                for champ_moment, valeur in valeurs.items():
                    setattr(moment, champ_moment, valeur)
                moment.save(update_fields=list(valeurs))
            if not moments:
                TempsFort.objects.create(
                    menage=attribution.menage,
                    type=type_moment,
                    modalite=ModaliteTempsFort.AVEC_ASSOCIATION,
                    **valeurs,
                )
    _enregistrer_baux(attribution)
    if attribution.date_entree and attribution.date_entree <= today:
        type(attribution.logement).objects.filter(pk=attribution.logement_id).update(
            statut=StatutLogement.OCCUPE
        )
    return attribution


COMMENTAIRE_GLISSEMENT = "Glissement du bail : le ménage devient locataire en titre."


def mesure_iml_a_glisser(menage):
    """The household's latest IML measure if its lease has not glided yet (no direct lease signed
    since the measure began), or None."""
    from accompagnement.models import MesureIml

    mesure = (
        MesureIml.objects.filter(accompagnement__menage=menage)
        .select_related("accompagnement", "partenaire")
        .order_by("-date_debut_contrat", "-pk")
        .first()
    )
    if (
        mesure is None
        or Bail.objects.filter(
            menage=menage, type=TypeBail.DIRECT, date_signature__gte=mesure.date_debut_contrat
        ).exists()
    ):
        return None
    return mesure


@transaction.atomic
def glisser_bail(*, mesure, jour: datetime.date, auteur) -> Bail:
    """The IML glide: on `jour`, the sub-let (the lease held by the IML partner) becomes the
    household's own direct lease. The direct lease is recorded as a dated fact (Bail, which the
    funders' *access achieved* counts), on the IML attribution when there is one (its glide date);
    the measure ends that day; the signature becomes a key moment of the household."""
    from accompagnement.models import TempsFort

    menage = mesure.accompagnement.menage
    if mesure_iml_a_glisser(menage) != mesure:
        raise ValidationError("Le bail de cette mesure d’IML a déjà glissé au ménage.")
    if jour < mesure.date_debut_contrat:
        raise ValidationError(
            {"jour": f"Le glissement suit le début du contrat d’IML ({mesure.date_debut_contrat:%d/%m/%Y})."}
        )
    if jour > timezone.localdate():
        raise ValidationError(
            {"jour": "Le glissement s’enregistre une fois le bail signé : la date ne peut pas être à venir."}
        )
    attribution = (
        Attribution.objects.select_for_update()
        .filter(menage=menage, iml=True, decision_cal=DecisionCal.ACCEPTEE)
        .order_by("-date_proposition", "-pk")
        .first()
    )
    if attribution is not None:
        attribution.date_glissement = jour
        attribution.full_clean()
        attribution.save(update_fields=["date_glissement"])
        _enregistrer_baux(attribution)
        bail = Bail.objects.get(attribution=attribution, type=TypeBail.DIRECT)
    else:
        bail = Bail.objects.create(menage=menage, type=TypeBail.DIRECT, date_signature=jour)
    mesure.date_fin_contrat = jour
    mesure.save(update_fields=["date_fin_contrat"])
    # The key moment records no second lease (logements.baux): the attribution's glide holds that
    # day's direct lease; without an attribution, the lease just recorded becomes the key moment's.
    TempsFort.objects.create(
        menage=menage,
        type=TypeTempsFort.SIGNATURE,
        date_prevue=timezone.make_aware(datetime.datetime.combine(jour, datetime.time(10))),
        realise=True,
        modalite=ModaliteTempsFort.AVEC_ASSOCIATION,
        commentaire=COMMENTAIRE_GLISSEMENT,
    )
    return bail
