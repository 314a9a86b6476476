"""Writes on support episodes, objectives, contacts, key moments and documents. Each service runs
in a transaction and enforces its rule; the audit trail records the change and its author."""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accompagnement.enums import OrigineChangementNiveau, SituationSortie
from accompagnement.models import (
    Accompagnement,
    ChangementNiveau,
    ChangementRythme,
    Contact,
    Document,
    HistoriqueObjectif,
    MesureIml,
    Objectif,
    planned_end,
)
from accompagnement.permissions import can_change_document
from accompagnement.selectors import responsables_prochaine_etape
from comptes.enums import CodeNiveau
from comptes.models import NiveauAccompagnement
from menages import services as menages_services
from menages.enums import EtatParcours


class RegleNonRespectee(ValidationError):
    """A write that breaks a rule of the programme; its message is shown to the user."""


class Conflit(Exception):
    """Someone else saved the record since the form was opened."""


def niveau_du_dispositif(dispositif, code) -> NiveauAccompagnement:
    try:
        return dispositif.niveaux.get(code=code)
    except NiveauAccompagnement.DoesNotExist as exc:
        raise RegleNonRespectee("Ce niveau n’est pas paramétré pour ce dispositif.") from exc


def fin_prevue(
    niveau: NiveauAccompagnement, date_debut: datetime.date, duree_mois: int | None
) -> datetime.date:
    """The planned end of a level starting on `date_debut`, from the programme's level settings:
    a duration within the level's bounds, or the level's maximum when none is given."""
    if duree_mois is None:
        duree_mois = niveau.duree_max_mois
    if duree_mois is None:
        raise RegleNonRespectee(
            f"La durée du niveau « {niveau.libelle} » est fixée par le comité : indiquez-la."
        )
    if niveau.duree_max_mois is not None and duree_mois > niveau.duree_max_mois:
        raise RegleNonRespectee(
            f"Le niveau « {niveau.libelle} » dure au plus {niveau.duree_max_mois} mois "
            f"(demandé : {duree_mois} mois)."
        )
    if niveau.duree_min_mois is not None and duree_mois < niveau.duree_min_mois:
        raise RegleNonRespectee(f"Le niveau « {niveau.libelle} » dure au moins {niveau.duree_min_mois} mois.")
    if duree_mois < 1:
        raise RegleNonRespectee("La durée doit être d’au moins un mois.")
    return planned_end(date_debut, duree_mois)


def _origine(*, decision, correction: str, auteur, entree: bool = False) -> str:
    """Where a level comes from: the committee decision that made it, or an administrator's
    correction with its written reason. Nothing else gives a level, whatever the view."""
    if decision is not None:
        if not decision.est_decide:
            raise RegleNonRespectee("Le niveau suit une décision enregistrée du comité de suivi.")
        return OrigineChangementNiveau.ENTREE if entree else OrigineChangementNiveau.COMITE
    if not (auteur and auteur.est_administrateur):
        raise RegleNonRespectee(
            "Un niveau ne commence ou ne change que par décision du comité de suivi "
            "ou correction d’un administrateur."
        )
    if not correction.strip():
        raise RegleNonRespectee("Le motif de la correction par un administrateur est obligatoire.")
    return OrigineChangementNiveau.ADMINISTRATEUR


