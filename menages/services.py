"""Writes on households. Each service runs in a transaction and checks the rule it enforces; the
audit trail (django-auditlog) records every change with its author."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from comptes.enums import Role
from comptes.models import Dispositif, Organisation
from menages import selectors, workflow
from menages.enums import (
    DecisionFinanceur,
    EtatParcours,
    ModeReponse,
    MotifRefus,
    Partenaire,
    TypeDiagnostic,
    TypeIntervention,
)
from menages.models import (
    CompteurReference,
    ConsentementPartage,
    Diagnostic,
    EvenementParcours,
    Intervenant,
    Menage,
    PreDiagnostic,
    ProblemeMenage,
    Saisine,
    ValidationFinanceur,
)


def _compteur_verrouille(dispositif: Dispositif, year: int) -> CompteurReference:
    """The programme's counter of the year, created if need be and locked until the end of the
    transaction. Two transactions creating the first counter of a year at once: one insert wins, the
    other fails on the unique constraint (inside its own savepoint) and reads the winner's row."""
    for _essai in range(3):
        try:
            compteur, _created = CompteurReference.objects.select_for_update().get_or_create(
                dispositif=dispositif, annee=year
            )
        except IntegrityError:
            continue
        return compteur
    raise RuntimeError(f"Compteur de références introuvable ({dispositif.pk}, {year}).")


def next_reference(dispositif: Dispositif, year: int) -> str:
    """The next reference of the programme in the year, e.g. ASEA-2026-0007: the programme's prefix
    and its own numbering per year, taken from its counter row locked until the transaction ends.
    Call inside a transaction (creer_menage does): outside one, the lock is refused. A number already held by a household (a reference
    typed or imported by hand) is skipped."""
    compteur = _compteur_verrouille(dispositif, year)
    prefix = f"{dispositif.prefixe_reference}-{year}-"
    numero = compteur.dernier + 1
    while Menage.objects.filter(reference=f"{prefix}{numero:04d}").exists():
        numero += 1
    compteur.dernier = numero
    compteur.save(update_fields=["dernier"])
    return f"{prefix}{numero:04d}"


def reserver_references(*, dispositif: Dispositif, annees: list[int]) -> list[str]:
    """The next references of the programme for households created at once (an import), one per
    entry of `annees` (the year of each household's referral), in that order: the same numbering as
    `next_reference`, each year's counter locked once and moved past them all. Call inside a
    transaction."""
    references = {}
    for year in sorted(set(annees)):
        compteur = _compteur_verrouille(dispositif, year)
        prefix = f"{dispositif.prefixe_reference}-{year}-"
        pris = set(Menage.objects.filter(reference__startswith=prefix).values_list("reference", flat=True))
        numero, suite = compteur.dernier, []
        for _rang in range(annees.count(year)):
            numero += 1
            while f"{prefix}{numero:04d}" in pris:
                numero += 1
            suite.append(f"{prefix}{numero:04d}")
        compteur.dernier = numero
        compteur.save(update_fields=["dernier"])
        references[year] = iter(suite)
    return [next(references[year]) for year in annees]


def _record_event(menage, *, etat_avant, auteur, motif="", date=None):
    return EvenementParcours.objects.create(
        menage=menage,
        numero_parcours=menage.numero_parcours,
        etat_avant=etat_avant,
        etat_apres=menage.etat,
        auteur=auteur,
        motif=motif,
        date=date or timezone.now(),
    )


# The household's fields that are facts of its current path's referral (Saisine).
CHAMPS_SAISINE = ("date_saisine", "source_orientation", "problematique", "bailleur")


def _enregistrer_saisine(menage: Menage) -> Saisine:
    """Record (or correct) the referral facts of the household's current path. Only the current
    path's row is written: the referrals of earlier paths are never rewritten."""
    faits = Saisine.du_parcours_actuel(menage)
    saisine, _created = Saisine.objects.update_or_create(
        menage=menage,
        numero_parcours=menage.numero_parcours,
        defaults={
            "date": faits.date,
            "source_orientation": faits.source_orientation,
            "problematique": faits.problematique,
            "bailleur_id": faits.bailleur_id,
        },
    )
    return saisine


def set_problemes(menage: Menage, codes) -> None:
    codes = set(codes)
    for probleme in menage.problemes.exclude(code__in=codes):
        probleme.delete()
    existing = set(menage.problemes.values_list("code", flat=True))
    for code in sorted(codes - existing):
        ProblemeMenage.objects.create(menage=menage, code=code)


