"""French number formats and statistical secrecy for the funding pages and reports: thin
wrappers around `comptes.formats` and `financement.secret_statistique`."""

from django import template

from comptes import formats
from financement import secret_statistique as secret

register = template.Library()


@register.filter
def nombre(value, decimales=0):
    return formats.format_nombre(value, int(decimales))


@register.filter
def euros(value):
    return formats.format_euros(value)


@register.filter
def pourcent(value, decimales=1):
    return formats.format_pourcent(value, int(decimales))


@register.filter
def heures(minutes):
    return formats.format_heures(minutes)


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
