"""The import of an existing caseload: the households a programme already follows in spreadsheets,
with their members, referral facts, current step and level, and past contacts.

The file has three sheets, linked by the « référence import » column (the household's key in the
file, any text unique in the sheet « Ménages »): « Ménages » (one line per household), « Membres »
and « Contacts » (one line per member, per contact). An XLSX workbook with these sheets, a zip
archive of three CSV files named after them, or a single CSV file (households only).

All or nothing: every line of every sheet is checked first; one error and nothing is written, the
report lists every error by sheet, line and column. A simulation writes everything in a
transaction, reads what it created, then rolls it back: what it shows is what the confirmation
makes. The households are created in the chosen programme with its numbering; the level of a
household in support is an administrator's correction whose written reason is « reprise de
l'existant (import du <date>) », as the domain allows when no committee decision is on record.
Written in bulk: the audit trail gets one creation entry per record, carrying the import's id."""

import csv
import datetime
import hashlib
import io
import logging
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from accompagnement.enums import FormeIml, OrigineChangementNiveau, Rythme, SituationSortie, TypeContact
from accompagnement.models import Accompagnement, ChangementNiveau, ChangementRythme, Contact, MesureIml
from accompagnement.services import RegleNonRespectee, fin_prevue
from comptes.enums import CodeNiveau, Confidentialite, Role, TypeOrganisation
from comptes.importation import (
    Communes,
    ErreurImport,
    FichierIllisible,
    RapportImport,
    ValeurInvalide,
    choix,
    choix_des_libelles,
    en_texte,
    est_vide,
    lire_date,
    lire_entier,
    lire_feuilles,
    lire_heure,
    normaliser,
    reperer_colonnes,
    texte,
    typographie,
)
from comptes.models import Dispositif, Organisation, Utilisateur
from dossiers.models import ImportMenages, StatutImport
from menages import effectifs
from menages.enums import (
    EtatParcours,
    LienMembre,
    MotifRefus,
    MotifSortie,
    Partenaire,
    Problematique,
    SituationLogement,
    SourceOrientation,
    TypeIntervention,
)
from menages.models import (
    ConsentementPartage,
    EvenementParcours,
    Intervenant,
    Membre,
    Menage,
    Saisine,
    telephone_validator,
)
from menages.search import normalize, texte_recherche
from menages.services import reserver_references

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# Households shown in the simulation's preview.
APERCU = 20
# A contact without its time of day is dated at this hour (the day is what the figures read).
HEURE_PAR_DEFAUT = datetime.time(10, 0)

MENAGES, MEMBRES, CONTACTS = "Ménages", "Membres", "Contacts"
FEUILLES = (MENAGES, MEMBRES, CONTACTS)


@dataclass(frozen=True)
class Colonne:
    """A column of a sheet: its field, its header in the template, the other headers accepted,
    whether it is required on every line, an example and the values it accepts."""

    nom: str
    libelle: str
    alias: tuple = ()
    obligatoire: bool = False
    exemple: str = ""
    valeurs: str = ""

    def __post_init__(self):
        object.__setattr__(self, "valeurs", typographie(self.valeurs))

    @property
    def en_tetes(self) -> set[str]:
        return {normaliser(self.libelle), *(normaliser(a) for a in self.alias)}


def _libelles(enum, sauf=()) -> str:
    return " ; ".join(f"« {m.label} »" for m in enum if m not in sauf)


ETAPES_IMPORTABLES = (
    EtatParcours.SAISINE,
    EtatParcours.PRE_DIAGNOSTIC,
    EtatParcours.DIAGNOSTIC,
    EtatParcours.ACCOMPAGNEMENT,
    EtatParcours.RELAIS_SORTANT,
    EtatParcours.CLOS,
    EtatParcours.REFUSE,
)
ETAPES_AVEC_ACCOMPAGNEMENT = {EtatParcours.ACCOMPAGNEMENT, EtatParcours.RELAIS_SORTANT, EtatParcours.CLOS}
NIVEAUX_ACCOMPAGNEMENT = (CodeNiveau.NIVEAU_1, CodeNiveau.NIVEAU_2, CodeNiveau.NIVEAU_3)

SOURCES = choix_des_libelles(
    SourceOrientation,
    **{
        "interne bailleur": SourceOrientation.INTERNE_BAILLEUR,
        "bailleur": SourceOrientation.INTERNE_BAILLEUR,
        "dalo": SourceOrientation.COMMISSION_DALO,
        "commission dalo": SourceOrientation.COMMISSION_DALO,
        "travailleur social": SourceOrientation.TRAVAILLEUR_SOCIAL,
    },
)
PROBLEMATIQUES = choix_des_libelles(Problematique, acces=Problematique.ACCES, maintien=Problematique.MAINTIEN)
SITUATIONS = choix_des_libelles(SituationLogement)
ETAPES = choix_des_libelles(EtatParcours, saisine=EtatParcours.SAISINE, orientation=EtatParcours.SAISINE)
NIVEAUX = choix_des_libelles(
    CodeNiveau,
    **{
        "1": CodeNiveau.NIVEAU_1,
        "2": CodeNiveau.NIVEAU_2,
        "3": CodeNiveau.NIVEAU_3,
        "niveau 1": CodeNiveau.NIVEAU_1,
        "niveau 2": CodeNiveau.NIVEAU_2,
        "niveau 3": CodeNiveau.NIVEAU_3,
    },
)
RYTHMES = choix_des_libelles(
    Rythme, intensif=Rythme.INTENSIF, bimensuel=Rythme.BIMENSUEL, veille=Rythme.VEILLE
)
MOTIFS_SORTIE = choix_des_libelles(MotifSortie)
SITUATIONS_SORTIE = choix_des_libelles(SituationSortie)
MOTIFS_REFUS = choix_des_libelles(MotifRefus)
FORMES_IML = choix_des_libelles(FormeIml)
LIENS = choix_des_libelles(
    LienMembre,
    chef=LienMembre.CHEF,
    conjoint=LienMembre.CONJOINT,
    conjointe=LienMembre.CONJOINT,
    autre=LienMembre.AUTRE,
)
TYPES_CONTACT = choix_des_libelles(
    TypeContact,
    vad=TypeContact.VAD,
    entretien=TypeContact.ENTRETIEN,
    telephone=TypeContact.TELEPHONE,
    appel=TypeContact.TELEPHONE,
)
CONFIDENTIALITES = choix_des_libelles(
    Confidentialite,
    partagee=Confidentialite.PARTAGE,
    **{"travailleurs sociaux": Confidentialite.TRAVAILLEURS_SOCIAUX},
)

