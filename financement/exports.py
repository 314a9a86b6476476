"""The indicators as a flat table (section, indicator, value) for CSV and XLSX exports. Counts and
averages go through statistical secrecy like in the reports."""

import csv
import io
from decimal import Decimal

from comptes.formats import format_heures
from financement.secret_statistique import LIBELLE_MASQUE, masquer_effectif, masquer_moyenne

ENTETES = ["Rubrique", "Indicateur", "Valeur"]


def lignes(i) -> list[tuple[str, str, object]]:
    s = masquer_effectif
    rows = [
        ("Période", "Du", i["periode"].debut.strftime("%d/%m/%Y")),
        ("Période", "Au", i["periode"].fin.strftime("%d/%m/%Y")),
        ("Effectifs", "Ménages suivis", s(i["effectifs"]["suivis"])),
        ("Effectifs", "Entrées", s(i["effectifs"]["entrees"])),
        ("Effectifs", "Sorties", s(i["effectifs"]["sorties"])),
    ]
    rows += [("Origine de la saisine", label, s(n)) for label, n in i["par_source"]]
    rows += [("Problématique", label, s(n)) for label, n in i["par_problematique"]]
    rows += [("Bailleur", label, s(n)) for label, n in i["par_bailleur"]]
    rows += [("Composition", label, s(n)) for label, n, _avec in i["composition"]]
    rows += [("Typologie", label, s(n)) for label, n in i["typologie"]]
    for row in i["par_niveau"]:
        rows.append(("Niveaux", row["niveau"], s(row["n"])))
        # A level without any household shows its mean duration masked too, as it always has.
        jours_moyen = masquer_moyenne(row["jours_moyen"], row["n"], sans_menage=LIBELLE_MASQUE)
        rows.append(("Durée moyenne (jours)", row["niveau"], jours_moyen))
        if row["depassements"] is not None:
            rows.append(("Au-delà de la durée maximale du niveau", row["niveau"], s(row["depassements"])))
    rows += [("Changements de niveau", f"{a} → {b}", s(n)) for a, b, n in i["changements_niveau"]]
    rows += [
        ("Corrections de niveau par un administrateur", f"{a} → {b}", s(n))
        for a, b, n in i["corrections_niveau"]
    ]
    rows += [("Motifs de sortie", label, s(n)) for label, n in i["motifs_sortie"]]
    rows += [("Situation à la sortie", label, s(n)) for label, n in i["situations_sortie"]]
    r = i["resultats"]
    rows += [
        ("Résultats", "Sorties de ménages « accès »", s(r["acces"])),
        ("Résultats", "Accès réalisé", s(r["acces_reussi"])),
        ("Résultats", "Sorties de ménages « maintien »", s(r["maintien"])),
        ("Résultats", "Maintien réalisé", s(r["maintien_reussi"])),
        ("Résultats", "Plan d’apurement obtenu", s(i["mesures"]["plan_apurement"])),
        ("Résultats", "Aide du FSL accordée", s(i["mesures"]["fsl"])),
        ("Résultats", "Droits ouverts", s(i["mesures"]["droits_ouverts"])),
        ("Résultats", "Ménages « maintien » relogés", s(i["mesures"]["relogement"])),
        ("Résultats", "Procédures d’expulsion stoppées", s(i["expulsions_stoppees"]["total"])),
    ]
    rows += [
        ("Procédures stoppées, dernière étape", label, s(n))
        for label, n in i["expulsions_stoppees"]["par_etape"]
    ]
    for label, n6, n12 in i["suivi_apres_sortie"]:
        rows += [
            ("Situation 6 mois après la sortie", label, s(n6)),
            ("Situation 12 mois après la sortie", label, s(n12)),
        ]
    rows += [("Dossiers Banque de France", label, s(n)) for label, n in i["dossiers_bdf"]]
    c = i["contacts"]
    rows += [
        ("Contacts", "Nombre de contacts", s(c["nombre"])),
        ("Contacts", "Temps passé", format_heures(c["minutes"])),
        ("Contacts", "Heures TISF", format_heures(c["minutes_tisf"])),
        ("Contacts", "Interventions TISF", c["interventions_tisf"]),
    ]
    rows += [
        ("Progression à la sortie", row["domaine"], masquer_moyenne(row["progression"], row["n"]))
        for row in i["progression"]
    ]
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
        ("Objectifs", "Ménages entrés depuis le début", s(o["total"])),
        ("Objectifs", "Objectif total", o["objectif_total"]),
    ]
    rows += [("Objectifs par bailleur", label, s(n)) for label, n in o["par_bailleur"]]
    rows += [("Objectifs par année", str(annee), s(n)) for annee, n in o["par_an"]]
    # Dwellings, not households or people: no statistical secrecy.
    for row in i["logements_mobilises"]:
        rubrique = f"Logements mobilisés (objectif {row['objectif']})"
        rows.append((rubrique, f"{row['bailleur']} : total à la fin de la période", row["total"]))
        rows.append((rubrique, f"{row['bailleur']} : nouveaux sur la période", row["nouveaux"]))
    return rows


def _cellule(valeur):
    """French decimal comma; amounts with their two decimals."""
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
        feuille.append([rubrique, libelle, float(valeur) if not isinstance(valeur, str | int) else valeur])
    feuille.column_dimensions["A"].width = 36
    feuille.column_dimensions["B"].width = 48
    feuille.column_dimensions["C"].width = 16
    buffer = io.BytesIO()
    classeur.save(buffer)
    return buffer.getvalue()
