"""The indicators as a flat table (section, indicator, value) for CSV and XLSX exports, read from
the masked indicators (`secret_statistique.masquer_indicateurs`) like the page and the PDF report:
the same cells, masked the same way."""

import csv
import io
from decimal import Decimal

from comptes.formats import format_heures
from financement.secret_statistique import LIBELLE_MASQUE, LIBELLE_SECONDAIRE, Cellule

ENTETES = ["Rubrique", "Indicateur", "Valeur"]


def _heures(cellule):
    return cellule if cellule.masquee else format_heures(cellule.valeur)


def lignes(i) -> list[tuple[str, str, object]]:
    """The rows of the export of the masked indicators `i`: (section, indicator, value or cell)."""
    rows = [
        ("Période", "Du", i["periode"].debut.strftime("%d/%m/%Y")),
        ("Période", "Au", i["periode"].fin.strftime("%d/%m/%Y")),
        ("Effectifs", "Ménages suivis", i["effectifs"]["suivis"]),
        ("Effectifs", "Entrées", i["effectifs"]["entrees"]),
        ("Effectifs", "Sorties", i["effectifs"]["sorties"]),
    ]
    rows += [("Origine de la saisine", label, n) for label, n in i["par_source"]]
    rows += [("Problématique", label, n) for label, n in i["par_problematique"]]
    rows += [("Bailleur", label, n) for label, n in i["par_bailleur"]]
    rows += [("Composition", label, n) for label, n, _avec in i["composition"]]
    rows += [("Typologie", label, n) for label, n in i["typologie"]]
    for row in i["par_niveau"]:
        rows.append(("Niveaux", row["niveau"], row["n"]))
        rows.append(("Durée moyenne (jours)", row["niveau"], row["jours_moyen"]))
        if row["depassements"] is not None:
            rows.append(("Au-delà de la durée maximale du niveau", row["niveau"], row["depassements"]))
            rows.append(("Jours au-delà de la durée maximale", row["niveau"], row["jours_au_dela"]))
    rows += [("Changements de niveau", f"{a} → {b}", n) for a, b, n in i["changements_niveau"]]
    rows += [
        ("Corrections de niveau par un administrateur", f"{a} → {b}", n)
        for a, b, n in i["corrections_niveau"]
    ]
    rows += [("Motifs de sortie", label, n) for label, n in i["motifs_sortie"]]
    rows += [("Situation à la sortie", label, n) for label, n in i["situations_sortie"]]
    r = i["resultats"]
    rows += [
        ("Résultats", "Sorties de ménages « accès »", r["acces"]),
        ("Résultats", "Accès réalisé", r["acces_reussi"]),
        ("Résultats", "Sorties de ménages « maintien »", r["maintien"]),
        ("Résultats", "Maintien réalisé", r["maintien_reussi"]),
        ("Résultats", "Plan d’apurement obtenu", i["mesures"]["plan_apurement"]),
        ("Résultats", "Aide du FSL accordée", i["mesures"]["fsl"]),
        ("Résultats", "Droits ouverts", i["mesures"]["droits_ouverts"]),
        ("Résultats", "Ménages « maintien » relogés", i["mesures"]["relogement"]),
        ("Résultats", "Procédures d’expulsion stoppées", i["expulsions_stoppees"]["total"]),
    ]
    rows += [
        ("Procédures stoppées, dernière étape", label, n)
        for label, n in i["expulsions_stoppees"]["par_etape"]
    ]
    for label, n6, n12 in i["suivi_apres_sortie"]:
        rows += [
            ("Situation 6 mois après la sortie", label, n6),
            ("Situation 12 mois après la sortie", label, n12),
        ]
    rows += [("Dossiers Banque de France", label, n) for label, n in i["dossiers_bdf"]]
    c = i["contacts"]
    rows += [
        ("Contacts", "Nombre de contacts", c["nombre"]),
        ("Contacts", "Temps passé", _heures(c["minutes"])),
        ("Contacts", "Heures TISF", _heures(c["minutes_tisf"])),
        ("Contacts", "Interventions TISF", c["interventions_tisf"]),
    ]
    rows += [("Progression à la sortie", row["domaine"], row["progression"]) for row in i["progression"]]
    rows.append(("Comité de suivi", "Séances", i["comite"]["seances"]))
    rows += [("Décisions du comité", label, n) for label, n in i["comite"]["decisions"]]
    if i["budget"]:
        b = i["budget"]
        for ligne in b["lignes"]:
            rows.append(("Budget prévu (€)", ligne["libelle"], ligne["prevu"]))
            rows.append(("Budget réalisé (€)", ligne["libelle"], ligne["realise"]))
        for part in b["parts"]:
            rows.append(("Versements reçus sur la période (€)", part["financeur"], part["verse_periode"]))
    o = i["objectifs"]
    rows += [
        ("Objectifs", "Ménages entrés depuis le début", o["total"]),
        ("Objectifs", "Objectif total", o["objectif_total"]),
    ]
    rows += [("Objectifs par bailleur", label, n) for label, n in o["par_bailleur"]]
    rows += [("Objectifs par année", str(annee), n) for annee, n in o["par_an"]]
    # Dwellings, not households or people: no statistical secrecy.
    for row in i["logements_mobilises"]:
        rubrique = f"Logements mobilisés (objectif {row['objectif']})"
        rows.append((rubrique, f"{row['bailleur']} : total à la fin de la période", row["total"]))
        rows.append((rubrique, f"{row['bailleur']} : nouveaux sur la période", row["nouveaux"]))
    rows += [
        ("Secret statistique", LIBELLE_MASQUE, "effectif de 1 ou 2, ou moyenne calculée sur 1 ou 2 ménages"),
        (
            "Secret statistique",
            LIBELLE_SECONDAIRE,
            f"chiffre masqué pour qu’aucun «\u00a0{LIBELLE_MASQUE}\u00a0» ne puisse être retrouvé à partir d’un total",
        ),
        ("Secret statistique", "–", "moyenne sans aucun ménage"),
    ]
    return rows


