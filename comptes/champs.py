"""A form field with its label, help text and errors, as django-crispy-forms' Bootstrap 5 pack
renders it (`{{ field|as_crispy_field }}`), built in Python for the common widgets.

crispy renders each field through a template of some thirty conditions and four included
templates: 1–2 ms a field on the shared 2-core machine, more than half of a form's rendering (the
widget itself is the rest); a household's composition of five members (35 fields) took 60–90 ms to
render. Text, number, date, e-mail, text area, select and check box fields are built here with the
same markup (a test compares both on every kind of field, with and without errors); any other
field (radio buttons, check box lists, files, multi-widgets, a form with a crispy helper) is left
to crispy. `formulaire` does the same for a whole form (`{{ form|crispy }}`)."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_errors, as_crispy_field, as_crispy_form
from django import forms
from django.forms.formsets import BaseFormSet
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# Rendered by crispy: their markup has more cases (a fieldset, one input per choice, a file's
# current value).
DELEGUES = (forms.CheckboxSelectMultiple, forms.RadioSelect, forms.FileInput, forms.MultiWidget)


def _ajouter_classes(widget, classes: str) -> None:
    """The classes crispy's `crispy_field` tag adds: the widget's class name, then `classes`."""
    nom = widget.__class__.__name__.lower()
    actuelles = widget.attrs.get("class", "")
    if actuelles:
        if actuelles.find(nom) == -1:
            actuelles += f" {nom}"
    else:
        actuelles = nom
    for classe in classes.split():
        if classe not in actuelles.split():
            actuelles += f" {classe}"
    widget.attrs["class"] = actuelles


def _aide_et_erreurs(field) -> str:
    parts = []
    if field.errors:
        lignes = "".join(
            format_html('<p id="error_{}_{}"><strong>{}</strong></p>', n, field.auto_id, error)
            for n, error in enumerate(field.errors, start=1)
        )
        parts.append(
            format_html(
                '<div id="{}_error" class="invalid-feedback">{}</div>',
                getattr(field.errors, "field_id", "") or "",
                mark_safe(lignes),  # noqa: S308 — built by format_html above
            )
        )
    if field.help_text:
        # crispy shows help texts unescaped (`|safe`): they are written in the code, never typed.
        aide = mark_safe(field.help_text)  # noqa: S308
        if field.auto_id:
            parts.append(format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, aide))
        else:
            parts.append(format_html('<div class="form-text">{}</div>', aide))
    return "".join(parts)


def _libelle(field, classe: str) -> str:
    requis = field.field.required
    pour = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
    return format_html(
        '<label{} class="{}{}">{}{}</label>',
        pour,
        classe,
        " requiredField" if requis else "",
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if requis else "",
    )


def champ(field) -> str:
    """`field` as `{{ field|as_crispy_field }}` renders it."""
    widget = field.field.widget
    if field.is_hidden:
        return str(field)
    if (
        isinstance(widget, DELEGUES)
        or hasattr(widget, "widget")
        or field.use_fieldset
        or getattr(field.form, "helper", None) is not None
    ):
        return as_crispy_field(field)
    invalide = " is-invalid" if field.errors else ""
    supplementaires = f" {field.css_classes()}" if field.css_classes() else ""
    if isinstance(widget, forms.CheckboxInput):
        _ajouter_classes(widget, f"form-check-input{invalide}")
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}{}{}</div></div>',
            field.auto_id,
            supplementaires,
            str(field),
            _libelle(field, "form-check-label"),
            mark_safe(_aide_et_erreurs(field)),  # noqa: S308 — built by format_html
        )
    _ajouter_classes(
        widget, ("form-select" if isinstance(widget, forms.Select) else "form-control") + invalide
    )
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}</div>',
        field.auto_id,
        supplementaires,
        _libelle(field, "form-label") if field.label else "",
        str(field),
        mark_safe(_aide_et_erreurs(field)),  # noqa: S308 — built by format_html
    )


def formulaire(form) -> str:
    """`form` as `{{ form|crispy }}` renders it: its errors that belong to no field, then each
    field (`champ`). A formset, or a form with a crispy helper (its own layout), is left to
    crispy."""
    if isinstance(form, BaseFormSet) or getattr(form, "helper", None) is not None:
        return as_crispy_form(form)
    erreurs = as_crispy_errors(form) if form.non_field_errors() else ""
    return mark_safe(erreurs + "".join(champ(field) for field in form))  # noqa: S308 — rendered HTML
