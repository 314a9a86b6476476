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


@transaction.atomic
def demarrer_accompagnement(
    *,
    menage,
    niveau: str,
    date_debut: datetime.date,
    auteur,
    motif: str,
    rythme: str,
    duree_mois: int | None = None,
    iml: dict | None = None,
    date_decision: datetime.date | None = None,
) -> Accompagnement:
    """Start the support decided by the committee: the household enters the support step, and a new
    episode holds its level, dates and rythme (and its IML for the reinforced level)."""
    parametres = niveau_du_dispositif(menage.dispositif, niveau)
    if niveau == CodeNiveau.RELAIS_SORTANT:
        raise RegleNonRespectee("Le relais sortant suit un accompagnement renforcé : changez le niveau.")
    if parametres.avec_iml and not iml:
        raise RegleNonRespectee("Le niveau renforcé s’accompagne d’une mesure d’intermédiation locative.")
    date_fin_prevue = fin_prevue(parametres, date_debut, duree_mois)
    menages_services.changer_etat(menage=menage, vers=EtatParcours.ACCOMPAGNEMENT, auteur=auteur, motif=motif)
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
        origine=OrigineChangementNiveau.ENTREE,
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


@transaction.atomic
def changer_niveau(
    *,
    accompagnement: Accompagnement,
    niveau: str,
    date_effet: datetime.date,
    auteur,
    motif: str,
    origine: str,
    duree_mois: int | None = None,
    iml: dict | None = None,
    date_decision: datetime.date | None = None,
) -> ChangementNiveau:
    """Change the level of a running support. Only a committee decision or an administrator with a
    written reason may do it. Moving to (or back from) the exit relay moves the household's path.
    The change is dated by its decision (`date_decision`: the committee session's day; today for an
    administrator's correction) as well as by its effective date."""
    accompagnement = (
        Accompagnement.objects.select_for_update()
        .select_related("menage__dispositif")
        .get(pk=accompagnement.pk)
    )
    if not accompagnement.en_cours:
        raise RegleNonRespectee("Cet accompagnement est terminé.")
    if origine == OrigineChangementNiveau.ADMINISTRATEUR and not (auteur and auteur.est_administrateur):
        raise RegleNonRespectee("Seul un administrateur peut corriger un niveau hors décision du comité.")
    if origine not in (OrigineChangementNiveau.ADMINISTRATEUR, OrigineChangementNiveau.COMITE):
        raise RegleNonRespectee(
            "Un niveau ne change que par décision du comité ou correction d’un administrateur."
        )
    if not motif.strip():
        raise RegleNonRespectee("Le motif du changement de niveau est obligatoire.")
    if date_effet < accompagnement.date_debut:
        raise RegleNonRespectee("La date d’effet ne peut précéder le début de l’accompagnement.")
    menage = accompagnement.menage
    parametres = niveau_du_dispositif(menage.dispositif, niveau)
    date_fin_prevue = fin_prevue(parametres, date_effet, duree_mois)
    if parametres.avec_iml and not hasattr(accompagnement, "iml") and not iml:
        raise RegleNonRespectee("Le niveau renforcé s’accompagne d’une mesure d’intermédiation locative.")
    changement = ChangementNiveau.objects.create(
        accompagnement=accompagnement,
        ancien_niveau=accompagnement.niveau,
        nouveau_niveau=niveau,
        date_effet=date_effet,
        date_decision=date_decision or timezone.localdate(),
        date_fin_prevue=date_fin_prevue,
        origine=origine,
        motif=motif,
        auteur=auteur,
    )
    if niveau == CodeNiveau.RELAIS_SORTANT and menage.etat == EtatParcours.ACCOMPAGNEMENT:
        menages_services.changer_etat(
            menage=menage, vers=EtatParcours.RELAIS_SORTANT, auteur=auteur, motif=motif
        )
    elif niveau != CodeNiveau.RELAIS_SORTANT and menage.etat == EtatParcours.RELAIS_SORTANT:
        menages_services.changer_etat(
            menage=menage, vers=EtatParcours.ACCOMPAGNEMENT, auteur=auteur, motif=motif
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
    motif: str = "",
) -> Accompagnement:
    """End the support: the episode gets its end, exit reason and housing situation, and the
    household's path is closed."""
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


@transaction.atomic
def enregistrer_contact(*, menage, auteur, membres=(), professionnels=(), **fields) -> Contact:
    contact = Contact(menage=menage, auteur=auteur, **fields)
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
def deposer_document(*, menage, fichier, format: str, auteur, **fields) -> Document:
    digest = hashlib.sha256()
    for chunk in fichier.chunks():
        digest.update(chunk)
    fichier.seek(0)
    document = Document(
        menage=menage,
        auteur=auteur,
        nom_original=fichier.name[:255],
        format=format,
        taille=fichier.size,
        empreinte=digest.hexdigest(),
        **fields,
    )
    document.fichier.save(f"{document.empreinte}.{format}", fichier, save=False)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def ajouter_iml(*, accompagnement: Accompagnement, iml: dict) -> MesureIml:
    """Put an intermédiation locative in place as reinforcement (committee decision)."""
    if not accompagnement.en_cours:
        raise RegleNonRespectee("Cet accompagnement est terminé.")
    if not iml or not iml.get("partenaire") or not iml.get("forme") or not iml.get("date_debut_contrat"):
        raise RegleNonRespectee("Indiquez le partenaire, la forme et le début du contrat d’IML.")
    mesure, _ = MesureIml.objects.update_or_create(accompagnement=accompagnement, defaults=iml)
    return mesure