@transaction.atomic
def demarrer_accompagnement(
    *,
    menage,
    niveau: str,
    date_debut: datetime.date,
    auteur,
    rythme: str,
    decision=None,
    correction: str = "",
    motif: str = "",
    duree_mois: int | None = None,
    iml: dict | None = None,
    date_decision: datetime.date | None = None,
) -> Accompagnement:
    """Start the support decided by the committee (`decision`, the decided agenda item) or set by an
    administrator's correction (`correction`, its written reason): the household enters the support
    step, and a new episode holds its level, dates and rythme (and its IML for the reinforced
    level)."""
    origine = _origine(decision=decision, correction=correction, auteur=auteur, entree=True)
    if origine == OrigineChangementNiveau.ADMINISTRATEUR:
        motif = correction.strip()
    parametres = niveau_du_dispositif(menage.dispositif, niveau)
    if niveau == CodeNiveau.RELAIS_SORTANT:
        raise RegleNonRespectee("Le relais sortant suit un accompagnement renforcé : changez le niveau.")
    if parametres.avec_iml and not iml:
        raise RegleNonRespectee("Le niveau renforcé s’accompagne d’une mesure d’intermédiation locative.")
    date_fin_prevue = fin_prevue(parametres, date_debut, duree_mois)
    menages_services.changer_etat(
        menage=menage,
        vers=EtatParcours.ACCOMPAGNEMENT,
        auteur=auteur,
        motif=motif,
        decision=decision,
        correction=correction,
    )
    accompagnement = Accompagnement.objects.create(
        menage=menage,
        numero_parcours=menage.numero_parcours,
        niveau=niveau,
        date_debut=date_debut,
        date_fin_prevue=date_fin_prevue,
        rythme=rythme,
    )
    ChangementNiveau.objects.create(
        accompagnement=accompagnement,
        nouveau_niveau=niveau,
        date_effet=date_debut,
        date_decision=date_decision or timezone.localdate(),
        date_fin_prevue=date_fin_prevue,
        origine=origine,
        decision=decision,
        motif=motif,
        auteur=auteur,
    )
    ChangementRythme.objects.create(
        accompagnement=accompagnement, rythme=rythme, date=date_debut, auteur=auteur
    )
    if iml:
        MesureIml.objects.create(accompagnement=accompagnement, **iml)
    type(menage).objects.filter(pk=menage.pk).update(niveau=niveau)
    return accompagnement


def verifier_duree_totale(*, accompagnement, parametres, date_effet, date_fin_prevue, decision) -> None:
    """A level with a maximum (level 2: 12 months) is counted over the whole episode: the days
    already spent in it, renewals included, plus the new period. Beyond the maximum, the committee's
    decision must carry an explicit derogation with its reason."""
    if parametres.duree_max_mois is None or decision is None:
        return
    changements = sorted(
        accompagnement.changements_niveau.filter(date_effet__lt=date_effet),
        key=lambda c: (c.date_effet, c.pk),
    )
    jours = 0
    premier = None
    for changement, suivant in zip(changements, [*changements[1:], None][: len(changements)], strict=True):
        if changement.nouveau_niveau != parametres.code:
            continue
        premier = premier or changement.date_effet
        jours += ((suivant.date_effet if suivant else date_effet) - changement.date_effet).days
    if not jours:
        return
    jours += (date_fin_prevue - date_effet).days + 1
    maximum = (planned_end(premier, parametres.duree_max_mois) - premier).days + 1
    if jours > maximum and not (decision.derogation_duree and decision.derogation_motif.strip()):
        raise RegleNonRespectee(
            f"Le niveau « {parametres.libelle} » dure au plus {parametres.duree_max_mois} mois en tout, "
            f"renouvellements compris : avec ce renouvellement, il durerait {jours} jours "
            f"(au plus {maximum}). Le comité doit accorder une dérogation motivée."
        )


