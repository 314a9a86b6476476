"""The import of a landlord's stock file (CSV or XLSX).

The import is all or nothing: every line is checked first and, if one has an error, nothing is
written and the report lists every error by line and column. Otherwise the dwellings are created
or updated (matched on the landlord's reference) in bulk, in one transaction."""

import re
from decimal import Decimal
from pathlib import PurePath

from django.db import transaction

from comptes.importation import (
    Communes,
    ErreurImport,
    FichierIllisible,
    RapportImport,
    ValeurInvalide,
    en_texte,
    lire_booleen,
    lire_decimal,
    lire_lignes,
    normaliser,
    reperer_colonnes,
    typographie,
)
from comptes.importation import choix as _choice
from comptes.importation import texte as _text
from comptes.models import Organisation
from logements.enums import EtiquetteEnergetique, StatutLogement, Typologie
from logements.models import ImportLogements, Logement

BATCH_SIZE = 1000
# The report's types and the typography are shared with the other imports (comptes.importation).
__all__ = ["ErreurImport", "FichierIllisible", "RapportImport", "typographie"]


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
REZ_DE_CHAUSSEE = {"rdc", "rez de chaussee", "rc"}

MONTANT_MAX = Decimal("999999.99")
SURFACE_MAX = Decimal("9999.99")


# Checking one value -------------------------------------------------------------------------


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
    return reperer_colonnes(header, COLONNES, OBLIGATOIRES, LIBELLES_COLONNES, rapport)


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
