"""Retention (CNIL, social and medico-social sector): a closed file with no activity for the
programme's retention period is anonymised. Names, contact details, free-text notes and documents
go; what the statistics need stays (dates, steps, levels, durations, scores, amounts), so that the
funder reports of past periods give the same figures.

`REGISTRE` lists, in one place, every text field of every model (free text, names, files, JSON)
with its rule at retention: anonymised, deleted with its record, or kept (with the reason). The
apps' steps (`Partie.anonymiser` in each `partie_dossier.py`) carry the rules out; the tests
`menages/tests/test_retention_registre.py` fail when a model gains a text field the registry does
not cover, and when a text planted in every anonymised field of a household survives anywhere in
the database."""

import datetime
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.contrib.admin.models import LogEntry as EntreeAdmin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from menages.models import Menage
from menages.parties import parties

ANONYMISER = "anonymiser"
SUPPRIMER = "supprimer"
CONSERVER = "conserver"


@dataclass(frozen=True)
class Regle:
    """What retention does to one field: `ANONYMISER` (emptied or replaced by a placeholder, the
    record stays for the figures), `SUPPRIMER` (the record goes), `CONSERVER` (kept as it is:
    `raison` says why)."""

    action: str
    raison: str = ""

    def __post_init__(self):
        if self.action == CONSERVER and not self.raison:
            raise ValueError("A field kept at retention needs its reason.")


ANONYMISE = Regle(ANONYMISER)
SUPPRIME = Regle(SUPPRIMER)


def garde(raison: str) -> Regle:
    return Regle(CONSERVER, raison)


@dataclass(frozen=True)
class Modele:
    """The rules of one model's text fields. `menage` is the lookup from the model to the household
    (`"pk"` for the household itself) when its records belong to a household's file: retention
    purges their audit trail; None for a model that holds no household's data."""

    label: str
    champs: dict[str, Regle] = field(default_factory=dict)
    menage: str | None = None


# Reasons shared by several fields.
REFERENTIEL = "paramétrage du programme : aucune donnée sur un ménage"
TECHNIQUE = "donnée technique du cadre logiciel : aucune donnée sur un ménage"
COMPTE = (
    "compte d’un ou d’une professionnelle : géré par l’administration des comptes (désactivation), "
    "sans lien avec la durée de conservation des dossiers des ménages"
)
AGREGE = "chiffres agrégés et soumis au secret statistique (aucun nom) : les rapports passés ne changent pas"
PATRIMOINE = "patrimoine du bailleur : décrit le logement, pas le ménage"
CODE = "codes d’une liste fermée (aucun texte libre) : lus par les statistiques"
TRACE = "traces du dossier (anciennes valeurs) : supprimées avec lui"