@transaction.atomic
def changer_niveau(
    *,
    accompagnement: Accompagnement,
    niveau: str,
    date_effet: datetime.date,
    auteur,
    decision=None,
    correction: str = "",
    motif: str = "",
    duree_mois: int | None = None,
    iml: dict | None = None,
    date_decision: datetime.date | None = None,
) -> ChangementNiveau:
    """Change (or renew) the level of a running support. Only a committee decision (`decision`, the
    decided agenda item) or an administrator's correction with its written reason (`correction`)
    may do it. Moving to (or back from) the exit relay moves the household's path. The change is
    dated by its decision (`date_decision`: the committee session's day; today for an
    administrator's correction) as well as by its effective date."""
    origine = _origine(decision=decision, correction=correction, auteur=auteur)
    if origine == OrigineChangementNiveau.ADMINISTRATEUR:
        motif = correction.strip()
    accompagnement = (
        Accompagnement.objects.select_for_update()
        .select_related("menage__dispositif")
        .get(pk=accompagnement.pk)
    )
    if not accompagnement.en_cours:
        raise RegleNonRespectee("Cet accompagnement est terminé.")
    if not motif.strip():
        raise RegleNonRespectee("Le motif du changement de niveau est obligatoire.")
    if date_effet < accompagnement.date_debut:
        raise RegleNonRespectee("La date d’effet ne peut précéder le début de l’accompagnement.")
    menage = accompagnement.menage
    parametres = niveau_du_dispositif(menage.dispositif, niveau)
    date_fin_prevue = fin_prevue(parametres, date_effet, duree_mois)
    if parametres.avec_iml and not hasattr(accompagnement, "iml") and not iml:
        raise RegleNonRespectee("Le niveau renforcé s’accompagne d’une mesure d’intermédiation locative.")
    verifier_duree_totale(
        accompagnement=accompagnement,
        parametres=parametres,
        date_effet=date_effet,
        date_fin_prevue=date_fin_prevue,
        decision=decision,
    )
    changement = ChangementNiveau.objects.create(
        accompagnement=accompagnement,
        ancien_niveau=accompagnement.niveau,
        nouveau_niveau=niveau,
        date_effet=date_effet,
        date_decision=date_decision or timezone.localdate(),
        date_fin_prevue=date_fin_prevue,
        origine=origine,
        decision=decision,
        motif=motif,
        auteur=auteur,
    )
    if niveau == CodeNiveau.RELAIS_SORTANT and menage.etat == EtatParcours.ACCOMPAGNEMENT:
        menages_services.changer_etat(
            menage=menage,
            vers=EtatParcours.RELAIS_SORTANT,
            auteur=auteur,
            motif=motif,
            decision=decision,
            correction=correction,
        )
    elif niveau != CodeNiveau.RELAIS_SORTANT and menage.etat == EtatParcours.RELAIS_SORTANT:
        menages_services.changer_etat(
            menage=menage,
            vers=EtatParcours.ACCOMPAGNEMENT,
            auteur=auteur,
            motif=motif,
            decision=decision,
            correction=correction,
        )
    accompagnement.niveau = niveau
    accompagnement.date_fin_prevue = date_fin_prevue
    accompagnement.save()
    if iml:
        MesureIml.objects.update_or_create(accompagnement=accompagnement, defaults=iml)
    type(menage).objects.filter(pk=menage.pk).update(niveau=niveau)
    return changement


@transaction.atomic
def changer_rythme(*, accompagnement: Accompagnement, rythme: str, auteur, motif: str = "", date=None):
    date = date or timezone.localdate()
    ChangementRythme.objects.create(
        accompagnement=accompagnement, rythme=rythme, date=date, motif=motif, auteur=auteur
    )
    accompagnement.rythme = rythme
    accompagnement.save(update_fields=["rythme"])


@transaction.atomic
def clore_accompagnement(
    *,
    accompagnement: Accompagnement,
    date_fin: datetime.date,
    motif_sortie: str,
    situation_sortie: str,
    auteur,
    decision=None,
    correction: str = "",
    motif: str = "",
) -> Accompagnement:
    """End the support, by the committee's decision (`decision`) or an administrator's correction
    with its reason (`correction`): the episode gets its end, exit reason and housing situation,
    and the household's path is closed."""
    origine = _origine(decision=decision, correction=correction, auteur=auteur)
    if origine == OrigineChangementNiveau.ADMINISTRATEUR:
        accompagnement.correction_fin = motif = correction.strip()
    else:
        accompagnement.decision_fin = decision
    if date_fin < accompagnement.date_debut:
        raise RegleNonRespectee("La date de fin ne peut précéder le début de l’accompagnement.")
    if situation_sortie not in SituationSortie.values:
        raise RegleNonRespectee("Indiquez la situation de logement à la sortie.")
    menages_services.changer_etat(
        menage=accompagnement.menage,
        vers=EtatParcours.CLOS,
        auteur=auteur,
        motif=motif,
        motif_sortie=motif_sortie,
        decision=decision,
        correction=correction,
    )
    accompagnement.date_fin = date_fin
    accompagnement.motif_sortie = motif_sortie
    accompagnement.situation_sortie = situation_sortie
    accompagnement.full_clean()
    accompagnement.save()
    return accompagnement