def _valeur(valeur):
    """A cell's value, or what stands for it: its label when it is masked, « – » when there is
    none."""
    if isinstance(valeur, Cellule):
        if valeur.masquee:
            return valeur.libelle
        return "–" if valeur.valeur is None else valeur.valeur
    return valeur


def _cellule(valeur):
    """French decimal comma; amounts with their two decimals."""
    valeur = _valeur(valeur)
    if isinstance(valeur, Decimal):
        return f"{valeur:.2f}".replace(".", ",")
    return str(valeur).replace(".", ",") if not isinstance(valeur, str) else valeur


def en_csv(i) -> bytes:
    """CSV for French spreadsheets: semicolons, decimal commas, UTF-8 with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(ENTETES)
    for rubrique, libelle, valeur in lignes(i):
        writer.writerow([rubrique, libelle, _cellule(valeur)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def en_xlsx(i) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Indicateurs"
    feuille.append(ENTETES)
    for cell in feuille[1]:
        cell.font = Font(bold=True)
    for rubrique, libelle, valeur in lignes(i):
        valeur = _valeur(valeur)
        feuille.append([rubrique, libelle, float(valeur) if not isinstance(valeur, str | int) else valeur])
    feuille.column_dimensions["A"].width = 36
    feuille.column_dimensions["B"].width = 48
    feuille.column_dimensions["C"].width = 16
    buffer = io.BytesIO()
    classeur.save(buffer)
    return buffer.getvalue()


# --- The consolidated figures of several programmes (financement.consolidation) ----------------


def consolidation_lignes(tableau) -> list[list]:
    """The rows of the consolidated table `tableau` (already masked): a header (section,
    indicator, one column per programme, total), then one row per figure, then what the labels of
    statistical secrecy mean."""
    rows = [
        ["Période", "Du", tableau.periode.debut.strftime("%d/%m/%Y")],
        ["Période", "Au", tableau.periode.fin.strftime("%d/%m/%Y")],
        *(
            [f"Période de {c.nom}", "", _periode_colonne(c)]
            for c in tableau.colonnes
            if c.periode != tableau.periode
        ),
        ["Rubrique", "Indicateur", *(c.nom for c in tableau.colonnes), "Total"],
    ]
    for rubrique in tableau.rubriques:
        for rangee in rubrique.rangees:
            rows.append([rubrique.titre, rangee.libelle, *rangee.cellules, rangee.total])
    rows += [
        ["Secret statistique", LIBELLE_MASQUE, "effectif de 1 ou 2 ménages"],
        [
            "Secret statistique",
            LIBELLE_SECONDAIRE,
            f"chiffre masqué pour qu’aucun «\u00a0{LIBELLE_MASQUE}\u00a0» ne puisse être retrouvé à partir d’un total",
        ],
    ]
    return rows


def _periode_colonne(colonne) -> str:
    if colonne.periode is None:
        return "ne se déroule pas pendant la période"
    return f"du {colonne.periode.debut:%d/%m/%Y} au {colonne.periode.fin:%d/%m/%Y}"


def consolidation_en_csv(tableau) -> bytes:
    """CSV for French spreadsheets: semicolons, UTF-8 with a BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in consolidation_lignes(tableau):
        writer.writerow([_cellule(valeur) for valeur in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def consolidation_en_xlsx(tableau) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Chiffres consolidés"
    for row in consolidation_lignes(tableau):
        feuille.append([_valeur(valeur) for valeur in row])
        if row[0] == "Rubrique":
            for cell in feuille[feuille.max_row]:
                cell.font = Font(bold=True)
    feuille.column_dimensions["A"].width = 40
    feuille.column_dimensions["B"].width = 40
    buffer = io.BytesIO()
    classeur.save(buffer)
    return buffer.getvalue()