@transaction.atomic
def creer_menage(
    *,
    dispositif: Dispositif,
    auteur=None,
    problemes=(),
    date_saisine: datetime.date | None = None,
    consentement_bailleur: str | None = None,
    **fields,
) -> Menage:
    """Create a household at the referral step. Its author keeps access to it: a social worker
    becomes its référent; landlord staff create it for their own landlord, and see its file when
    the household consents to sharing with the landlord (`consentement_bailleur`: the version of
    the notice it was given, recorded as its consent today)."""
    menage = Menage(dispositif=dispositif, cree_par=auteur, **fields)
    if date_saisine:
        menage.date_saisine = date_saisine
    if auteur is not None and auteur.est_personnel_bailleur:
        menage.bailleur = auteur.organisation
    menage.reference = next_reference(dispositif, menage.date_saisine.year)
    menage.full_clean()
    menage.save()
    set_problemes(menage, problemes)
    _enregistrer_saisine(menage)
    _record_event(menage, etat_avant="", auteur=auteur, motif="Saisine du dispositif")
    if auteur is not None and auteur.has_role(Role.TRAVAILLEUR_SOCIAL):
        ajouter_intervenant(menage=menage, type=TypeIntervention.REFERENT, utilisateur=auteur)
    elif auteur is not None and auteur.has_role(Role.CESF) and auteur.est_personnel_bailleur:
        ajouter_intervenant(menage=menage, type=TypeIntervention.CESF, utilisateur=auteur)
    if consentement_bailleur:
        enregistrer_consentement(
            menage=menage,
            partenaire=Partenaire.BAILLEUR,
            date_consentement=timezone.localdate(),
            version_notice=consentement_bailleur,
            auteur=auteur,
        )
    return menage


@transaction.atomic
def modifier_menage(*, menage: Menage, problemes=None, **fields) -> Menage:
    """Update the household; a change of its referral facts corrects its current path's referral."""
    for name, value in fields.items():
        setattr(menage, name, value)
    menage.full_clean()
    menage.save()
    if set(CHAMPS_SAISINE) & set(fields):
        _enregistrer_saisine(menage)
    if problemes is not None:
        set_problemes(menage, problemes)
    return menage


@transaction.atomic
def ajouter_intervenant(
    *,
    menage: Menage,
    type: TypeIntervention,
    organisation: Organisation | None = None,
    utilisateur=None,
    nom_externe: str = "",
    fonction: str = "",
    date_debut: datetime.date | None = None,
) -> Intervenant:
    intervenant = Intervenant(
        menage=menage,
        type=type,
        organisation=organisation or (utilisateur.organisation if utilisateur else None),
        utilisateur=utilisateur,
        nom_externe=nom_externe,
        fonction=fonction,
    )
    if date_debut:
        intervenant.date_debut = date_debut
    intervenant.full_clean()
    intervenant.save()
    return intervenant


@transaction.atomic
def terminer_intervenant(*, intervenant: Intervenant) -> Intervenant:
    """End an intervention today (on its first day if it starts later). It stays in the file's
    history; the access it gave ends with it (`MenageQuerySet.visible_to`), from the next day."""
    intervenant = Intervenant.objects.select_for_update().get(pk=intervenant.pk)
    if intervenant.date_fin is not None:
        raise ValidationError("Cette intervention est déjà terminée.")
    intervenant.date_fin = max(timezone.localdate(), intervenant.date_debut)
    intervenant.save(update_fields=["date_fin"])
    return intervenant


class TransitionRefusee(ValidationError):
    """A step change that the path does not allow, or whose requirement is not met. A requirement
    met on another page has a `code` by which the views link to that page (`views.REMEDES`)."""


def validations_manquantes(menage: Menage) -> list[Organisation]:
    """Required funders that have not validated the household's current path."""
    requis = list(menage.dispositif.financeurs_validation_requise.all())
    valides = set(
        menage.validations.filter(
            numero_parcours=menage.numero_parcours, decision=DecisionFinanceur.VALIDEE
        ).values_list("financeur_id", flat=True)
    )
    return [f for f in requis if f.pk not in valides]


