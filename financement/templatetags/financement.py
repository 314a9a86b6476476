"""French number formats and statistical secrecy for the funding pages and reports."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from financement import secret_statistique as secret

register = template.Library()

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


@register.filter
def nombre(value, decimales=0):
    return format_nombre(value, int(decimales))


@register.filter
def euros(value):
    """ "12 345 €" (no cents when there are none, "12 345,50 €" otherwise)."""
    if value is None:
        return "–"
    decimales = 0 if Decimal(str(value)) == Decimal(str(value)).to_integral_value() else 2
    return f"{format_nombre(value, decimales)}{NBSP}€"


@register.filter
def pourcent(value, decimales=1):
    if value is None:
        return "–"
    return f"{format_nombre(value, int(decimales))}{NBSP}%"


@register.filter
def heures(minutes):
    """285 -> "4 h 45"."""
    minutes = int(minutes or 0)
    h, m = divmod(minutes, 60)
    return f"{format_nombre(h)}{NBSP}h{NBSP}{m:02d}" if m else f"{format_nombre(h)}{NBSP}h"


@register.filter
def secret_statistique(value):
    """A count of households or people under statistical secrecy."""
    return secret.masquer_effectif(value)


@register.filter
def moyenne_secret(value, n):
    """`moyenne|moyenne_secret:n`: an average or a duration computed on `n` households, under
    statistical secrecy."""
    return secret.masquer_moyenne(value, n)


@register.filter
def moyenne_publiable(n):
    """Whether figures computed on `n` households may be shown."""
    return secret.moyenne_publiable(n)


@register.simple_tag
def libelle_secret_statistique():
    """What funders see instead of a masked figure, for the notes that explain it."""
    return secret.LIBELLE_MASQUE
