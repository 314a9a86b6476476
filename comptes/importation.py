"""What every import of a spreadsheet shares (the landlords' stock, an existing caseload): reading
a CSV or XLSX file within bounds, reading French values (dates, numbers, yes/no, closed lists),
finding the columns by their header, and the report of errors by sheet, line and column.

Nothing here writes: each import checks every line with these helpers and writes, all or nothing,
in its own app."""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from comptes.formats import format_nombre
from comptes.models import Commune

# The largest file an import accepts (checked by the forms before anything is read).
TAILLE_MAX_IMPORT = 20 * 1024 * 1024
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
    ligne: int | None  # None: the file (or the sheet) as a whole: format, missing column…
    colonne: str
    message: str
    feuille: str = ""  # the sheet, for a file of several sheets

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

    def erreur_fichier(self, message: str, feuille: str = "") -> "RapportImport":
        self.erreurs.append(ErreurImport(None, "", message, feuille))
        return self


class FichierIllisible(Exception):
    pass


class ValeurInvalide(Exception):
    pass


def normaliser(text: str) -> str:
    """Lower case, no accents, words joined by single spaces: « Lézignan-Corbières » and
    « LEZIGNAN CORBIERES » compare equal."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


# Reading the file ---------------------------------------------------------------------------


def lire_csv(data: bytes) -> list[list]:
    """The rows of a CSV file: UTF-8 or Windows-1252, separated by semicolons, commas or tabs."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save French CSV files in Windows-1252.
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise FichierIllisible("Le fichier CSV est illisible : est-ce bien un fichier texte ?")
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