# Every text field (CharField and its kinds, TextField, JSONField, FileField) of every model,
# except fields with choices (closed lists, no free text).
REGISTRE: tuple[Modele, ...] = (
    # menages
    Modele(
        "menages.Menage",
        {
            "reference": garde("référence du dossier, sans élément identifiant : elle relie les chiffres"),
            "nom": ANONYMISE,
            "nom_recherche": ANONYMISE,
            "texte_recherche": ANONYMISE,
            "orienteur": ANONYMISE,
            "situation_logement_precision": ANONYMISE,
            "adresse": ANONYMISE,
            "telephone": ANONYMISE,
            "email": ANONYMISE,
        },
        menage="pk",
    ),
    Modele("menages.Intervenant", {"nom_externe": ANONYMISE, "fonction": ANONYMISE}, menage="menage"),
    Modele(
        "menages.Membre", {"nom": ANONYMISE, "prenom": ANONYMISE, "nom_recherche": ANONYMISE}, menage="menage"
    ),
    Modele("menages.Ressource", {"precision": ANONYMISE}, menage="menage"),
    Modele("menages.Saisine", menage="menage"),
    Modele("menages.EffectifBailleur"),
    Modele("menages.Dette", {"creancier": ANONYMISE}, menage="menage"),
    Modele("menages.EtapeDossierBdf", menage="menage"),
    Modele(
        "menages.ConsentementPartage",
        {"version_notice": garde("la version de la notice remise : un texte du programme, pas du ménage")},
        menage="menage",
    ),
    Modele("menages.ProblemeMenage", menage="menage"),
    Modele("menages.EvenementParcours", {"motif": ANONYMISE}, menage="menage"),
    Modele(
        "menages.PreDiagnostic",
        {
            "situation": ANONYMISE,
            "difficultes": ANONYMISE,
            "dispositifs_mobilises": ANONYMISE,
            "motif_orientation": ANONYMISE,
        },
        menage="menage",
    ),
    Modele("menages.ValidationFinanceur", {"commentaire": ANONYMISE}, menage="menage"),
    Modele(
        "menages.Diagnostic",
        {
            "observations_logement": ANONYMISE,
            "observations_budget": ANONYMISE,
            "observations_droits": ANONYMISE,
            "observations_sante": ANONYMISE,
            "observations_vie_sociale": ANONYMISE,
            "observations_insertion": ANONYMISE,
            "objectifs_envisages": ANONYMISE,
        },
        menage="menage",
    ),
    # accompagnement
    Modele("accompagnement.Accompagnement", {"correction_fin": ANONYMISE}, menage="menage"),
    Modele("accompagnement.ChangementNiveau", {"motif": ANONYMISE}, menage="accompagnement__menage"),
    Modele("accompagnement.MesureIml", menage="accompagnement__menage"),
    Modele("accompagnement.ChangementRythme", {"motif": ANONYMISE}, menage="accompagnement__menage"),
    Modele("accompagnement.Objectif", {"libelle": ANONYMISE, "actions": ANONYMISE}, menage="menage"),
    Modele(
        "accompagnement.HistoriqueObjectif",
        {"libelle": ANONYMISE, "commentaire": ANONYMISE},
        menage="objectif__menage",
    ),
    Modele("accompagnement.Orientation", {"partenaire": ANONYMISE, "motif": ANONYMISE}, menage="menage"),
    Modele(
        "accompagnement.Contact",
        {
            "lieu": ANONYMISE,
            "autres_participants": ANONYMISE,
            "axes": garde(CODE),
            "note": ANONYMISE,
            "prochaine_etape": ANONYMISE,
        },
        menage="menage",
    ),
    Modele(
        "accompagnement.TempsFort", {"participants": ANONYMISE, "commentaire": ANONYMISE}, menage="menage"
    ),
    Modele(
        "accompagnement.Document",
        {
            "titre": SUPPRIME,
            "fichier": SUPPRIME,
            "nom_original": SUPPRIME,
            "format": SUPPRIME,
            "empreinte": SUPPRIME,
        },
        menage="menage",
    ),
    Modele("accompagnement.SuiviPostSortie", {"commentaire": ANONYMISE}, menage="accompagnement__menage"),
    # logements
    Modele("logements.Logement", {"reference_bailleur": garde(PATRIMOINE), "adresse": garde(PATRIMOINE)}),
    Modele(
        "logements.ImportLogements", {"nom_fichier": garde("fichier du patrimoine importé par le bailleur")}
    ),
    Modele(
        "logements.MobilisationLogement",
        {"commentaire": garde(PATRIMOINE + " (sa mobilisation pour le programme)")},
    ),
    Modele("logements.ImpayesMensuels"),
    Modele("logements.Reclamation", {"description": ANONYMISE, "resolution": ANONYMISE}, menage="menage"),
    Modele("logements.SignalementGardien", {"texte": ANONYMISE, "resolution": ANONYMISE}, menage="menage"),
    Modele("logements.SoldeLocatif", menage="menage"),
    Modele("logements.PlanApurement", menage="menage"),
    Modele("logements.AideFsl", menage="menage"),
    Modele("logements.EtapeExpulsion", {"commentaire": ANONYMISE}, menage="menage"),
    Modele("logements.Attribution", {"motif_refus": ANONYMISE}, menage="menage"),
    Modele("logements.Bail", menage="menage"),
    # comites
    Modele("comites.Instance", {"nom": garde(REFERENTIEL), "lieu_habituel": garde(REFERENTIEL)}),
    Modele("comites.MembreInstance"),
    Modele(
        "comites.Seance",
        {
            "lieu": garde("organisation de la séance : aucune donnée sur un ménage"),
            "lien_visio": garde("organisation de la séance : aucune donnée sur un ménage"),
            "motif_statut": garde("report ou annulation de la séance : aucune donnée sur un ménage"),
            "pv": garde(
                "procès-verbal signé de l’instance, archive de ses décisions : les dossiers n’y "
                "figurent que par leur référence et leurs initiales"
            ),
        },
    ),
    Modele("comites.Presence"),
    Modele(
        "comites.PointOrdreDuJour",
        {
            "motif": ANONYMISE,
            "decision_commentaire": ANONYMISE,
            "derogation_motif": ANONYMISE,
            "synthese_niveau": ANONYMISE,
            "synthese_objectifs": ANONYMISE,
            "synthese_iml": ANONYMISE,
        },
        menage="menage",
    ),
    Modele("comites.AvisMembre", {"commentaire": ANONYMISE}, menage="point__menage"),
    Modele(
        "comites.DemandeComite",
        {
            "motif": ANONYMISE,
            "synthese_niveau": ANONYMISE,
            "synthese_objectifs": ANONYMISE,
            "synthese_iml": ANONYMISE,
        },
        menage="menage",
    ),
    # dossiers: the household's right-of-access requests
    Modele("dossiers.DemandeAcces", {"fichier": SUPPRIME}, menage="menage"),
    Modele("dossiers.NoteRetenue", {"motif": SUPPRIME}, menage="demande__menage"),
    # dossiers: the imports of an existing caseload. The file waits for its confirmation only (then
    # emptied; an unconfirmed simulation goes after a day): the trace keeps no household's data.
    Modele(
        "dossiers.ImportMenages",
        {
            "nom_fichier": garde(
                "trace de l’import (qui, quand, quel fichier) : aucune donnée sur un ménage"
            ),
            "empreinte": garde(TECHNIQUE),
            "contenu": SUPPRIME,
        },
    ),
    # rappels
    Modele(
        "rappels.Rappel",
        {"cle": SUPPRIME, "titre": SUPPRIME, "lien": SUPPRIME},
        menage="menage",
    ),
    # accueil: the calendar feed's key of a professional (a hash, no household)
    Modele("accueil.JetonCalendrier", {"empreinte": garde(COMPTE)}),
    # financement
    Modele("financement.Convention", {"intitule": garde(REFERENTIEL)}),
    Modele("financement.PartFinanceur", {"libelle": garde(REFERENTIEL)}),
    Modele("financement.LigneBudgetaire", {"libelle": garde(REFERENTIEL)}),
    Modele("financement.Versement", {"reference": garde("référence comptable d’un versement de financeur")}),
    Modele(
        "financement.RapportFinanceur",
        {"fichier": garde(AGREGE), "erreur": garde(TECHNIQUE), "commentaire": garde(AGREGE)},
    ),
    Modele("financement.IndicateursArretes", {"donnees": garde(AGREGE)}),
    # comptes
    Modele(
        "comptes.Dispositif",
        {
            "nom": garde(REFERENTIEL),
            "code": garde(REFERENTIEL),
            "territoire": garde(REFERENTIEL),
            "prefixe_reference": garde(REFERENTIEL),
        },
    ),
    Modele(
        "comptes.NiveauAccompagnement", {"libelle": garde(REFERENTIEL), "description": garde(REFERENTIEL)}
    ),
    Modele("comptes.Organisation", {"nom": garde(REFERENTIEL), "sigle": garde(REFERENTIEL)}),
    Modele(
        "comptes.Commune",
        {"nom": garde(REFERENTIEL), "code_insee": garde(REFERENTIEL), "code_postal": garde(REFERENTIEL)},
    ),
    Modele(
        "comptes.Utilisateur",
        {
            "password": garde(COMPTE),
            "username": garde(COMPTE),
            "first_name": garde(COMPTE),
            "last_name": garde(COMPTE),
            "email": garde(COMPTE),
            "telephone": garde(COMPTE),
        },
    ),
    # An invitation's link is kept as a hash only; it goes with the account it invites.
    Modele("comptes.Invitation", {"jeton_hash": garde(COMPTE)}),
    Modele("comptes.BattementService", {"nom": garde(TECHNIQUE)}),
    Modele(
        "comptes.SessionUtilisateur",
        {
            "session_key": garde("session : expire au plus tard 12 heures après la connexion"),
            "session_data": garde("session : expire au plus tard 12 heures après la connexion"),
        },
    ),
    Modele(
        "comptes.EvenementConnexion",
        {
            "identifiant": garde("journal des connexions : purgé après un an (purge_login_events)"),
            "navigateur": garde("journal des connexions : purgé après un an (purge_login_events)"),
        },
    ),
    # The audit trails: the entries about the records of the household's file go with it
    # (`_purger_traces`); the others stay, and the access log is purged on its own schedule.
    Modele(
        "auditlog.LogEntry",
        {
            "object_pk": SUPPRIME,
            "object_repr": SUPPRIME,
            "serialized_data": SUPPRIME,
            "changes_text": SUPPRIME,
            "changes": SUPPRIME,
            "cid": SUPPRIME,
            "additional_data": SUPPRIME,
            "actor_email": SUPPRIME,
        },
    ),
    Modele(
        "admin.LogEntry",
        {"object_id": SUPPRIME, "object_repr": SUPPRIME, "change_message": SUPPRIME},
    ),
    # The framework's own tables.
    Modele("auth.Permission", {"name": garde(TECHNIQUE), "codename": garde(TECHNIQUE)}),
    Modele("auth.Group", {"name": garde(TECHNIQUE)}),
    Modele("contenttypes.ContentType", {"app_label": garde(TECHNIQUE), "model": garde(TECHNIQUE)}),
    Modele(
        "sessions.Session",
        {
            "session_key": garde(TECHNIQUE + " (table inutilisée)"),
            "session_data": garde(TECHNIQUE + " (table inutilisée)"),
        },
    ),
    Modele("otp_totp.TOTPDevice", {"name": garde(COMPTE), "key": garde(COMPTE)}),
    Modele("otp_static.StaticDevice", {"name": garde(COMPTE)}),
    Modele("otp_static.StaticToken", {"token": garde(COMPTE)}),
)


