import html

from django import template
from django.utils.safestring import mark_safe

from comptes.champs import champ as _champ
from comptes.champs import formulaire as _formulaire

register = template.Library()


@register.filter
def champ(field):
    """A form field as `|as_crispy_field` renders it, built in Python (comptes/champs.py)."""
    return _champ(field)


@register.filter
def formulaire(form):
    """A form as `|crispy` renders it, each field built in Python (comptes/champs.py)."""
    return _formulaire(form)


@register.filter
def pluriel(value, suffixes="s"):
    """French plural: 0 and 1 take the singular ("0 enfant", "1 enfant", "2 enfants"). Takes a
    number or a sized collection; `suffixes` is "plural" or "singular,plural"."""
    singular, _, plural = suffixes.rpartition(",")
    try:
        n = abs(int(value))
    except (TypeError, ValueError):
        try:
            n = len(value)
        except TypeError:
            return singular
    return plural if n >= 2 else singular


@register.simple_tag
def options(field):
    """The <option> tags of a select field, built in Python. Django renders one template per
    option, which costs milliseconds on a filter form of a hundred options shown on every visit of
    a list page; the markup is the same."""
    current = field.value()
    if isinstance(current, (list, tuple)):
        selected = {str(v) for v in current}
    else:
        selected = {"" if current is None else str(current)}
    # format_html would escape through Django's lazy-aware wrappers, a noticeable share of a list
    # of a hundred social workers; the escaping is the same (conditional_escape's).
    options = []
    for value, label in field.field.choices:
        value = str(value)
        options.append(
            f'<option value="{_escape(value)}"{" selected" if value in selected else ""}>{_escape(label)}</option>'
        )
    return mark_safe("".join(options))  # noqa: S308


def _escape(text) -> str:
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))