REFERENCE = Colonne(
    "reference_import",
    "référence import",
    ("reference import", "ref import", "reference"),
    True,
    "M-001",
    "un texte court, unique dans la feuille « Ménages » : il relie les membres et les contacts à leur ménage",
)
COLONNES = {
    MENAGES: (
        REFERENCE,
        Colonne("nom", "nom du ménage", ("nom", "menage"), True, "Martin Sophie"),
        Colonne("date_saisine", "date de saisine", ("saisine",), True, "15/03/2025", "jj/mm/aaaa"),
        Colonne(
            "source_orientation",
            "origine de la saisine",
            ("origine", "source", "source orientation"),
            True,
            "SIAO",
            _libelles(SourceOrientation),
        ),
        Colonne(
            "orienteur",
            "orienté par",
            ("prescripteur", "orienteur"),
            False,
            "Mme Roux, CCAS de Narbonne",
            "nom et structure de la personne qui oriente",
        ),
        Colonne("problematique", "problématique", (), True, "accès", "« accès » ou « maintien »"),
        Colonne(
            "situation_logement",
            "situation de logement",
            ("situation logement",),
            True,
            "Hébergé chez un tiers",
            _libelles(SituationLogement),
        ),
        Colonne(
            "bailleur",
            "bailleur",
            ("bailleur concerne",),
            False,
            "",
            "nom ou sigle d’un bailleur du programme",
        ),
        Colonne("commune", "commune", ("ville", "code insee"), False, "Narbonne", "nom ou code INSEE"),
        Colonne("adresse", "adresse", (), False, "12 rue des Lilas"),
        Colonne("telephone", "téléphone", ("tel",), False, "06 12 34 56 78"),
        Colonne("email", "adresse électronique", ("email", "courriel", "mail"), False, ""),
        Colonne(
            "referent",
            "référent",
            ("referent identifiant", "travailleur social referent"),
            False,
            "",
            "identifiant ou adresse électronique d’un travailleur social du programme : il devient le "
            "référent du ménage (sans référent, seuls les administrateurs voient le ménage)",
        ),
        Colonne(
            "consentement_bailleur",
            "consentement au partage avec le bailleur",
            ("consentement bailleur",),
            False,
            "15/03/2025",
            "date du consentement recueilli (jj/mm/aaaa) ; vide : pas de consentement",
        ),
        Colonne("date_adhesion", "date d’adhésion", ("adhesion",), False, "02/05/2025", "jj/mm/aaaa"),
        Colonne(
            "etape",
            "étape",
            ("etape du parcours",),
            True,
            "Accompagnement",
            _libelles(
                EtatParcours, sauf=(EtatParcours.VALIDATION_FINANCEURS, EtatParcours.PROPOSITION_COMITE)
            ),
        ),
        Colonne(
            "niveau",
            "niveau",
            ("niveau d accompagnement",),
            False,
            "2",
            "1, 2, 3 ou « relais sortant » ; obligatoire aux étapes Accompagnement, Relais sortant et "
            "Clos, vide aux autres",
        ),
        Colonne(
            "date_debut",
            "début de l’accompagnement",
            ("debut accompagnement", "debut du niveau"),
            False,
            "02/05/2025",
            "jj/mm/aaaa, obligatoire avec un niveau (relais sortant : début du relais)",
        ),
        Colonne(
            "date_fin_prevue",
            "fin prévue",
            (),
            False,
            "",
            "jj/mm/aaaa ; vide : la durée maximale du niveau (obligatoire pour le niveau 3 et le relais, "
            "dont le comité fixe la durée)",
        ),
        Colonne("rythme", "rythme", ("rythme des rencontres",), False, "Hebdomadaire", _libelles(Rythme)),
        Colonne("date_fin", "fin de l’accompagnement", ("date de fin",), False, "", "jj/mm/aaaa, étape Clos"),
        Colonne("motif_sortie", "motif de sortie", (), False, "", _libelles(MotifSortie) + " ; étape Clos"),
        Colonne(
            "situation_sortie",
            "situation à la sortie",
            ("situation de logement a la sortie",),
            False,
            "",
            _libelles(SituationSortie) + " ; étape Clos",
        ),
        Colonne("motif_refus", "motif de refus", (), False, "", _libelles(MotifRefus) + " ; étape Refusé"),
        Colonne(
            "iml_partenaire",
            "IML : partenaire",
            ("partenaire iml",),
            False,
            "",
            "nom ou sigle du partenaire IML du programme ; niveau 3",
        ),
        Colonne("iml_forme", "IML : forme", ("forme iml",), False, "", _libelles(FormeIml) + " ; niveau 3"),
        Colonne(
            "iml_debut", "IML : début du contrat", ("debut contrat iml",), False, "", "jj/mm/aaaa ; niveau 3"
        ),
    ),
    MEMBRES: (
        REFERENCE,
        Colonne("nom", "nom", (), True, "Martin"),
        Colonne("prenom", "prénom", (), True, "Sophie"),
        Colonne("date_naissance", "date de naissance", ("naissance",), False, "04/07/1988", "jj/mm/aaaa"),
        Colonne(
            "lien",
            "lien avec le chef de ménage",
            ("lien",),
            True,
            "Chef de ménage",
            _libelles(LienMembre),
        ),
        Colonne("date_entree", "arrivée dans le ménage", ("arrivee",), False, "", "jj/mm/aaaa"),
        Colonne("date_sortie", "départ du ménage", ("depart",), False, "", "jj/mm/aaaa"),
    ),
    CONTACTS: (
        REFERENCE,
        Colonne("date", "date", (), True, "12/06/2025", "jj/mm/aaaa"),
        Colonne("heure", "heure", (), False, "14:30", "hh:mm ; vide : 10:00"),
        Colonne("type", "type", ("type de contact",), True, "Visite à domicile", _libelles(TypeContact)),
        Colonne(
            "duree", "durée (minutes)", ("duree", "duree minutes"), False, "60", "de 1 à 1 440 ; vide : 60"
        ),
        Colonne(
            "auteur",
            "auteur",
            ("auteur identifiant",),
            False,
            "",
            "identifiant ou adresse électronique d’un professionnel du programme ; vide : le référent du "
            "ménage, sinon vous",
        ),
        Colonne("note", "note", (), False, "Point sur le budget et les démarches de la CAF."),
        Colonne(
            "confidentialite",
            "confidentialité",
            (),
            False,
            "Réservée aux travailleurs sociaux",
            _libelles(Confidentialite) + " ; vide : réservée aux travailleurs sociaux",
        ),
    ),
}


