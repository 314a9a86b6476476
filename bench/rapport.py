"""Combine the measures at 100 and at 10,000 households into a report (Markdown and JSON).

Targets (issue «Proof at scale», tightened by issue #21): each key page's p95 within 4 times the
floor's and within 1.3 times its own p95 at 100 households (#21; «Proof at scale» asked 1.5); every
SQL query under 20 ms.

With further arguments, crawl results (`manage.py bench_crawl --sortie`: at 10,000 households by
`make bench`, at 50,000 by `make bench-50000`): the worst pages of each role are added to the report,
one section per crawl, and the report fails when a crawl missed its target."""

import json
import sys
from pathlib import Path

PIRES_PAR_ROLE = 5
# A key page's p95 at 10,000 households, at most this many times its p95 at 100 (issue #21).
CROISSANCE_MAX = 1.3


def section_crawl(crawl: dict) -> list[str]:
    """Markdown lines: the verdict, then the worst pages of each role with their query counts."""
    echelle = f" à {crawl['menages']} ménages" if "menages" in crawl else ""
    md = [
        "",
        f"## Pages atteintes par les liens de chaque rôle{echelle} ({crawl['pages_mesurees']} pages)",
        "",
        f"Médiane de chaque page rapportée à la médiane du plancher, mesurées en alternance ; "
        f"objectif : au plus {crawl['objectif']:g} fois le plancher. Ratio maximal : {crawl['ratio_max']:.2f} "
        f"({'atteint' if crawl['objectif_atteint'] else 'non atteint'}).",
        "",
        "| Rôle | Page | Motif d’URL | ms | plancher (ms) | × plancher | requêtes |",
        "|---|---|---|---|---|---|---|",
    ]
    for role, data in crawl["roles"].items():
        for p in data["pages"][:PIRES_PAR_ROLE]:
            md.append(
                f"| {role} | `{p['url']}` | {p['motif']} | {p['ms']} | {p['plancher_ms']} | {p['ratio']:.2f} | {p['requetes']} |"
            )
    if crawl["erreurs_serveur"]:
        md += ["", "Erreurs serveur :", ""]
        md += [f"- HTTP {e['statut']} pour {e['role']} : `{e['url']}`" for e in crawl["erreurs_serveur"]]
    return md


def main(petit: str, grand: str, sortie: str, *crawls: str) -> int:
    a, b = json.loads(Path(petit).read_text()), json.loads(Path(grand).read_text())
    plancher = b["pages"]["plancher"]["p95_ms"]
    lignes, rapport, ok = [], {"menages": [a["menages"], b["menages"]], "pages": {}}, True
    for name, page in b["pages"].items():
        ref = a["pages"][name]
        vs_plancher = page["p95_ms"] / plancher if plancher else 0
        vs_petit = page["p95_ms"] / ref["p95_ms"] if ref["p95_ms"] else 0
        atteint = name == "plancher" or (
            vs_plancher <= 4 and vs_petit <= CROISSANCE_MAX and page["requete_max_ms"] < 20
        )
        ok &= atteint
        rapport["pages"][name] = {**page, "p95_ms_petit": ref["p95_ms"], "ratio_plancher": round(vs_plancher, 2),
                                  "ratio_petit": round(vs_petit, 2), "objectif_atteint": atteint}  # fmt: skip
        lignes.append(
            f"| {name} | {page['p50_ms']} | {page['p95_ms']} | {ref['p95_ms']} | {vs_plancher:.1f} | {vs_petit:.2f} "
            f"| {page['requetes']} | {page['requete_max_ms']} | {'oui' if atteint else 'non'} |"
        )
    md = [
        f"# Mesures des pages clés ({a['menages']} puis {b['menages']} ménages)",
        "",
        "Latence côté serveur en millisecondes (client de test Django, sans réseau), PostgreSQL.",
        "",
        "| Page | p50 | p95 | p95 à petite échelle | × plancher | × petite échelle | requêtes | requête max (ms) | objectif |",
        "|---|---|---|---|---|---|---|---|---|",
        *lignes,
    ]
    resultats = [json.loads(Path(crawl).read_text()) for crawl in crawls]
    for resultat in resultats:
        md += section_crawl(resultat)
        ok &= resultat["objectif_atteint"]
    if resultats:
        rapport["parcours"] = resultats
    Path(sortie).with_suffix(".md").write_text("\n".join(md) + "\n")
    Path(sortie).with_suffix(".json").write_text(json.dumps(rapport, indent=2, ensure_ascii=False))
    print("\n".join(md))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
