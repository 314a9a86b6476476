"""Charts drawn as SVG on the server (no JavaScript), for the pages and the PDF reports.

The bars are the cells of `secret_statistique.masquer_indicateurs`, as in the tables. A masked
one is not drawn to scale: its bar is hatched, of a fixed small length whatever it stands for, and
labelled as in the tables; the scale is set by the shown values only. The picture reveals no more
than the tables do.
"""

import zlib
from xml.sax.saxutils import escape

from comptes.formats import format_nombre

COULEURS = ["#1b3a5c", "#3d7ab8", "#7fb0dd", "#c7ddf0", "#e3a33b", "#8a8a8a", "#5c8a3a"]
# The length of a masked value's bar, in pixels.
LONGUEUR_MASQUEE = 12


def _court(label, longueur=34):
    return label if len(label) <= longueur else label[: longueur - 1] + "…"


def barres(donnees, *, titre, largeur=520, objectif=None):
    """A horizontal bar chart of [(label, cell)]. `objectif` draws a dashed target line."""
    hauteur_barre, marge_gauche, marge_haut = 22, 210, 28
    hauteur = marge_haut + len(donnees) * (hauteur_barre + 6) + 10
    maximum = max([c.valeur for _l, c in donnees if not c.masquee] + [objectif or 0, 1])
    zone = largeur - marge_gauche - 70
    motif = f"hachures-{zlib.crc32(titre.encode())}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{largeur}" height="{hauteur}" '
        f'viewBox="0 0 {largeur} {hauteur}" role="img" aria-label="{escape(titre)}">',
        f"<title>{escape(titre)}</title>",
        f'<defs><pattern id="{motif}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="3" height="6" fill="#6f8397"/></pattern></defs>',
        f'<text x="0" y="16" font-size="13" font-weight="bold" fill="#1b3a5c">{escape(titre)}</text>',
    ]
    for i, (label, cellule) in enumerate(donnees):
        y = marge_haut + i * (hauteur_barre + 6)
        parts.append(
            f'<text x="{marge_gauche - 6}" y="{y + 15}" font-size="11" text-anchor="end" fill="#111">'
            f"{escape(_court(str(label)))}</text>"
        )
        if cellule.masquee:
            longueur, texte = LONGUEUR_MASQUEE, cellule.libelle
            parts.append(
                f'<rect class="masquee" x="{marge_gauche}" y="{y}" width="{longueur}" '
                f'height="{hauteur_barre}" fill="url(#{motif})" stroke="#6f8397" stroke-width="1">'
                "<title>Valeur masquée (secret statistique), non dessinée à l’échelle</title></rect>"
            )
        else:
            longueur, texte = zone * cellule.valeur / maximum, format_nombre(cellule.valeur)
            parts.append(
                f'<rect x="{marge_gauche}" y="{y}" width="{longueur:.1f}" height="{hauteur_barre}" '
                f'fill="{COULEURS[i % len(COULEURS)]}"/>'
            )
        parts.append(
            f'<text x="{marge_gauche + longueur + 5:.1f}" y="{y + 15}" font-size="11" fill="#111">'
            f"{escape(texte)}</text>"
        )
    if objectif:
        x = marge_gauche + zone * objectif / maximum
        parts.append(
            f'<line x1="{x:.1f}" y1="{marge_haut - 4}" x2="{x:.1f}" y2="{hauteur - 6}" stroke="#c0392b" '
            'stroke-width="2" stroke-dasharray="5 3"/>'
        )
        parts.append(
            f'<text x="{x + 3:.1f}" y="{marge_haut - 8}" font-size="10" fill="#c0392b">'
            f"objectif {format_nombre(objectif)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def barres_budget(lignes, *, titre, largeur=520):
    """Planned (light) and actual (dark) expenses per budget line."""
    hauteur_groupe, marge_gauche, marge_haut = 34, 210, 40
    hauteur = marge_haut + len(lignes) * (hauteur_groupe + 8) + 10
    maximum = max(
        [float(ligne["prevu"]) for ligne in lignes] + [float(ligne["realise"]) for ligne in lignes] + [1]
    )
    zone = largeur - marge_gauche - 90
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{largeur}" height="{hauteur}" '
        f'viewBox="0 0 {largeur} {hauteur}" role="img" aria-label="{escape(titre)}">',
        f"<title>{escape(titre)}</title>",
        f'<text x="0" y="16" font-size="13" font-weight="bold" fill="#1b3a5c">{escape(titre)}</text>',
        '<rect x="0" y="24" width="10" height="10" fill="#c7ddf0"/>'
        '<text x="14" y="33" font-size="10">prévu</text>'
        '<rect x="60" y="24" width="10" height="10" fill="#1b3a5c"/>'
        '<text x="74" y="33" font-size="10">réalisé</text>',
    ]
    for i, ligne in enumerate(lignes):
        y = marge_haut + i * (hauteur_groupe + 8)
        for j, (cle, couleur) in enumerate((("prevu", "#c7ddf0"), ("realise", "#1b3a5c"))):
            valeur = float(ligne[cle])
            longueur = zone * valeur / maximum
            parts.append(
                f'<rect x="{marge_gauche}" y="{y + j * 16}" width="{longueur:.1f}" height="15" '
                f'fill="{couleur}"/>'
            )
            parts.append(
                f'<text x="{marge_gauche + longueur + 4:.1f}" y="{y + j * 16 + 12}" font-size="10">'
                f"{format_nombre(valeur)}\u00a0€</text>"
            )
        parts.append(
            f'<text x="{marge_gauche - 6}" y="{y + 20}" font-size="11" text-anchor="end">'
            f"{escape(_court(ligne['libelle']))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def graphiques(indicateurs) -> dict:
    """The charts of a report, as SVG strings, from its masked indicators
    (`secret_statistique.masquer_indicateurs`)."""
    objectifs = indicateurs["objectifs"]
    result = {
        "entrees_par_an": barres(
            [(str(annee), n) for annee, n in objectifs["par_an"]],
            titre="Ménages entrés par année",
            objectif=objectifs["objectif_par_an"],
        ),
        "niveaux": barres(
            [(row["niveau"].split(" – ")[0], row["n"]) for row in indicateurs["par_niveau"]],
            titre="Accompagnements par niveau",
        ),
        "motifs_sortie": barres(indicateurs["motifs_sortie"], titre="Motifs de sortie"),
    }
    if indicateurs["budget"] and indicateurs["budget"]["lignes"]:
        result["budget"] = barres_budget(indicateurs["budget"]["lignes"], titre="Budget prévu et réalisé")
    return result