# The checked content of the file ------------------------------------------------------------


@dataclass
class LigneMenage:
    ligne: int
    valeurs: dict
    membres: list = field(default_factory=list)
    contacts: list = field(default_factory=list)


@dataclass
class Apercu:
    """What an import creates (or would create, for a simulation)."""

    menages: int = 0
    membres: int = 0
    accompagnements: int = 0
    contacts: int = 0
    par_etape: list = field(default_factory=list)  # (label, count)
    par_niveau: list = field(default_factory=list)  # (label, count)
    premiers: list = field(default_factory=list)  # dicts, the first households


@dataclass
class RapportImportMenages(RapportImport):
    apercu: Apercu | None = None
    import_menages: ImportMenages | None = None


class _Contexte:
    """What the lines are checked against: the programme's landlords, IML partners, levels and
    professionals, the communes; read once."""

    def __init__(self, dispositif: Dispositif):
        self.dispositif = dispositif
        self.aujourdhui = timezone.localdate()
        self.communes = Communes()
        organisations = list(Organisation.objects.filter(dispositifs=dispositif))
        self.bailleurs = self._par_nom([o for o in organisations if o.type == TypeOrganisation.BAILLEUR])
        self.partenaires_iml = self._par_nom(
            [o for o in organisations if o.type == TypeOrganisation.PARTENAIRE_IML]
        )
        self.niveaux = {n.code: n for n in dispositif.niveaux.all()}
        professionnels = list(
            Utilisateur.objects.filter(is_active=True, organisation__in=organisations)
            .prefetch_related("attributions_roles")
            .select_related("organisation")
        )
        self.professionnels = {}
        for user in professionnels:
            self.professionnels[user.username.lower()] = user
            if user.email:
                self.professionnels.setdefault(user.email.lower(), user)

    @staticmethod
    def _par_nom(organisations):
        index = {}
        for o in organisations:
            index[normaliser(o.nom)] = o
            if o.sigle:
                index.setdefault(normaliser(o.sigle), o)
        return index

    def organisation(self, value, index, quoi):
        if found := index.get(normaliser(en_texte(value))):
            return found
        raise ValeurInvalide(
            f"« {en_texte(value)} » n’est pas {quoi} du programme (indiquez son nom ou son sigle)."
        )

    def professionnel(self, value, *, travailleur_social=False):
        user = self.professionnels.get(en_texte(value).lower())
        if user is None:
            raise ValeurInvalide(
                f"« {en_texte(value)} » : aucun compte actif de ce programme n’a cet identifiant ou cette adresse."
            )
        if travailleur_social and not user.has_role(Role.TRAVAILLEUR_SOCIAL):
            raise ValeurInvalide(
                f"« {en_texte(value)} » n’est pas un travailleur social : il ne peut être référent."
            )
        return user


def _date_passee(contexte):
    def lire(value):
        date = lire_date(value)
        if date > contexte.aujourdhui:
            raise ValeurInvalide(f"Le {date:%d/%m/%Y} est dans le futur : l’import reprend le passé.")
        return date

    return lire


def _telephone(value):
    text = texte(value, 20)
    try:
        telephone_validator(text)
    except ValidationError:
        raise ValeurInvalide(f"« {text} » n’est pas un numéro de téléphone.") from None
    return text


def _email(value):
    text = texte(value, 254)
    try:
        EmailValidator()(text)
    except ValidationError:
        raise ValeurInvalide(f"« {text} » n’est pas une adresse électronique valide.") from None
    return text