def _check_decision(
    menage: Menage, depuis: str, vers: str, *, auteur, decision, correction: str, motif_refus
):
    """A step that follows a committee decision needs that decision (the decided agenda item, for
    this household), or an administrator's correction with its written reason."""
    if not workflow.demande_une_decision(depuis, vers, motif_refus):
        return
    if decision is not None:
        if not decision.est_decide or decision.menage_id != menage.pk:
            raise TransitionRefusee(
                "Cette étape suit une décision enregistrée du comité de suivi pour ce ménage."
            )
        return
    if auteur is not None and auteur.est_administrateur and correction.strip():
        return
    if (depuis, vers) == workflow.RETOUR_AU_DIAGNOSTIC:
        raise TransitionRefusee(
            "Un dossier proposé revient au diagnostic approfondi quand le comité de suivi ajourne sa "
            "proposition : le retour se fait depuis l’ajournement, avec son motif.",
            code="ajournement",
        )
    raise TransitionRefusee(
        f"L’étape « {EtatParcours(vers).label} » suit une décision du comité de suivi (en séance ou "
        "par consultation urgente) : demandez au comité d’examiner le dossier.",
        code="comite",
    )


def _check_requirements(menage: Menage, vers: str, *, motif: str, motif_sortie: str, motif_refus: str):
    parcours = menage.numero_parcours
    if (
        vers == EtatParcours.VALIDATION_FINANCEURS
        and not menage.pre_diagnostics.filter(numero_parcours=parcours, propose=True).exists()
    ):
        raise TransitionRefusee(
            "Un pré-diagnostic proposant le ménage est nécessaire avant les financeurs.",
            code="pre_diagnostic",
        )
    if vers == EtatParcours.DIAGNOSTIC and menage.etat == EtatParcours.VALIDATION_FINANCEURS:
        if menage.validations.filter(numero_parcours=parcours, decision=DecisionFinanceur.REFUSEE).exists():
            raise TransitionRefusee("Un financeur a refusé ce ménage : enregistrez un refus.", code="refus")
        manquants = validations_manquantes(menage)
        if manquants:
            noms = ", ".join(str(f) for f in manquants)
            raise TransitionRefusee(
                f"La validation de ces financeurs manque encore : {noms}.", code="validations_manquantes"
            )
    if vers == EtatParcours.PROPOSITION_COMITE:
        diagnostic = menage.diagnostics.filter(numero_parcours=parcours, type=TypeDiagnostic.ENTREE).first()
        if diagnostic is None or not diagnostic.niveau_propose:
            raise TransitionRefusee(
                "Le diagnostic approfondi, avec le niveau proposé, doit être enregistré.", code="diagnostic"
            )
        if menage.date_adhesion is None:
            raise TransitionRefusee(
                "Enregistrez d’abord la date d’adhésion du ménage à l’accompagnement.", code="date_adhesion"
            )
    if (menage.etat, vers) == workflow.RETOUR_AU_DIAGNOSTIC and not motif.strip():
        raise TransitionRefusee(
            "Indiquez pourquoi le dossier revient au diagnostic : ce que le comité demande de compléter."
        )
    if vers == EtatParcours.CLOS and not motif_sortie:
        raise TransitionRefusee("Le motif de sortie est obligatoire pour clore.")
    if vers == EtatParcours.REFUSE and not motif_refus:
        raise TransitionRefusee("Le motif du refus est obligatoire.")
    if (
        vers == EtatParcours.REFUSE
        and motif_refus == MotifRefus.REFUS_FINANCEURS
        and not menage.validations.filter(
            numero_parcours=parcours, decision=DecisionFinanceur.REFUSEE
        ).exists()
    ):
        raise TransitionRefusee(
            "Aucun refus de financeur n’est enregistré pour ce parcours : saisissez d’abord la réponse reçue.",
            code="reponse_financeur",
        )


@transaction.atomic
def changer_etat(
    *,
    menage: Menage,
    vers: str,
    auteur,
    motif: str = "",
    motif_sortie: str = "",
    motif_refus: str = "",
    decision=None,
    correction: str = "",
) -> EvenementParcours:
    """Move a household to the next step of its path, if the path allows it and its requirements
    are met, and record the dated event with its author and reason. A step that follows a committee
    decision needs `decision` (the decided agenda item) or an administrator's `correction` (its
    written reason); the submission to the funders goes only through `demander_validations`."""
    return _changer_etat(
        menage=menage,
        vers=vers,
        auteur=auteur,
        motif=motif,
        motif_sortie=motif_sortie,
        motif_refus=motif_refus,
        decision=decision,
        correction=correction,
    )


