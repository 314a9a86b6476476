from django import template

register = template.Library()

SEUIL_SECRET_STATISTIQUE = 3


@register.filter
def secret_statistique(value):
    """Counts of 1 or 2 could single a household out: funders see them as "< 3". Zero reveals no
    one and stays as it is."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return value
    if 0 < n < SEUIL_SECRET_STATISTIQUE:
        return f"< {SEUIL_SECRET_STATISTIQUE}"
    return n