def _verifier_archive(data: bytes, message: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            decompresse = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FichierIllisible(message) from exc
    if decompresse > XLSX_DECOMPRESSE_MAX:
        raise FichierIllisible("Le fichier est trop volumineux une fois décompressé : découpez-le.")


def lire_classeur(data: bytes) -> dict[str, list[list]]:
    """The rows of every sheet of an XLSX workbook, by sheet name (in the workbook's order)."""
    _verifier_archive(data, "Le classeur Excel est illisible ou endommagé.")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FichierIllisible("Le classeur Excel est illisible ou endommagé.") from exc
    feuilles = {}
    total = 0
    try:
        for sheet in workbook.worksheets:
            rows = []
            for row in sheet.iter_rows(max_col=COLONNES_MAX, values_only=True):
                total += 1
                if total > LIGNES_MAX:
                    raise FichierIllisible(TROP_DE_LIGNES)
                rows.append(list(row))
            feuilles[sheet.title] = rows
    except (KeyError, OSError, ValueError, TypeError) as exc:
        raise FichierIllisible("Le classeur Excel est illisible ou endommagé.") from exc
    finally:
        workbook.close()
    return feuilles


def lire_archive_csv(data: bytes) -> dict[str, list[list]]:
    """The rows of each CSV file of a zip archive, by file name without its extension."""
    _verifier_archive(data, "L’archive .zip est illisible ou endommagée.")
    feuilles = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            nom = PurePath(info.filename)
            if info.is_dir() or nom.name.startswith(".") or nom.suffix.lower() not in (".csv", ".txt"):
                continue
            try:
                feuilles[nom.stem] = lire_csv(archive.read(info))
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
                raise FichierIllisible("L’archive .zip est illisible ou endommagée.") from exc
    if not feuilles:
        raise FichierIllisible("L’archive .zip ne contient aucun fichier .csv.")
    return feuilles


def _contenu(fichier) -> tuple[str, bytes]:
    nom = getattr(fichier, "name", "") or ""
    fichier.seek(0)
    data = fichier.read()
    if not data:
        raise FichierIllisible("Le fichier est vide.")
    extension = PurePath(nom).suffix.lower()
    if extension == ".xls":
        raise FichierIllisible(
            "Le format Excel 97-2003 (.xls) n’est pas pris en charge : enregistrez le fichier au "
            "format .xlsx ou .csv."
        )
    return extension, data


def lire_lignes(fichier) -> list[list]:
    """The rows of a CSV or XLSX file (first sheet), header included."""
    extension, data = _contenu(fichier)
    if extension == ".xlsx" or data[:4] == b"PK\x03\x04":
        feuilles = lire_classeur(data)
        return next(iter(feuilles.values()), [])
    if extension in (".csv", ".txt", ""):
        return lire_csv(data)
    raise FichierIllisible("Format de fichier non pris en charge : déposez un fichier .csv ou .xlsx.")


def lire_feuilles(fichier, *, feuille_csv: str) -> dict[str, list[list]]:
    """The rows of each sheet of a file: an XLSX workbook (its sheets), a zip archive of CSV files
    (one per sheet, named after it) or a single CSV file (the sheet `feuille_csv`)."""
    extension, data = _contenu(fichier)
    if extension == ".zip":
        return lire_archive_csv(data)
    if extension == ".xlsx":
        return lire_classeur(data)
    if extension in (".csv", ".txt"):
        return {feuille_csv: lire_csv(data)}
    raise FichierIllisible("Format de fichier non pris en charge : déposez un fichier .xlsx, .csv ou .zip.")


# Checking one value -------------------------------------------------------------------------


def en_texte(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\u00a0", " ").strip()


def est_vide(value) -> bool:
    return en_texte(value) == ""


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


def lire_entier(value, *, minimum: int, maximum: int) -> int:
    """A whole number within bounds (« 45 », 45.0 read from a spreadsheet)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif re.fullmatch(r"-?\d+", re.sub(r"[\s\u00a0\u202f]", "", en_texte(value))):
        number = int(re.sub(r"[\s\u00a0\u202f]", "", en_texte(value)))
    else:
        raise ValeurInvalide(f"« {en_texte(value)} » n’est pas un nombre entier.")
    if not minimum <= number <= maximum:
        raise ValeurInvalide(f"Indiquez un nombre entier de {minimum} à {format_nombre(maximum)}.")
    return number


OUI = {"oui", "o", "1", "vrai", "x", "yes", "true"}
NON = {"non", "n", "0", "faux", "no", "false", ""}


def lire_booleen(value) -> bool:
    if isinstance(value, bool):
        return value
    text = normaliser(en_texte(value))
    if text in OUI:
        return True
    if text in NON:
        return False
    raise ValeurInvalide(f"« {en_texte(value)} » n’est pas compris : indiquez oui ou non.")


def lire_date(value) -> datetime.date:
    """A date written the French way (jj/mm/aaaa, also jj-mm-aaaa and jj.mm.aaaa), or a date cell
    of a spreadsheet."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = en_texte(value)
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if not match:
        raise ValeurInvalide(f"« {text} » n’est pas une date : écrivez-la jj/mm/aaaa (exemple : 15/03/2025).")
    jour, mois, annee = (int(part) for part in match.groups())
    try:
        date = datetime.date(annee, mois, jour)
    except ValueError:
        raise ValeurInvalide(f"Le {text} n’existe pas dans le calendrier.") from None
    if not 1900 <= annee <= 2100:
        raise ValeurInvalide(f"L’année de « {text} » n’est pas plausible.")
    return date


def lire_heure(value) -> datetime.time:
    """A time of day: 14:30, 14h30, 14h, or a time cell of a spreadsheet."""
    if isinstance(value, datetime.datetime):
        return value.time()
    if isinstance(value, datetime.time):
        return value
    text = en_texte(value).lower()
    match = re.fullmatch(r"(\d{1,2})\s*[:h]\s*(\d{2})?", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2) or 0) > 59:
        raise ValeurInvalide(
            f"« {en_texte(value)} » n’est pas une heure : écrivez-la hh:mm (exemple : 14:30)."
        )
    return datetime.time(int(match.group(1)), int(match.group(2) or 0))


def choix(value, choices: dict, attendu: str):
    """The value of a closed list, found by its normalised wording (`choices`: wording -> value)."""
    text = normaliser(en_texte(value))
    if text in choices:
        return choices[text]
    raise ValeurInvalide(f"« {en_texte(value)} » n’est pas reconnu : attendu {attendu}.")


def choix_des_libelles(enum, **autres) -> dict:
    """The wordings accepted for a TextChoices: its label, its code, and `autres` (wording -> value)."""
    valeurs = {}
    for membre in enum:
        valeurs[normaliser(membre.label)] = membre
        valeurs[normaliser(membre.value)] = membre
    valeurs |= {normaliser(k): v for k, v in autres.items()}
    return valeurs


def texte(value, max_length: int) -> str:
    text = en_texte(value)
    if len(text) > max_length:
        raise ValeurInvalide(f"Le texte est trop long ({max_length} caractères au plus).")
    return text


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


# Columns ------------------------------------------------------------------------------------


def reperer_colonnes(
    header: list, colonnes: dict, obligatoires, libelles: dict, rapport: RapportImport, feuille: str = ""
) -> dict[str, tuple[int, str]]:
    """field name -> (column index, header as written in the file), from the first line; a missing
    required column is an error of the file (of the sheet)."""
    trouvees = {}
    for index, titre in enumerate(header):
        cle = normaliser(en_texte(titre))
        for nom, alias in colonnes.items():
            if cle in alias and nom not in trouvees:
                trouvees[nom] = (index, en_texte(titre))
    manquantes = [libelles[nom] for nom in obligatoires if nom not in trouvees]
    if manquantes:
        rapport.erreur_fichier(
            "Colonne{s} obligatoire{s} absente{s} de la première ligne : {noms}.".format(
                s="s" if len(manquantes) > 1 else "", noms=", ".join(manquantes)
            ),
            feuille,
        )
    return trouvees