def _parsers(contexte: _Contexte) -> dict[str, dict]:
    passee = _date_passee(contexte)

    def liste(table, enum, sauf=()):
        return lambda v: choix(v, table, _libelles(enum, sauf))

    return {
        MENAGES: {
            "reference_import": lambda v: texte(v, 50),
            "nom": lambda v: texte(v, 150),
            "date_saisine": passee,
            "source_orientation": liste(SOURCES, SourceOrientation),
            "orienteur": lambda v: texte(v, 200),
            "problematique": lambda v: choix(v, PROBLEMATIQUES, "« accès » ou « maintien »"),
            "situation_logement": liste(SITUATIONS, SituationLogement),
            "bailleur": lambda v: contexte.organisation(v, contexte.bailleurs, "un bailleur"),
            "commune": contexte.communes.trouver,
            "adresse": lambda v: texte(v, 250),
            "telephone": _telephone,
            "email": _email,
            "referent": lambda v: contexte.professionnel(v, travailleur_social=True),
            "consentement_bailleur": passee,
            "date_adhesion": passee,
            "etape": liste(
                ETAPES, EtatParcours, (EtatParcours.VALIDATION_FINANCEURS, EtatParcours.PROPOSITION_COMITE)
            ),
            "niveau": lambda v: choix(v, NIVEAUX, "1, 2, 3 ou « relais sortant »"),
            "date_debut": passee,
            "date_fin_prevue": lire_date,
            "rythme": liste(RYTHMES, Rythme),
            "date_fin": passee,
            "motif_sortie": liste(MOTIFS_SORTIE, MotifSortie),
            "situation_sortie": liste(SITUATIONS_SORTIE, SituationSortie),
            "motif_refus": liste(MOTIFS_REFUS, MotifRefus),
            "iml_partenaire": lambda v: contexte.organisation(
                v, contexte.partenaires_iml, "un partenaire IML"
            ),
            "iml_forme": lambda v: choix(v, FORMES_IML, "« sous-location » ou « mandat de gestion »"),
            "iml_debut": lire_date,
        },
        MEMBRES: {
            "reference_import": lambda v: texte(v, 50),
            "nom": lambda v: texte(v, 100),
            "prenom": lambda v: texte(v, 100),
            "date_naissance": passee,
            "lien": liste(LIENS, LienMembre),
            "date_entree": lire_date,
            "date_sortie": lire_date,
        },
        CONTACTS: {
            "reference_import": lambda v: texte(v, 50),
            "date": passee,
            "heure": lire_heure,
            "type": liste(TYPES_CONTACT, TypeContact),
            "duree": lambda v: lire_entier(v, minimum=1, maximum=24 * 60),
            "auteur": contexte.professionnel,
            "note": lambda v: texte(v, 20_000),
            "confidentialite": liste(CONFIDENTIALITES, Confidentialite),
        },
    }


def _lire_lignes(feuille, rows, parsers, rapport) -> list[tuple[int, dict, dict, bool]]:
    """(line number, values read, headers, whether every cell is valid) of each non-empty line;
    the errors go to the report."""
    if not rows or all(est_vide(cell) for cell in rows[0]):
        rapport.erreur_fichier("La première ligne doit contenir le nom des colonnes.", feuille)
        return []
    definitions = COLONNES[feuille]
    colonnes = reperer_colonnes(
        rows[0],
        {c.nom: c.en_tetes for c in definitions},
        [c.nom for c in definitions if c.obligatoire],
        {c.nom: c.libelle for c in definitions},
        rapport,
        feuille,
    )
    if any(e.ligne is None and e.feuille == feuille for e in rapport.erreurs):
        return []
    obligatoires = {c.nom for c in definitions if c.obligatoire}
    lues = []
    for numero, row in enumerate(rows[1:], start=2):
        if all(est_vide(cell) for cell in row):
            continue
        rapport.lignes += 1
        valeurs, erreurs = {}, []
        for nom, (index, titre) in colonnes.items():
            brut = row[index] if index < len(row) else None
            if est_vide(brut):
                if nom in obligatoires:
                    erreurs.append(ErreurImport(numero, titre, "Ce champ est obligatoire.", feuille))
                continue
            try:
                valeurs[nom] = parsers[nom](brut)
            except ValeurInvalide as exc:
                erreurs.append(ErreurImport(numero, titre, str(exc), feuille))
        rapport.erreurs.extend(erreurs)
        lues.append((numero, valeurs, {nom: titre for nom, (_i, titre) in colonnes.items()}, not erreurs))
    return lues


