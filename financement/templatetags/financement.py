"""French number formats and statistical secrecy for the funding pages and reports: thin
wrappers around `comptes.formats` and `financement.secret_statistique`.

The figures shown to funders reach the templates as cells (`secret_statistique`'s
`masquer_indicateurs`, `masquer_repartitions`): the format filters show a masked cell's label, « – » for a figure that does not exist, and the value
in its French format otherwise."""

from django import template

from comptes import formats
from financement import secret_statistique as secret

register = template.Library()


def _cellule(value, format_):
    if isinstance(value, secret.Cellule):
        if value.masquee:
            return value.libelle
        value = value.valeur
    return format_(value)


@register.filter
def nombre(value, decimales=0):
    return _cellule(value, lambda v: formats.format_nombre(v, int(decimales)))


@register.filter
def euros(value):
    return formats.format_euros(value)


@register.filter
def pourcent(value, decimales=1):
    return _cellule(value, lambda v: formats.format_pourcent(v, int(decimales)))


@register.filter
def heures(minutes):
    return _cellule(minutes, formats.format_heures)


@register.simple_tag
def libelle_secret_statistique():
    """What funders see instead of a count of 1 or 2, for the notes that explain it."""
    return secret.LIBELLE_MASQUE


@register.simple_tag
def libelle_secret_secondaire():
    """What funders see instead of a figure masked so that no « < 3 » can be recomputed."""
    return secret.LIBELLE_SECONDAIRE
