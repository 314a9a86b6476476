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


def _ecart(courante, precedente, format_):
    """The signed change from `precedente` to `courante` (cells), or « – » when either is masked or
    does not exist: no difference is ever worked out from a masked figure."""
    cellules = [c if isinstance(c, secret.Cellule) else secret.Cellule(c) for c in (courante, precedente)]
    if any(c.masquee or c.valeur is None for c in cellules):
        return "–"
    ecart = cellules[0].valeur - cellules[1].valeur
    if not ecart:
        return "0"
    # A true minus sign, as French typography wants it.
    return f"{'+' if ecart > 0 else '\u2212'}{format_(abs(ecart))}"


@register.filter
def evolution(courante, precedente):
    """« +3 », « −2 », « 0 », or « – » if either count is masked."""
    return _ecart(courante, precedente, formats.format_nombre)


@register.filter
def evolution_heures(courante, precedente):
    """The same for times in minutes, in hours."""
    return _ecart(courante, precedente, formats.format_heures)


def _chemin(donnees, cle):
    for morceau in cle.split("."):
        donnees = donnees[morceau]
    return donnees


@register.simple_tag(takes_context=True)
def avec_precedente(context, cle):
    """The breakdown `cle` (a key of this period's figures `i`, or a dotted path such as
    "comite.decisions") as [(label, cell, previous cell)], matched by label with the previous
    period's (`precedente`, when the context has it; None where that period has no such line)."""
    precedente = context.get("precedente")
    avant = dict(_chemin(precedente, cle)) if precedente else {}
    return [(label, n, avant.get(label)) for label, n in _chemin(context["i"], cle)]


@register.filter
def montre(cellule):
    """Whether a count is worth a row where zero rows are left out: masked, or not zero."""
    if isinstance(cellule, secret.Cellule):
        return cellule.masquee or bool(cellule.valeur)
    return bool(cellule)


@register.filter
def date_longue(jour):
    """« 1er janvier 2026 »."""
    from financement.periodes import date_longue

    return date_longue(jour) if jour else ""