def _verifier_menage(valeurs: dict, titres: dict, contexte: _Contexte) -> list[tuple[str, str]]:
    """The rules between the columns of a household's line: its step, level and dates agree."""
    erreurs = []

    def erreur(nom, message):
        erreurs.append((titres.get(nom) or _libelle(MENAGES, nom), message))

    etape = valeurs["etape"]
    niveau = valeurs.get("niveau")
    if etape not in ETAPES_IMPORTABLES:
        erreur(
            "etape",
            f"L’étape « {etape.label} » repose sur des échanges que l’import ne reprend pas (réponses des "
            "financeurs, diagnostic proposé au comité) : importez le ménage à l’étape précédente, puis "
            "poursuivez son parcours depuis son dossier.",
        )
        return erreurs
    if etape not in ETAPES_AVEC_ACCOMPAGNEMENT:
        for nom in ("niveau", "date_debut", "date_fin", "motif_sortie", "situation_sortie"):
            if nom in valeurs:
                erreur(
                    nom,
                    f"Un ménage à l’étape « {etape.label} » n’est pas accompagné : laissez cette case vide.",
                )
        if etape == EtatParcours.REFUSE and "motif_refus" not in valeurs:
            erreur("motif_refus", "Le motif du refus est obligatoire à l’étape « Refusé ».")
        return erreurs
    if "motif_refus" in valeurs:
        erreur("motif_refus", "Seul un ménage à l’étape « Refusé » a un motif de refus.")
    if niveau is None:
        erreur("niveau", f"Le niveau est obligatoire à l’étape « {etape.label} ».")
    elif etape == EtatParcours.RELAIS_SORTANT and niveau != CodeNiveau.RELAIS_SORTANT:
        erreur("niveau", "Un ménage à l’étape « Relais sortant » est au niveau « Relais sortant ».")
    elif etape == EtatParcours.ACCOMPAGNEMENT and niveau not in NIVEAUX_ACCOMPAGNEMENT:
        erreur("niveau", "À l’étape « Accompagnement », le niveau est 1, 2 ou 3.")
    elif niveau not in contexte.niveaux:
        erreur("niveau", f"Le niveau « {niveau.label} » n’est pas paramétré pour ce programme.")
    debut = valeurs.get("date_debut")
    if debut is None:
        erreur("date_debut", "Le début de l’accompagnement est obligatoire avec un niveau.")
    elif debut < valeurs["date_saisine"]:
        erreur("date_debut", "L’accompagnement ne peut commencer avant la saisine.")
    if etape == EtatParcours.CLOS:
        for nom, libelle in (
            ("date_fin", "La fin de l’accompagnement"),
            ("motif_sortie", "Le motif de sortie"),
            ("situation_sortie", "La situation à la sortie"),
        ):
            if nom not in valeurs:
                erreur(nom, f"{libelle} est obligatoire à l’étape « Clos ».")
        if debut and valeurs.get("date_fin") and valeurs["date_fin"] < debut:
            erreur("date_fin", "La fin de l’accompagnement ne peut précéder son début.")
    else:
        for nom in ("date_fin", "motif_sortie", "situation_sortie"):
            if nom in valeurs:
                erreur(
                    nom,
                    "Seul un accompagnement clos a une fin : laissez cette case vide ou indiquez l’étape « Clos ».",
                )
    parametres = contexte.niveaux.get(niveau)
    if parametres is not None and debut is not None and not erreurs:
        if "date_fin_prevue" in valeurs:
            if valeurs["date_fin_prevue"] < debut:
                erreur("date_fin_prevue", "La fin prévue ne peut précéder le début de l’accompagnement.")
        else:
            try:
                valeurs["date_fin_prevue"] = fin_prevue(parametres, debut, None)
            except RegleNonRespectee as exc:
                erreur("date_fin_prevue", exc.messages[0])
        if parametres.avec_iml:
            for nom, libelle in (
                ("iml_partenaire", "Le partenaire IML"),
                ("iml_forme", "La forme de l’IML"),
                ("iml_debut", "Le début du contrat IML"),
            ):
                if nom not in valeurs:
                    erreur(nom, f"{libelle} est obligatoire : le niveau renforcé s’accompagne d’une IML.")
    return erreurs


def _libelle(feuille, nom):
    return next(c.libelle for c in COLONNES[feuille] if c.nom == nom)


def _verifier(feuilles: dict[str, list[list]], contexte: _Contexte, rapport) -> list[LigneMenage]:
    """Every line of every sheet checked; the households with their members and contacts."""
    par_nom = {normaliser(nom): rows for nom, rows in feuilles.items()}
    if normaliser(MENAGES) not in par_nom:
        noms = ", ".join(f"« {nom} »" for nom in feuilles) or "aucune"
        rapport.erreur_fichier(
            f"La feuille « {MENAGES} » est introuvable (feuilles du fichier : {noms}). Partez du modèle "
            "téléchargeable sur cette page."
        )
        return []
    parsers = _parsers(contexte)
    menages: dict[str, LigneMenage] = {}
    lignes = _lire_lignes(MENAGES, par_nom[normaliser(MENAGES)], parsers[MENAGES], rapport)
    for numero, valeurs, titres, valide in lignes:
        reference = valeurs.get("reference_import")
        if reference is None:
            continue
        if reference in menages:
            rapport.erreurs.append(
                ErreurImport(
                    numero,
                    titres["reference_import"],
                    f"La référence import « {reference} » figure déjà à la ligne {menages[reference].ligne}.",
                    MENAGES,
                )
            )
            continue
        if valide:
            erreurs = _verifier_menage(valeurs, titres, contexte)
            rapport.erreurs.extend(
                ErreurImport(numero, titre, message, MENAGES) for titre, message in erreurs
            )
        # A household whose line has errors still takes its key: its members and contacts are
        # checked against it.
        menages[reference] = LigneMenage(numero, valeurs)
    for feuille in (MEMBRES, CONTACTS):
        rows = par_nom.get(normaliser(feuille))
        if rows is None:
            continue
        for numero, valeurs, titres, valide in _lire_lignes(feuille, rows, parsers[feuille], rapport):
            reference = valeurs.get("reference_import")
            menage = menages.get(reference)
            if reference is not None and menage is None:
                rapport.erreurs.append(
                    ErreurImport(
                        numero,
                        titres["reference_import"],
                        f"La référence import « {reference} » ne correspond à aucun ménage de la feuille « {MENAGES} ».",
                        feuille,
                    )
                )
                continue
            if not valide:
                continue
            if feuille == MEMBRES:
                entree, sortie = valeurs.get("date_entree"), valeurs.get("date_sortie")
                if entree and sortie and sortie < entree:
                    rapport.erreurs.append(
                        ErreurImport(
                            numero, titres["date_sortie"], "Le départ ne peut précéder l’arrivée.", feuille
                        )
                    )
                    continue
                menage.membres.append(valeurs)
            else:
                menage.contacts.append(valeurs)
    if not menages and rapport.reussi:
        rapport.erreur_fichier("Le fichier ne contient aucun ménage.", MENAGES)
    return list(menages.values())


# Writing ------------------------------------------------------------------------------------


def motif_reprise(jour: datetime.date) -> str:
    return f"Reprise de l’existant (import du {jour:%d/%m/%Y})"


def _a_midi(jour: datetime.date, heure=datetime.time(9, 0)) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(jour, heure))


def _valeur_lisible(objet, champ) -> str:
    """A field's value as the journal shows it: the label of a code."""
    affichage = getattr(objet, f"get_{champ}_display", None)
    return str(affichage()) if affichage else en_texte(getattr(objet, champ))