def save_versioned(instance, *, version: int, fields: list[str]) -> None:
    """Save `fields` of `instance` only if nobody saved it since version `version` was read."""
    model = type(instance)
    values = {name: getattr(instance, name) for name in fields}
    updated = model.objects.filter(pk=instance.pk, version=version).update(version=version + 1, **values)
    if not updated:
        raise Conflit
    instance.version = version + 1
    # The queryset update sends no signal: record the change in the audit trail ourselves.
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(
        instance, action=LogEntry.Action.UPDATE, changes={k: ["", str(v)] for k, v in values.items()}
    )


def _verifier_prochaine_etape(contact: Contact) -> None:
    """A next step is taken on by one of the household's intervenants (by default the contact's
    author), on an optional date not before the contact; without text it has neither."""
    if not contact.prochaine_etape:
        if contact.prochaine_etape_le:
            raise RegleNonRespectee(
                {"prochaine_etape": "Décrivez la prochaine étape à laquelle vous donnez une date."}
            )
        contact.prochaine_etape_par = None
        return
    if (
        contact.prochaine_etape_le
        and contact.date
        and contact.prochaine_etape_le < timezone.localdate(contact.date)
    ):
        raise RegleNonRespectee(
            {"prochaine_etape_le": "La prochaine étape ne peut pas précéder la date du contact."}
        )
    if contact.prochaine_etape_par_id is None:
        contact.prochaine_etape_par = contact.auteur
    elif (
        not responsables_prochaine_etape(contact.menage, contact.auteur)
        .filter(pk=contact.prochaine_etape_par_id)
        .exists()
    ):
        raise RegleNonRespectee(
            {"prochaine_etape_par": "Choisissez un ou une intervenante du ménage, ou l’auteur du contact."}
        )


@transaction.atomic
def enregistrer_contact(*, menage, auteur, membres=(), professionnels=(), **fields) -> Contact:
    contact = Contact(menage=menage, auteur=auteur, **fields)
    _verifier_prochaine_etape(contact)
    contact.full_clean()
    contact.save()
    contact.membres.set(membres)
    contact.professionnels.set(professionnels or [auteur])
    return contact


@transaction.atomic
def modifier_contact(
    *, contact: Contact, version: int, membres=None, professionnels=None, **fields
) -> Contact:
    for name, value in fields.items():
        setattr(contact, name, value)
    if {"prochaine_etape", "prochaine_etape_le", "prochaine_etape_par"} & set(fields):
        _verifier_prochaine_etape(contact)
        fields = {**fields, "prochaine_etape_par": contact.prochaine_etape_par}
    contact.full_clean(exclude=["version"])
    save_versioned(contact, version=version, fields=list(fields))
    if membres is not None:
        contact.membres.set(membres)
    if professionnels is not None:
        contact.professionnels.set(professionnels)
    return contact


def _dater_atteinte(objectif: Objectif, *, avant: str | None) -> bool:
    """Date the day an objective is reached (a right opened counts on that day); an objective taken
    back from "reached" loses the date. Returns whether the date changed."""
    from accompagnement.enums import StatutObjectif

    if objectif.statut == StatutObjectif.ATTEINT and avant != StatutObjectif.ATTEINT:
        objectif.date_atteint = timezone.localdate()
        return True
    if objectif.statut != StatutObjectif.ATTEINT and objectif.date_atteint is not None:
        objectif.date_atteint = None
        return True
    return False


@transaction.atomic
def creer_objectif(*, menage, auteur, **fields) -> Objectif:
    """Record an objective; without a chosen level, a health objective is for social workers only."""
    if not fields.get("confidentialite"):
        fields["confidentialite"] = Objectif.confidentialite_par_defaut(fields.get("axe"))
    accompagnement = menage.accompagnements.en_cours().first()
    objectif = Objectif(menage=menage, accompagnement=accompagnement, auteur=auteur, **fields)
    _dater_atteinte(objectif, avant=None)
    objectif.full_clean()
    objectif.save()
    HistoriqueObjectif.objects.create(
        objectif=objectif, statut=objectif.statut, libelle=objectif.libelle, auteur=auteur
    )
    return objectif