def champs_texte(model) -> list:
    """The fields of `model` the registry must cover: every text, JSON, file or binary field (a
    file's content), but those with choices (a closed list of codes holds no free text)."""
    from django.db import models

    kinds = (models.CharField, models.TextField, models.JSONField, models.FileField, models.BinaryField)
    return [f for f in model._meta.concrete_fields if isinstance(f, kinds) and not f.choices]


def derniere_activite(menage) -> datetime.date:
    """The latest activity of any app on the household (the referral at least)."""
    dates = [p.derniere_activite(menage) for p in parties() if p.derniere_activite]
    return max((d for d in dates if d), default=menage.date_saisine)


def a_anonymiser(now=None):
    """(household, last activity) for the closed files past the retention period."""
    today = timezone.localdate(now or timezone.now())
    resultat = []
    for menage in Menage.objects.termines().filter(anonymise_le__isnull=True).select_related("dispositif"):
        derniere = derniere_activite(menage)
        if derniere <= today - relativedelta(months=menage.dispositif.retention_mois):
            resultat.append((menage, derniere))
    return resultat


@transaction.atomic
def anonymiser(menage: Menage) -> None:
    """Each app removes what identifies the household or tells about it in its free text, and keeps
    the figures (`Partie.anonymiser`, following `REGISTRE`). The audit trails of the file's records
    (django-auditlog's and the admin site's), which hold the old values, go too; the anonymisation
    itself is recorded."""
    enregistrements = _enregistrements(menage)  # read first: some steps delete records
    with disable_auditlog():
        for partie in parties():
            if partie.anonymiser:
                partie.anonymiser(menage)
        _purger_traces(menage, enregistrements)
    Menage.objects.filter(pk=menage.pk).update(anonymise_le=timezone.now())
    LogEntry.objects.log_create(
        Menage.objects.get(pk=menage.pk),
        action=LogEntry.Action.UPDATE,
        changes={"anonymise_le": ["", "anonymisation (durée de conservation écoulée)"]},
    )


def _enregistrements(menage) -> list[tuple[ContentType, list[int]]]:
    """The records of the household's file, by model."""
    resultat = []
    for modele in REGISTRE:
        if modele.menage:
            model = apps.get_model(modele.label)
            pks = list(
                model._default_manager.filter(**{modele.menage: menage.pk}).values_list("pk", flat=True)
            )
            if pks:
                resultat.append((ContentType.objects.get_for_model(model), pks))
    return resultat


def _purger_traces(menage, enregistrements) -> None:
    """The audit entries about the file's records, and those of records already deleted that
    carry the household's id."""
    audit = Q(additional_data__menage_id=menage.pk)
    admin = Q(pk__in=[])
    for content_type, pks in enregistrements:
        audit |= Q(content_type=content_type, object_id__in=pks)
        admin |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    LogEntry.objects.filter(audit).delete()
    EntreeAdmin.objects.filter(admin).delete()