def _journaliser(objets, *, auteur, import_menages, menage_id, champs) -> None:
    """One creation entry per record in the audit trail (bulk writes send no signal), carrying
    the household's id and the import's."""
    if not objets:
        return
    content_type = ContentType.objects.get_for_model(type(objets[0]))
    maintenant = timezone.now()
    origine = f"import n° {import_menages.pk} : {import_menages.nom_fichier}"
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(o.pk),
                object_id=o.pk,
                object_repr=str(o)[:200],
                action=LogEntry.Action.CREATE,
                changes={
                    **{c: ["None", _valeur_lisible(o, c)] for c in champs},
                    "origine": ["", f"Reprise de l’existant ({origine})"],
                },
                actor=auteur,
                timestamp=maintenant,
                additional_data={"menage_id": menage_id(o), "import_menages": import_menages.pk},
            )
            for o in objets
        ],
        batch_size=BATCH_SIZE,
    )


def _ecrire(lignes: list[LigneMenage], *, dispositif, auteur, import_menages, simulation=False) -> Apercu:
    aujourdhui = timezone.localdate()
    motif = motif_reprise(aujourdhui)
    references = reserver_references(
        dispositif=dispositif, annees=[ligne.valeurs["date_saisine"].year for ligne in lignes]
    )
    menages = []
    for ligne, reference in zip(lignes, references, strict=True):
        v = ligne.valeurs
        menages.append(
            Menage(
                dispositif=dispositif,
                reference=reference,
                nom=v["nom"],
                nom_recherche=normalize(v["nom"]),
                # What the list's search reads, members included (bulk writes skip Membre.save).
                texte_recherche=texte_recherche(
                    v["nom"], reference, [f"{m['nom']} {m['prenom']}" for m in ligne.membres]
                ),
                bailleur=v.get("bailleur"),
                commune=v.get("commune"),
                etat=v["etape"],
                date_saisine=v["date_saisine"],
                source_orientation=v["source_orientation"],
                orienteur=v.get("orienteur", ""),
                problematique=v["problematique"],
                situation_logement=v["situation_logement"],
                adresse=v.get("adresse", ""),
                telephone=v.get("telephone", ""),
                email=v.get("email", ""),
                date_adhesion=v.get("date_adhesion"),
                niveau=v.get("niveau") or "",
                motif_sortie=v.get("motif_sortie", ""),
                motif_refus=v.get("motif_refus", ""),
                cree_par=auteur,
            )
        )
    Menage.objects.bulk_create(menages, batch_size=BATCH_SIZE)
    Saisine.objects.bulk_create([Saisine.du_parcours_actuel(m) for m in menages], batch_size=BATCH_SIZE)

    membres, contacts, intervenants, consentements, evenements = [], [], [], [], []
    accompagnements, iml = [], {}
    for ligne, menage in zip(lignes, menages, strict=True):
        v = ligne.valeurs
        for m in ligne.membres:
            membres.append(
                Membre(
                    menage=menage,
                    nom=m["nom"],
                    prenom=m["prenom"],
                    nom_recherche=normalize(f"{m['nom']} {m['prenom']}"),
                    date_naissance=m.get("date_naissance"),
                    lien=m["lien"],
                    date_entree=m.get("date_entree"),
                    date_sortie=m.get("date_sortie"),
                )
            )
        referent = v.get("referent")
        if referent is not None:
            intervenants.append(
                Intervenant(
                    menage=menage,
                    type=TypeIntervention.REFERENT,
                    organisation_id=referent.organisation_id,
                    utilisateur=referent,
                    date_debut=v["date_saisine"],
                )
            )
        if "consentement_bailleur" in v:
            consentements.append(
                ConsentementPartage(
                    menage=menage,
                    partenaire=Partenaire.BAILLEUR,
                    date_consentement=v["consentement_bailleur"],
                    version_notice=motif[:100],
                    enregistre_par=auteur,
                )
            )
        for c in ligne.contacts:
            contacts.append(
                Contact(
                    menage=menage,
                    type=c["type"],
                    date=_a_midi(c["date"], c.get("heure", HEURE_PAR_DEFAUT)),
                    duree_minutes=c.get("duree", 60),
                    note=c.get("note", ""),
                    confidentialite=c.get("confidentialite", Confidentialite.TRAVAILLEURS_SOCIAUX),
                    auteur=c.get("auteur") or referent or auteur,
                )
            )
        evenements.append(
            EvenementParcours(
                menage=menage,
                numero_parcours=1,
                etat_apres=EtatParcours.SAISINE,
                auteur=auteur,
                motif=f"Saisine du dispositif – {motif[0].lower()}{motif[1:]}",
                date=_a_midi(v["date_saisine"]),
            )
        )
        etape = v["etape"]
        if etape in ETAPES_AVEC_ACCOMPAGNEMENT:
            entree = (
                EtatParcours.RELAIS_SORTANT
                if v["niveau"] == CodeNiveau.RELAIS_SORTANT
                else EtatParcours.ACCOMPAGNEMENT
            )
            evenements.append(
                EvenementParcours(
                    menage=menage,
                    numero_parcours=1,
                    etat_avant=EtatParcours.SAISINE,
                    etat_apres=entree,
                    auteur=auteur,
                    motif=motif,
                    date=_a_midi(v["date_debut"]),
                )
            )
            if etape == EtatParcours.CLOS:
                evenements.append(
                    EvenementParcours(
                        menage=menage,
                        numero_parcours=1,
                        etat_avant=entree,
                        etat_apres=EtatParcours.CLOS,
                        auteur=auteur,
                        motif=motif,
                        date=_a_midi(v["date_fin"]),
                    )
                )
            accompagnement = Accompagnement(
                menage=menage,
                numero_parcours=1,
                niveau=v["niveau"],
                date_debut=v["date_debut"],
                date_fin_prevue=v["date_fin_prevue"],
                date_fin=v.get("date_fin"),
                rythme=v.get("rythme", Rythme.HEBDOMADAIRE),
                motif_sortie=v.get("motif_sortie", ""),
                situation_sortie=v.get("situation_sortie", ""),
                correction_fin=motif if etape == EtatParcours.CLOS else "",
            )
            accompagnements.append(accompagnement)
            if "iml_partenaire" in v:
                iml[id(accompagnement)] = v
        elif etape != EtatParcours.SAISINE:
            evenements.append(
                EvenementParcours(
                    menage=menage,
                    numero_parcours=1,
                    etat_avant=EtatParcours.SAISINE,
                    etat_apres=etape,
                    auteur=auteur,
                    motif=motif,
                    date=timezone.now(),
                )
            )
    Membre.objects.bulk_create(membres, batch_size=BATCH_SIZE)
    Intervenant.objects.bulk_create(intervenants, batch_size=BATCH_SIZE)
    ConsentementPartage.objects.bulk_create(consentements, batch_size=BATCH_SIZE)
    # bulk_create sends no signal: the landlords' counts by step of the programme, once.
    effectifs.recalculer(dispositif_id=dispositif.pk)
    EvenementParcours.objects.bulk_create(evenements, batch_size=BATCH_SIZE)
    Accompagnement.objects.bulk_create(accompagnements, batch_size=BATCH_SIZE)
    # The level of each episode: an administrator's correction with its written reason, the
    # origin the domain gives a level when no committee decision is on record.
    ChangementNiveau.objects.bulk_create(
        [
            ChangementNiveau(
                accompagnement=a,
                nouveau_niveau=a.niveau,
                date_effet=a.date_debut,
                date_decision=aujourdhui,
                date_fin_prevue=a.date_fin_prevue,
                origine=OrigineChangementNiveau.ADMINISTRATEUR,
                motif=motif,
                auteur=auteur,
            )
            for a in accompagnements
        ],
        batch_size=BATCH_SIZE,
    )
    ChangementRythme.objects.bulk_create(
        [
            ChangementRythme(accompagnement=a, rythme=a.rythme, date=a.date_debut, motif=motif, auteur=auteur)
            for a in accompagnements
        ],
        batch_size=BATCH_SIZE,
    )
    MesureIml.objects.bulk_create(
        [
            MesureIml(
                accompagnement=a,
                partenaire=iml[id(a)]["iml_partenaire"],
                forme=iml[id(a)]["iml_forme"],
                date_debut_contrat=iml[id(a)]["iml_debut"],
            )
            for a in accompagnements
            if id(a) in iml
        ],
        batch_size=BATCH_SIZE,
    )
    Contact.objects.bulk_create(contacts, batch_size=BATCH_SIZE)

    if not simulation:
        _journal_des_creations(import_menages, auteur, menages, membres, accompagnements, contacts)
    return _apercu(lignes, menages, membres, accompagnements, contacts)


