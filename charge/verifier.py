"""Check a load test's results against the p95 budgets (charge/budgets.py).

`python -m charge.verifier var/charge/resultats_stats.csv` reads locust's CSV statistics, prints a
table in French (page, requests, failures, median, p95, budget, verdict) and exits with 1 when a
request failed, a page's p95 is above its budget, a page has no budget, or nothing was measured."""

import csv
import sys
from dataclasses import dataclass

from charge.budgets import BUDGETS_MS

AGGREGATED = "Aggregated"


@dataclass(frozen=True)
class Ligne:
    page: str
    methode: str
    requetes: int
    echecs: int
    mediane_ms: float | None
    p95_ms: float | None
    budget_ms: int | None

    @property
    def verdict(self) -> str:
        if self.budget_ms is None:
            return "sans budget"
        if self.echecs:
            return "échecs"
        if self.p95_ms is None or self.p95_ms > self.budget_ms:
            return "dépassé"
        return "tenu"

    @property
    def ok(self) -> bool:
        return self.verdict == "tenu"


def _nombre(valeur: str) -> float | None:
    try:
        return float(valeur)
    except ValueError:  # "N/A" when a page got no answer
        return None


def lire(chemin, budgets=BUDGETS_MS) -> tuple[list[Ligne], Ligne | None]:
    """The rows of locust's `*_stats.csv`, one per request name, and the aggregated row."""
    lignes, total = [], None
    with open(chemin, newline="", encoding="utf-8") as fichier:
        for row in csv.DictReader(fichier):
            ligne = Ligne(
                page=row["Name"],
                methode=row["Type"],
                requetes=int(row["Request Count"]),
                echecs=int(row["Failure Count"]),
                mediane_ms=_nombre(row["50%"]),
                p95_ms=_nombre(row["95%"]),
                budget_ms=budgets.get(row["Name"]),
            )
            if row["Name"] == AGGREGATED:
                total = ligne
            else:
                lignes.append(ligne)
    return lignes, total


def _ms(valeur: float | int | None) -> str:
    if valeur is None:
        return "—"
    return f"{valeur:,.0f}".replace(",", "\u202f") + "\u00a0ms"


def tableau(lignes: list[Ligne], total: Ligne | None) -> str:
    entetes = ("Page", "Requêtes", "Échecs", "Médiane", "p95", "Budget p95", "Verdict")
    rangs = [
        (
            f"{ligne.page} ({ligne.methode})",
            str(ligne.requetes),
            str(ligne.echecs),
            _ms(ligne.mediane_ms),
            _ms(ligne.p95_ms),
            _ms(ligne.budget_ms),
            ligne.verdict,
        )
        for ligne in lignes
    ]
    if total is not None:
        rangs.append(
            (
                "Ensemble",
                str(total.requetes),
                str(total.echecs),
                _ms(total.mediane_ms),
                _ms(total.p95_ms),
                "",
                "",
            )
        )
    largeurs = [max(len(r[i]) for r in [entetes, *rangs]) for i in range(len(entetes))]

    def rang(valeurs):
        cellules = [valeurs[0].ljust(largeurs[0])]
        cellules += [v.rjust(largeurs[i]) for i, v in enumerate(valeurs[1:-1], start=1)]
        cellules.append(valeurs[-1].ljust(largeurs[-1]))
        return "  ".join(cellules).rstrip()

    separation = "  ".join("-" * largeur for largeur in largeurs)
    return "\n".join([rang(entetes), separation, *(rang(r) for r in rangs)])


def verifier(chemin, budgets=BUDGETS_MS) -> tuple[bool, str]:
    """(passed, report) for the statistics file at `chemin`."""
    lignes, total = lire(chemin, budgets)
    texte = [tableau(lignes, total), ""]
    if not lignes:
        texte.append("Échec : aucune requête mesurée.")
        return False, "\n".join(texte)
    fautes = [ligne for ligne in lignes if not ligne.ok]
    for ligne in fautes:
        if ligne.verdict == "sans budget":
            texte.append(f"« {ligne.page} » n’a pas de budget dans charge/budgets.py.")
        elif ligne.verdict == "échecs":
            texte.append(f"« {ligne.page} » : {ligne.echecs} requête(s) en échec.")
        else:
            texte.append(
                f"« {ligne.page} » : p95 de {_ms(ligne.p95_ms)}, au-dessus du budget de {_ms(ligne.budget_ms)}."
            )
    if fautes:
        texte.append(f"Échec : {len(fautes)} page(s) hors budget ou en erreur.")
    else:
        texte.append(f"Réussi : {len(lignes)} pages dans leur budget, aucune requête en échec.")
    return not fautes, "\n".join(texte)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    chemin = argv[0] if argv else "var/charge/resultats_stats.csv"
    try:
        reussi, texte = verifier(chemin)
    except FileNotFoundError:
        print(f"Échec : pas de résultats dans {chemin} (le test de charge a-t-il tourné ?).")
        return 1
    print(texte)
    return 0 if reussi else 1


if __name__ == "__main__":
    sys.exit(main())
