"""The import of a landlord's stock file (CSV or XLSX).

The import is all or nothing: every line is checked first and, if one has an error, nothing is
written and the report lists every error by line and column. Otherwise the dwellings are created
or updated (matched on the landlord's reference) in bulk, in one transaction."""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.db import transaction
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from comptes.formats import format_nombre
from comptes.models import Commune, Organisation
from logements.enums import EtiquetteEnergetique, StatutLogement, Typologie
from logements.models import ImportLogements, Logement

BATCH_SIZE = 1000
# Bounds on what a file may hold, so that a wrong or hostile upload cannot exhaust the server (an
# XLSX file is a zip archive: 20 MB can unpack to gigabytes).
LIGNES_MAX = 50_000
COLONNES_MAX = 100
XLSX_DECOMPRESSE_MAX = 200 * 1024 * 1024
TROP_DE_LIGNES = f"Le fichier dépasse {format_nombre(LIGNES_MAX)} lignes : découpez-le en plusieurs fichiers."


def typographie(text: str) -> str:
    """French typography: a no-break space inside « » and before : ; ? !, so that they never
    start a line."""
    return re.sub(r"« ", "«\u00a0", re.sub(r" ([»:;?!])", "\u00a0\\1", text))


@dataclass(frozen=True)
class ErreurImport:
    ligne: int | None  # None: the file as a whole (format, missing column…)
    colonne: str
    message: str

    def __post_init__(self):
        object.__setattr__(self, "message", typographie(self.message))


@dataclass
class RapportImport:
    lignes: int = 0
    crees: int = 0
    mis_a_jour: int = 0
    erreurs: list[ErreurImport] = field(default_factory=list)

    @property
    def reussi(self) -> bool:
        return not self.erreurs

    def erreur_fichier(self, message: str) -> "RapportImport":
        self.erreurs.append(ErreurImport(None, "", message))
        return self


class FichierIllisible(Exception):
    pass