def _journal_des_creations(import_menages, auteur, menages, membres, accompagnements, contacts) -> None:
    journal = {"auteur": auteur, "import_menages": import_menages}
    _journaliser(menages, **journal, menage_id=lambda o: o.pk, champs=("reference", "nom", "etat", "niveau"))
    _journaliser(membres, **journal, menage_id=lambda o: o.menage_id, champs=("nom", "prenom", "lien"))
    _journaliser(accompagnements, **journal, menage_id=lambda o: o.menage_id, champs=("niveau", "date_debut"))
    # Only the unclassified fields of a contact: its note may be reserved to social workers.
    _journaliser(
        contacts, **journal, menage_id=lambda o: o.menage_id, champs=("type", "date", "duree_minutes")
    )


def _apercu(lignes, menages, membres, accompagnements, contacts) -> Apercu:
    etapes = Counter(m.etat for m in menages)
    niveaux = Counter(m.niveau for m in menages if m.niveau)
    return Apercu(
        menages=len(menages),
        membres=len(membres),
        accompagnements=len(accompagnements),
        contacts=len(contacts),
        par_etape=[(e.label, etapes[e]) for e in EtatParcours if etapes[e]],
        par_niveau=[(n.label, niveaux[n]) for n in CodeNiveau if niveaux[n]],
        premiers=[
            {
                "reference_import": ligne.valeurs["reference_import"],
                "reference": m.reference,
                "nom": m.nom,
                "etape": m.get_etat_display(),
                "niveau": m.get_niveau_display(),
                "membres": len(ligne.membres),
                "contacts": len(ligne.contacts),
            }
            for ligne, m in list(zip(lignes, menages, strict=True))[:APERCU]
        ],
    )


REFUS_DE_LA_BASE = (
    "Le fichier n’a pas pu être importé : une valeur est refusée par la base de données. Vérifiez les "
    "longueurs et les dates, ou signalez le fichier à l’équipe technique."
)


class _Simulation(Exception):
    """Raised at the end of a simulation to roll back what it wrote."""


