"""French number formats (« 12 345,50 € », « 38,4 % », « 4 h 45 ») for pages, documents and
messages alike. Pure functions: the template filters wrap them."""

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"  # before a unit or a closing sign
NNBSP = "\u202f"  # thousands separator


def format_nombre(value, decimales=0) -> str:
    """12345.5 -> "12 345,50" (with 2 decimals), with a narrow no-break space between thousands."""
    if value is None or value == "":
        return "–"
    q = Decimal(1).scaleb(-decimales)
    value = Decimal(str(value)).quantize(q, rounding=ROUND_HALF_UP)
    signe = "-" if value < 0 else ""
    entier, _, fraction = f"{abs(value):f}".partition(".")
    groupes = []
    while entier:
        groupes.insert(0, entier[-3:])
        entier = entier[:-3]
    texte = NNBSP.join(groupes) or "0"
    return f"{signe}{texte},{fraction}" if fraction else f"{signe}{texte}"


def format_euros(value) -> str:
    """ "12 345 €" (no cents when there are none, "12 345,50 €" otherwise)."""
    if value is None:
        return "–"
    decimales = 0 if Decimal(str(value)) == Decimal(str(value)).to_integral_value() else 2
    return f"{format_nombre(value, decimales)}{NBSP}€"


def format_pourcent(value, decimales=1) -> str:
    """38.42 -> "38,4 %"."""
    if value is None:
        return "–"
    return f"{format_nombre(value, decimales)}{NBSP}%"


def format_heures(minutes) -> str:
    """285 -> "4 h 45"."""
    minutes = int(minutes or 0)
    h, m = divmod(minutes, 60)
    return f"{format_nombre(h)}{NBSP}h{NBSP}{m:02d}" if m else f"{format_nombre(h)}{NBSP}h"