def normaliser(text: str) -> str:
    """Lower case, no accents, words joined by single spaces: « Lézignan-Corbières » and
    « LEZIGNAN CORBIERES » compare equal."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


# The columns of a landlord's file: field name -> accepted headers (normalised).
COLONNES = {
    "reference_bailleur": {"reference", "reference bailleur", "ref", "ref bailleur", "reference logement"},
    "adresse": {"adresse"},
    "commune": {"commune", "ville", "code insee", "insee"},
    "typologie": {"typologie", "type", "type logement"},
    "surface": {"surface", "surface m2", "surface habitable", "surface habitable m2"},
    "loyer": {"loyer", "loyer hc", "loyer mensuel", "loyer hors charges"},
    "charges": {"charges", "charges mensuelles", "provisions sur charges"},
    "etage": {"etage"},
    "ascenseur": {"ascenseur"},
    "accessible_pmr": {"accessible pmr", "pmr", "accessibilite pmr", "accessible"},
    "etiquette_energetique": {"etiquette energetique", "etiquette", "dpe", "etiquette dpe", "classe energie"},
    "statut": {"statut", "etat"},
    "contingent_prefectoral": {
        "contingent prefectoral",
        "contingent",
        "reservation prefectorale",
        "contingent prefet",
    },
}
OBLIGATOIRES = (
    "reference_bailleur",
    "adresse",
    "commune",
    "typologie",
    "surface",
    "loyer",
    "charges",
    "statut",
)
# The header shown in the report when a required column is missing.
LIBELLES_COLONNES = {
    "reference_bailleur": "référence",
    "adresse": "adresse",
    "commune": "commune",
    "typologie": "typologie",
    "surface": "surface",
    "loyer": "loyer",
    "charges": "charges",
    "etage": "étage",
    "ascenseur": "ascenseur",
    "accessible_pmr": "accessible PMR",
    "etiquette_energetique": "étiquette énergétique",
    "statut": "statut",
    "contingent_prefectoral": "contingent préfectoral",
}

# One example line, shown on the import page and written in the template file.
EXEMPLE = {
    "reference_bailleur": "HA-004217",
    "adresse": "3 rue Voltaire, bât. B, apt 12",
    "commune": "Carcassonne",
    "typologie": "T3",
    "surface": "65,50",
    "loyer": "412,30",
    "charges": "58,00",
    "etage": "2",
    "ascenseur": "non",
    "accessible_pmr": "non",
    "etiquette_energetique": "D",
    "statut": "vacant",
    "contingent_prefectoral": "non",
}

TYPOLOGIES = {normaliser(t.value): t for t in Typologie} | {str(i): Typologie(f"T{i}") for i in range(1, 7)}
TYPOLOGIES |= {"t6 et plus": Typologie.T6, "t6 ou plus": Typologie.T6, "t7": Typologie.T6}
# The words a landlord's file may use for each state (normalised), not the stored values.
STATUTS = {
    "occupe": StatutLogement.OCCUPE,
    "vacant": StatutLogement.VACANT,
    "en rotation": StatutLogement.EN_ROTATION,
    "rotation": StatutLogement.EN_ROTATION,
}
OUI = {"oui", "o", "1", "vrai", "x", "yes", "true"}
NON = {"non", "n", "0", "faux", "no", "false", ""}
REZ_DE_CHAUSSEE = {"rdc", "rez de chaussee", "rc"}

MONTANT_MAX = Decimal("999999.99")
SURFACE_MAX = Decimal("9999.99")


# Reading the file ---------------------------------------------------------------------------


def _read_csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save French CSV files in Windows-1252.
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    # Headers carry no decimal comma, so the first line tells the separator reliably (a sniffer
    # would be misled by "512,50" in a file separated by semicolons).
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    delimiter = max(counts, key=counts.get) if any(counts.values()) else ";"
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) > LIGNES_MAX:
                raise FichierIllisible(TROP_DE_LIGNES)
            rows.append(row[:COLONNES_MAX])
    except csv.Error as exc:
        raise FichierIllisible("Le fichier CSV est illisible : est-ce bien un fichier texte ?") from exc
    return rows


def _read_xlsx(data: bytes) -> list[list]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            decompresse = sum(info.file_size for info in archive.infolist())
        if decompresse > XLSX_DECOMPRESSE_MAX:
            raise FichierIllisible(
                "Le classeur Excel est trop volumineux : découpez-le en plusieurs fichiers."
            )
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FichierIllisible("Le classeur Excel est illisible ou endommagé.") from exc
    rows = []
    try:
        for row in workbook.worksheets[0].iter_rows(max_col=COLONNES_MAX, values_only=True):
            if len(rows) > LIGNES_MAX:
                raise FichierIllisible(TROP_DE_LIGNES)
            rows.append(list(row))
    finally:
        workbook.close()
    return rows


def lire_lignes(fichier) -> list[list]:
    """The rows of a CSV or XLSX file (first sheet), header included."""
    nom = getattr(fichier, "name", "") or ""
    extension = PurePath(nom).suffix.lower()
    fichier.seek(0)
    data = fichier.read()
    if not data:
        raise FichierIllisible("Le fichier est vide.")
    if extension == ".xls":
        raise FichierIllisible(
            "Le format Excel 97-2003 (.xls) n’est pas pris en charge : enregistrez le fichier au "
            "format .xlsx ou .csv."
        )
    if extension == ".xlsx" or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if extension in (".csv", ".txt", ""):
        return _read_csv(data)
    raise FichierIllisible("Format de fichier non pris en charge : déposez un fichier .csv ou .xlsx.")


# Checking one value -------------------------------------------------------------------------


class ValeurInvalide(Exception):
    pass


def en_texte(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\u00a0", " ").strip()


def lire_decimal(value, *, maximum: Decimal) -> Decimal:
    """A French or English decimal: 512,50 · 512.50 · 1 234,56 · 1.234,56 · 512,50 €."""
    if isinstance(value, bool):
        raise ValeurInvalide(f"« {value} » n’est pas un nombre.")
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = re.sub(r"[\s\u00a0\u202f€]", "", en_texte(value))
        if "," in text and "." in text:
            # The last separator is the decimal one, the other groups thousands.
            if text.rfind(",") > text.rfind("."):
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValeurInvalide(f"« {en_texte(value)} » n’est pas un nombre (exemple : 512,50).") from None
    if not number.is_finite():
        raise ValeurInvalide(f"« {en_texte(value)} » n’est pas un nombre (exemple : 512,50).")
    number = number.quantize(Decimal("0.01"))
    if number < 0:
        raise ValeurInvalide("La valeur ne peut pas être négative.")
    if number > maximum:
        raise ValeurInvalide(f"La valeur dépasse le maximum autorisé ({str(maximum).replace('.', ',')}).")
    return number


def lire_booleen(value) -> bool:
    if isinstance(value, bool):
        return value
    text = normaliser(en_texte(value))
    if text in OUI:
        return True
    if text in NON:
        return False
    raise ValeurInvalide(f"« {en_texte(value)} » n’est pas compris : indiquez oui ou non.")


def lire_etage(value) -> int | None:
    text = normaliser(en_texte(value))
    if text == "":
        return None
    if text in REZ_DE_CHAUSSEE:
        return 0
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif re.fullmatch(r"-?\d+", en_texte(value)):
        number = int(en_texte(value))
    else:
        raise ValeurInvalide(
            f"« {en_texte(value)} » n’est pas un étage : indiquez un nombre entier (0 ou RDC pour le "
            "rez-de-chaussée)."
        )
    if not -5 <= number <= 60:
        raise ValeurInvalide(f"L’étage {number} n’est pas plausible (de -5 à 60).")
    return number


class Communes:
    """The communes known to the app, found by INSEE code or by name (accents and case ignored)."""

    def __init__(self):
        self.par_insee = {}
        self.par_nom = {}
        for commune in Commune.objects.all():
            self.par_insee[commune.code_insee.upper()] = commune
            self.par_nom.setdefault(normaliser(commune.nom), []).append(commune)

    def trouver(self, value) -> Commune:
        text = en_texte(value)
        if re.fullmatch(r"\d{4}", text):
            text = "0" + text  # an INSEE code read as a number lost its leading zero
        if commune := self.par_insee.get(text.upper()):
            return commune
        found = self.par_nom.get(normaliser(text), [])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise ValeurInvalide(f"Plusieurs communes s’appellent « {text} » : indiquez son code INSEE.")
        raise ValeurInvalide(f"Commune « {text} » inconnue (indiquez son nom ou son code INSEE).")


def _choice(value, choices: dict, attendu: str):
    text = normaliser(en_texte(value))
    if text in choices:
        return choices[text]
    raise ValeurInvalide(f"« {en_texte(value)} » n’est pas reconnu : attendu {attendu}.")


def _text(value, max_length: int) -> str:
    text = en_texte(value)
    if len(text) > max_length:
        raise ValeurInvalide(f"Le texte est trop long ({max_length} caractères au plus).")
    return text


def _parsers(communes: Communes):
    return {
        "reference_bailleur": lambda v: _text(v, 50),
        "adresse": lambda v: _text(v, 255),
        "commune": communes.trouver,
        "typologie": lambda v: _choice(v, TYPOLOGIES, "T1, T2, T3, T4, T5 ou T6"),
        "surface": lambda v: lire_decimal(v, maximum=SURFACE_MAX),
        "loyer": lambda v: lire_decimal(v, maximum=MONTANT_MAX),
        "charges": lambda v: lire_decimal(v, maximum=MONTANT_MAX),
        "etage": lire_etage,
        "ascenseur": lire_booleen,
        "accessible_pmr": lire_booleen,
        "etiquette_energetique": lambda v: (
            _choice(v, {e.value.lower(): e for e in EtiquetteEnergetique}, "une lettre de A à G")
            if en_texte(v)
            else ""
        ),
        "statut": lambda v: _choice(v, STATUTS, "occupé, vacant ou en rotation"),
        # An empty cell: not in the contingent.
        "contingent_prefectoral": lambda v: lire_booleen(v) if en_texte(v) else False,
    }


# The import ---------------------------------------------------------------------------------


def _map_columns(header: list, rapport: RapportImport) -> dict[str, tuple[int, str]]:
    """field name -> (column index, header as written in the file)."""
    colonnes = {}
    for index, titre in enumerate(header):
        cle = normaliser(en_texte(titre))
        for nom, alias in COLONNES.items():
            if cle in alias and nom not in colonnes:
                colonnes[nom] = (index, en_texte(titre))
    manquantes = [LIBELLES_COLONNES[nom] for nom in OBLIGATOIRES if nom not in colonnes]
    if manquantes:
        rapport.erreur_fichier(
            "Colonne{s} obligatoire{s} absente{s} de la première ligne : {noms}.".format(
                s="s" if len(manquantes) > 1 else "", noms=", ".join(manquantes)
            )
        )
    return colonnes


def _check_rows(rows, colonnes, parsers, rapport) -> dict[str, dict]:
    """reference -> checked values of each line; the errors go to the report."""
    valeurs_par_reference = {}
    ligne_par_reference = {}
    for numero, row in enumerate(rows, start=2):
        if all(en_texte(cell) == "" for cell in row):
            continue
        rapport.lignes += 1
        valeurs, erreurs = {}, []
        for nom, (index, titre) in colonnes.items():
            brut = row[index] if index < len(row) else None
            if nom in OBLIGATOIRES and en_texte(brut) == "":
                erreurs.append(ErreurImport(numero, titre, "Ce champ est obligatoire."))
                continue
            try:
                valeurs[nom] = parsers[nom](brut)
            except ValeurInvalide as exc:
                erreurs.append(ErreurImport(numero, titre, str(exc)))
        reference = valeurs.get("reference_bailleur")
        if reference:
            if reference in ligne_par_reference:
                erreurs.append(
                    ErreurImport(
                        numero,
                        colonnes["reference_bailleur"][1],
                        f"La référence « {reference} » figure déjà à la ligne "
                        f"{ligne_par_reference[reference]}.",
                    )
                )
            else:
                ligne_par_reference[reference] = numero
        if erreurs:
            rapport.erreurs.extend(erreurs)
        else:
            valeurs_par_reference[reference] = valeurs
    return valeurs_par_reference


def importer_logements(*, bailleur: Organisation, fichier, auteur) -> RapportImport:
    """Create or update the dwellings of `bailleur` from a CSV or XLSX file, all or nothing.

    The landlord comes from the caller, never from the file. A dwelling is matched on its
    landlord's reference; a dwelling missing from the file is left as it is. Returns a report:
    lines read, dwellings created and updated, or the errors (then nothing was written)."""
    if not bailleur.est_bailleur:
        raise ValueError(f"{bailleur} n’est pas un bailleur.")
    rapport = RapportImport()
    try:
        rows = lire_lignes(fichier)
    except FichierIllisible as exc:
        return rapport.erreur_fichier(str(exc))
    if not rows or all(en_texte(cell) == "" for cell in rows[0]):
        return rapport.erreur_fichier("La première ligne doit contenir le nom des colonnes.")

    colonnes = _map_columns(rows[0], rapport)
    if not rapport.reussi:
        return rapport
    valeurs_par_reference = _check_rows(rows[1:], colonnes, _parsers(Communes()), rapport)
    if not rapport.lignes and rapport.reussi:
        return rapport.erreur_fichier("Le fichier ne contient aucun logement.")
    if not rapport.reussi:
        return rapport

    champs = [nom for nom in COLONNES if nom in colonnes and nom != "reference_bailleur"]
    with transaction.atomic():
        # One import at a time per landlord, so that the created/updated counts are exact.
        Organisation.objects.select_for_update().get(pk=bailleur.pk)
        existantes = set(
            Logement.objects.filter(bailleur=bailleur).values_list("reference_bailleur", flat=True)
        )
        logements = [Logement(bailleur=bailleur, **valeurs) for valeurs in valeurs_par_reference.values()]
        Logement.objects.bulk_create(
            logements,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=["bailleur", "reference_bailleur"],
            update_fields=[*champs, "modifie_le"],
        )
        rapport.mis_a_jour = len(existantes & valeurs_par_reference.keys())
        rapport.crees = len(logements) - rapport.mis_a_jour
        ImportLogements.objects.create(
            bailleur=bailleur,
            auteur=auteur,
            nom_fichier=PurePath(getattr(fichier, "name", "") or "fichier").name[:255],
            lignes=rapport.lignes,
            crees=rapport.crees,
            mis_a_jour=rapport.mis_a_jour,
        )
    return rapport