def empreinte(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _verifier_fichier(*, dispositif, nom_fichier, data, rapport) -> list[LigneMenage]:
    deja = (
        ImportMenages.objects.filter(
            dispositif=dispositif, statut=StatutImport.IMPORTE, empreinte=empreinte(data)
        )
        .order_by("-importe_le")
        .first()
    )
    if deja is not None:
        rapport.erreur_fichier(
            f"Ce fichier a déjà été importé le {timezone.localtime(deja.importe_le):%d/%m/%Y à %H:%M} "
            f"({deja.menages} ménages) : il créerait chaque ménage une seconde fois."
        )
        return []
    fichier = _Fichier(nom_fichier, data)
    try:
        feuilles = lire_feuilles(fichier, feuille_csv=MENAGES)
    except FichierIllisible as exc:
        rapport.erreur_fichier(str(exc))
        return []
    return _verifier(feuilles, _Contexte(dispositif), rapport)


class _Fichier:
    """A file's name and content, as the readers take them."""

    def __init__(self, name, data):
        self.name = name
        self._data = data

    def seek(self, _position):
        pass

    def read(self):
        return self._data


def simuler(*, dispositif: Dispositif, nom_fichier: str, data: bytes, auteur) -> RapportImportMenages:
    """Check the file and, if it has no error, keep it for its confirmation and tell what its import
    would create (written and rolled back). The pending simulation is returned in the report."""
    rapport = RapportImportMenages()
    lignes = _verifier_fichier(dispositif=dispositif, nom_fichier=nom_fichier, data=data, rapport=rapport)
    if not rapport.reussi:
        return rapport
    try:
        with transaction.atomic():
            essai = ImportMenages.objects.create(
                dispositif=dispositif, auteur=auteur, nom_fichier=nom_fichier, empreinte=empreinte(data)
            )
            rapport.apercu = _ecrire(
                lignes, dispositif=dispositif, auteur=auteur, import_menages=essai, simulation=True
            )
            raise _Simulation
    except _Simulation:
        pass
    except DatabaseError:
        # Every rule is checked line by line first; a refusal of the database here is a gap in
        # those checks, reported without a server error (and logged for the developers).
        logger.exception("Import de ménages refusé par la base de données")
        return rapport.erreur_fichier(REFUS_DE_LA_BASE)
    with transaction.atomic():
        # An administrator's earlier simulations, and anybody's older than a day, are dropped.
        ImportMenages.objects.filter(statut=StatutImport.SIMULATION).filter(
            Q(auteur=auteur) | Q(cree_le__lt=timezone.now() - datetime.timedelta(days=1))
        ).delete()
        rapport.import_menages = ImportMenages.objects.create(
            dispositif=dispositif,
            auteur=auteur,
            nom_fichier=nom_fichier,
            empreinte=empreinte(data),
            contenu=data,
        )
    return rapport


def simulations_en_attente(user):
    """The simulations `user` may still confirm: their own, of the last day."""
    return ImportMenages.objects.visible_to(user).filter(
        statut=StatutImport.SIMULATION,
        auteur=user,
        cree_le__gte=timezone.now() - datetime.timedelta(days=1),
    )


def confirmer(*, import_menages: ImportMenages, auteur) -> RapportImportMenages:
    """Import the simulated file, all or nothing: checked again (the programme may have changed
    since the simulation), then written in one transaction. The pending row becomes the import's
    trace, its content emptied; with an error nothing is written and the simulation is dropped."""
    rapport = RapportImportMenages()
    try:
        with transaction.atomic():
            import_menages = ImportMenages.objects.select_for_update().get(pk=import_menages.pk)
            if import_menages.statut != StatutImport.SIMULATION:
                return rapport.erreur_fichier("Cet import a déjà été confirmé.")
            # One import at a time per programme: the duplicate-file check and the numbering hold.
            Dispositif.objects.select_for_update().get(pk=import_menages.dispositif_id)
            lignes = _verifier_fichier(
                dispositif=import_menages.dispositif,
                nom_fichier=import_menages.nom_fichier,
                data=bytes(import_menages.contenu),
                rapport=rapport,
            )
            if rapport.reussi:
                apercu = _ecrire(
                    lignes, dispositif=import_menages.dispositif, auteur=auteur, import_menages=import_menages
                )
                import_menages.statut = StatutImport.IMPORTE
                import_menages.contenu = b""
                import_menages.importe_le = timezone.now()
                import_menages.menages = apercu.menages
                import_menages.membres = apercu.membres
                import_menages.accompagnements = apercu.accompagnements
                import_menages.contacts = apercu.contacts
                import_menages.save()
                rapport.apercu = apercu
                rapport.import_menages = import_menages
                return rapport
    except DatabaseError:
        logger.exception("Import de ménages refusé par la base de données")
        rapport.erreur_fichier(REFUS_DE_LA_BASE)
    import_menages.delete()
    return rapport


def abandonner(*, import_menages: ImportMenages) -> None:
    """Drop a simulation that will not be confirmed, with the file it kept."""
    ImportMenages.objects.filter(pk=import_menages.pk, statut=StatutImport.SIMULATION).delete()


# The template ---------------------------------------------------------------------------------

MODE_EMPLOI = "Mode d’emploi"


def modele_xlsx() -> bytes:
    """The template: one sheet per kind with its headers, and a sheet explaining each column (required
    or not, accepted values, an example)."""
    workbook = Workbook()
    aide = workbook.active
    aide.title = MODE_EMPLOI
    aide.append(["Feuille", "Colonne", "Obligatoire", "Valeurs acceptées", "Exemple"])
    for feuille in FEUILLES:
        for colonne in COLONNES[feuille]:
            aide.append(
                [
                    feuille,
                    colonne.libelle,
                    "oui" if colonne.obligatoire else "non",
                    colonne.valeurs,
                    colonne.exemple,
                ]
            )
    for cell in aide[1]:
        cell.font = Font(bold=True)
    for lettre, largeur in zip("ABCDE", (12, 38, 12, 90, 30), strict=True):
        aide.column_dimensions[lettre].width = largeur
    for feuille in FEUILLES:
        sheet = workbook.create_sheet(feuille)
        sheet.append([c.libelle for c in COLONNES[feuille]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def modele_zip() -> bytes:
    """The template as a zip archive of three CSV files (separated by semicolons, UTF-8)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for feuille in FEUILLES:
            sortie = io.StringIO()
            csv.writer(sortie, delimiter=";").writerow([c.libelle for c in COLONNES[feuille]])
            archive.writestr(f"{feuille}.csv", "\ufeff" + sortie.getvalue())
    return buffer.getvalue()