@transaction.atomic
def _changer_etat(
    *,
    menage: Menage,
    vers: str,
    auteur,
    motif: str = "",
    motif_sortie: str = "",
    motif_refus: str = "",
    decision=None,
    correction: str = "",
    par_soumission: bool = False,
) -> EvenementParcours:
    """changer_etat, and the submission to the funders for demander_validations (`par_soumission`)
    once it has checked the file."""
    menage = Menage.objects.select_for_update().get(pk=menage.pk)
    depuis = menage.etat
    if not workflow.is_allowed(depuis, vers):
        raise TransitionRefusee(
            f"Passage impossible de « {EtatParcours(depuis).label} » à « {EtatParcours(vers).label} »."
        )
    if vers in workflow.ETATS_PAR_SOUMISSION and not par_soumission:
        raise TransitionRefusee(
            "Le ménage est soumis aux financeurs par « Soumettre aux financeurs », qui vérifie le "
            "dossier et leur écrit.",
            code="soumission",
        )
    _check_decision(
        menage, depuis, vers, auteur=auteur, decision=decision, correction=correction, motif_refus=motif_refus
    )
    _check_requirements(menage, vers, motif=motif, motif_sortie=motif_sortie, motif_refus=motif_refus)
    if vers == EtatParcours.SAISINE:
        menage.numero_parcours += 1
        menage.date_saisine = timezone.localdate()
        menage.motif_sortie = ""
        menage.motif_refus = ""
        menage.niveau = ""
    if vers == EtatParcours.CLOS:
        menage.motif_sortie = motif_sortie
    if vers == EtatParcours.REFUSE:
        menage.motif_refus = motif_refus
    menage.etat = vers
    menage.save()
    if vers == EtatParcours.SAISINE:
        # A re-entry: the new path gets its own referral, which the household's form then completes.
        _enregistrer_saisine(menage)
    return _record_event(menage, etat_avant=depuis, auteur=auteur, motif=motif)


@transaction.atomic
def enregistrer_pre_diagnostic(*, menage: Menage, auteur, instance: PreDiagnostic | None = None, **fields):
    """Record (or update) a pre-diagnostic; the household moves to the pre-diagnostic step if it
    was only referred."""
    pre = instance or PreDiagnostic(menage=menage, numero_parcours=menage.numero_parcours, auteur=auteur)
    if not instance and not fields.get("confidentialite"):
        fields["confidentialite"] = PreDiagnostic.confidentialite_par_defaut(auteur)
    pre.organisation = pre.organisation if instance else auteur.organisation
    for name, value in fields.items():
        setattr(pre, name, value)
    pre.full_clean()
    pre.save()
    if menage.etat == EtatParcours.SAISINE:
        changer_etat(menage=menage, vers=EtatParcours.PRE_DIAGNOSTIC, auteur=auteur, motif="Pré-diagnostic")
        menage.refresh_from_db()
    return pre


@transaction.atomic
def demander_validations(*, menage: Menage, auteur) -> list[ValidationFinanceur]:
    """Ask every representative of the required funders (of every funder of the programme if none
    is required) to validate the household, by email with signed links; the household moves to the
    funders' validation step, once its file holds what the email is written from. A representative
    already asked and who has not answered is not written to again."""
    from comptes.taches import enqueue
    from menages.tasks import envoyer_demande_validation

    if not selectors.consent_aux_financeurs(menage):
        raise TransitionRefusee(
            "Le ménage n’a pas consenti au partage de son résumé avec les financeurs : "
            "enregistrez d’abord son consentement."
        )
    if menage.etat == EtatParcours.PRE_DIAGNOSTIC:
        manques = selectors.manques_pour_financeurs(menage)
        if manques:
            raise TransitionRefusee(
                "Il manque au dossier ce que les financeurs doivent lire : "
                + " ".join(m.libelle for m in manques)
            )
        _changer_etat(
            menage=menage, vers=EtatParcours.VALIDATION_FINANCEURS, auteur=auteur, par_soumission=True
        )
        menage.refresh_from_db()
    elif menage.etat != EtatParcours.VALIDATION_FINANCEURS:
        raise TransitionRefusee("Ce ménage n’en est pas à l’étape de la validation par les financeurs.")

    financeurs = selectors.financeurs_a_solliciter(menage)
    deja = set(
        menage.validations.en_attente()
        .filter(numero_parcours=menage.numero_parcours)
        .values_list("destinataire_id", flat=True)
    )
    creees = []
    for financeur in financeurs:
        for representant in selectors.representants_financeur(financeur):
            if representant.pk in deja:
                continue
            validation = ValidationFinanceur.objects.create(
                menage=menage,
                numero_parcours=menage.numero_parcours,
                financeur=financeur,
                destinataire=representant,
                demandee_par=auteur,
            )
            creees.append(validation)
            transaction.on_commit(lambda pk=validation.pk: enqueue(envoyer_demande_validation, pk))
    if not creees and not deja:
        raise TransitionRefusee(
            "Aucun représentant de financeur avec une adresse électronique : "
            "enregistrez les réponses à la main."
        )
    return creees