@transaction.atomic
def modifier_objectif(
    *, objectif: Objectif, version: int, auteur, commentaire: str = "", **fields
) -> Objectif:
    """Update an objective; a change of status or wording is kept in its history."""
    avant = (objectif.statut, objectif.libelle)
    if not fields.get("confidentialite", True):
        del fields["confidentialite"]  # left as it was
    for name, value in fields.items():
        setattr(objectif, name, value)
    if "statut" in fields and _dater_atteinte(objectif, avant=avant[0]):
        fields["date_atteint"] = objectif.date_atteint
    objectif.full_clean(exclude=["version"])
    save_versioned(objectif, version=version, fields=list(fields))
    if (objectif.statut, objectif.libelle) != avant or commentaire:
        HistoriqueObjectif.objects.create(
            objectif=objectif,
            statut=objectif.statut,
            libelle=objectif.libelle,
            auteur=auteur,
            commentaire=commentaire,
        )
    return objectif


@transaction.atomic
def _empreinte(fichier) -> str:
    digest = hashlib.sha256()
    for chunk in fichier.chunks():
        digest.update(chunk)
    fichier.seek(0)
    return digest.hexdigest()


def deposer_document(*, menage, fichier, format: str, auteur, **fields) -> Document:
    document = Document(
        menage=menage,
        auteur=auteur,
        nom_original=fichier.name[:255],
        format=format,
        taille=fichier.size,
        empreinte=_empreinte(fichier),
        **fields,
    )
    document.fichier.save(f"{document.empreinte}.{format}", fichier, save=False)
    document.full_clean()
    document.save()
    return document


def _effacer_apres_commit(storage, name):
    """Remove a stored file once the change that dropped it is committed (never before: a rolled
    back change keeps its file)."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _verifier_droit_document(document, par):
    if not can_change_document(par, document):
        raise RegleNonRespectee(
            "Seule la personne qui a déposé ce document, ou un administrateur, peut le modifier."
        )


@transaction.atomic
def supprimer_document(*, document: Document, par) -> None:
    """Delete a document and its file. The audit trail keeps who deleted it, when, and what it was
    (title, type, original file name, size, fingerprint): not its content."""
    _verifier_droit_document(document, par)
    storage, name = document.fichier.storage, document.fichier.name
    document.delete()
    _effacer_apres_commit(storage, name)


@transaction.atomic
def remplacer_document(*, document: Document, fichier, format: str, par) -> Document:
    """Put a new file in place of a document's file (a corrected scan, the signed version). The
    audit trail's change entry keeps the replaced file's original name, size and fingerprint
    beside the new ones, and who replaced it; the replaced file itself is removed."""
    _verifier_droit_document(document, par)
    ancien = document.fichier.name
    document.nom_original = fichier.name[:255]
    document.format = format
    document.taille = fichier.size
    document.empreinte = _empreinte(fichier)
    document.fichier.save(f"{document.empreinte}.{format}", fichier, save=False)
    document.full_clean()
    document.save()
    if ancien != document.fichier.name:
        _effacer_apres_commit(document.fichier.storage, ancien)
    return document


@transaction.atomic
def ajouter_iml(
    *, accompagnement: Accompagnement, iml: dict, auteur, decision=None, correction: str = ""
) -> MesureIml:
    """Put an intermédiation locative in place as reinforcement: by the committee's decision, or
    an administrator's correction with its reason."""
    _origine(decision=decision, correction=correction, auteur=auteur)
    if not accompagnement.en_cours:
        raise RegleNonRespectee("Cet accompagnement est terminé.")
    if not iml or not iml.get("partenaire") or not iml.get("forme") or not iml.get("date_debut_contrat"):
        raise RegleNonRespectee("Indiquez le partenaire, la forme et le début du contrat d’IML.")
    mesure, _ = MesureIml.objects.update_or_create(accompagnement=accompagnement, defaults=iml)
    return mesure
