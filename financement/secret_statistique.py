"""Statistical secrecy, for every funder-facing output (page, CSV, XLSX, PDF, chart).

A count of 1 or 2 households could single one of them out: funders see it masked. Zero reveals no
one and stays as it is. An average or a duration computed on too few households is masked too.
The pages, the exports, the charts and the PDF report all decide and label a masked figure here.
"""

SEUIL = 3
# What a funder sees instead of a masked figure.
LIBELLE_MASQUE = f"< {SEUIL}"


def effectif_masque(n: int) -> bool:
    """Whether a count of `n` households (or people) is masked."""
    return 0 < n < SEUIL


def masquer_effectif(valeur):
    """A count as funders see it: the label if it is masked, the count otherwise. A value that is
    not a count is returned as it is."""
    try:
        n = int(valeur)
    except (TypeError, ValueError):
        return valeur
    if effectif_masque(n):
        return LIBELLE_MASQUE
    return n


def moyenne_publiable(n: int) -> bool:
    """Whether an average (or a duration) computed on `n` households may be shown."""
    return n >= SEUIL


def masquer_moyenne(valeur, n: int, *, sans_menage="–"):
    """An average (or a duration) computed on `n` households, as funders see it: the value if it
    may be shown, the label if it is masked, `sans_menage` when there is no household at all."""
    if moyenne_publiable(n):
        return valeur
    return LIBELLE_MASQUE if n else sans_menage