class ReponseImpossible(Exception):
    """An answer that cannot be recorded (already answered, household no longer waiting)."""


@transaction.atomic
def repondre_validation(
    *, validation: ValidationFinanceur, decision: str, commentaire: str = "", mode: str, saisie_par=None
) -> ValidationFinanceur:
    """Record a funder's answer, once."""
    validation = ValidationFinanceur.objects.select_for_update().get(pk=validation.pk)
    if not validation.en_attente:
        raise ReponseImpossible(
            "Une réponse a déjà été enregistrée le "
            f"{timezone.localtime(validation.repondue_le):%d/%m/%Y à %H:%M} "
            f"({validation.get_decision_display().lower()}). Ce lien ne peut servir qu’une fois."
        )
    if decision not in {DecisionFinanceur.VALIDEE, DecisionFinanceur.REFUSEE}:
        raise ReponseImpossible("Réponse inconnue.")
    validation.decision = decision
    validation.commentaire = commentaire.strip()
    validation.repondue_le = timezone.now()
    validation.mode_reponse = mode
    validation.saisie_par = saisie_par
    validation.save()
    return validation


@transaction.atomic
def enregistrer_reponse_manuelle(
    *, menage: Menage, financeur: Organisation, decision: str, commentaire: str, auteur
) -> ValidationFinanceur:
    """An answer received by other means (phone, letter, meeting), entered by a professional."""
    validation = menage.validations.en_attente().filter(
        numero_parcours=menage.numero_parcours, financeur=financeur
    ).first() or ValidationFinanceur.objects.create(
        menage=menage, numero_parcours=menage.numero_parcours, financeur=financeur, demandee_par=auteur
    )
    return repondre_validation(
        validation=validation,
        decision=decision,
        commentaire=commentaire,
        mode=ModeReponse.SAISIE,
        saisie_par=auteur,
    )


@transaction.atomic
def enregistrer_diagnostic(
    *, menage: Menage, auteur, instance: Diagnostic | None = None, communes=None, **fields
):
    diagnostic = instance or Diagnostic(menage=menage, numero_parcours=menage.numero_parcours, auteur=auteur)
    for name, value in fields.items():
        setattr(diagnostic, name, value)
    diagnostic.full_clean()
    diagnostic.save()
    if communes is not None:
        diagnostic.besoin_communes.set(communes)
    return diagnostic


class ConsentementRefuse(Exception):
    """A consent that cannot be recorded or withdrawn as asked (already given, already withdrawn)."""


@transaction.atomic
def enregistrer_consentement(
    *, menage: Menage, partenaire: str, date_consentement: datetime.date, version_notice: str, auteur
) -> ConsentementPartage:
    """Record the household's consent to sharing its file with `partenaire`, with the version of
    the information notice it was given. The partner sees the file from the next request."""
    Menage.objects.select_for_update().get(pk=menage.pk)
    if menage.consentements.actifs().filter(partenaire=partenaire).exists():
        raise ConsentementRefuse("Le consentement au partage avec ce partenaire est déjà enregistré.")
    if date_consentement > timezone.localdate():
        raise ConsentementRefuse("La date du consentement ne peut pas être dans le futur.")
    consentement = ConsentementPartage(
        menage=menage,
        partenaire=partenaire,
        date_consentement=date_consentement,
        version_notice=version_notice.strip(),
        enregistre_par=auteur,
    )
    consentement.full_clean()
    consentement.save()
    return consentement


@transaction.atomic
def retirer_consentement(*, consentement: ConsentementPartage, auteur) -> ConsentementPartage:
    """The household withdraws its consent to sharing with a partner: it applies at once (the
    partner's next request no longer finds the social file, `MenageQuerySet.visible_to`)."""
    consentement = ConsentementPartage.objects.select_for_update().get(pk=consentement.pk)
    if consentement.date_retrait is not None:
        raise ConsentementRefuse(
            f"Ce consentement a déjà été retiré le {consentement.date_retrait:%d/%m/%Y}."
        )
    consentement.date_retrait = max(timezone.localdate(), consentement.date_consentement)
    consentement.retire_par = auteur
    consentement.retire_le = timezone.now()
    consentement.save()
    return consentement
