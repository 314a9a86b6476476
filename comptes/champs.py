"""A form field with its label, help text and errors, as django-crispy-forms' Bootstrap 5 pack
renders it (`{{ field|as_crispy_field }}`), built in Python for the common widgets.

crispy renders each field through a template of some thirty conditions and four included
templates: 1–2 ms a field on the shared 2-core machine, more than half of a form's rendering (the
widget itself is the rest); a household's composition of five members (35 fields) took 60–90 ms to
render. Text, number, date, e-mail, text area, select, check box, radio button, check box list and
file fields are built here with the same markup (a test compares both on every kind of field, with
and without errors); any other field (multi-widgets, a form with a crispy helper) is left to
crispy. `formulaire` does the same for a whole form (`{{ form|crispy }}`). The widget itself, for
Django's text-like inputs, text areas and selects, is written here too (`_widget`, compared with
Django's own rendering in the test): one template per widget and per option was most of what was
left."""

import html

from crispy_forms.templatetags.crispy_forms_filters import (
    as_crispy_errors,
    as_crispy_field,
    as_crispy_form,
    optgroups,
)
from django import forms
from django.forms.formsets import BaseFormSet
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe

# Rendered by crispy: one input per sub-widget, each with its own template.
DELEGUES = (forms.MultiWidget,)
# One input per choice, in a fieldset whose legend is the field's label (crispy's
# `radio_checkbox_select.html`).
CHOIX = (forms.RadioSelect, forms.CheckboxSelectMultiple)


# Django's own templates for these widgets (`django/forms/widgets/`), which `_widget` writes in
# Python: an <input> (its type given by the widget), a <textarea>, a <select> of <option>s.
GABARITS_INPUT = {
    f"django/forms/widgets/{nom}.html"
    for nom in (
        *("text", "number", "email", "url", "password", "date", "datetime", "time", "search", "tel"),
        *("color", "hidden", "checkbox"),
    )
}
GABARIT_TEXTAREA = "django/forms/widgets/textarea.html"
GABARIT_SELECT = "django/forms/widgets/select.html"
GABARIT_OPTION = "django/forms/widgets/select_option.html"


def _texte(valeur) -> str:
    """`{{ valeur }}` in a template: localized when not text, escaped unless safe."""
    if not isinstance(valeur, str):
        valeur = localize(valeur)
    return valeur if isinstance(valeur, SafeData) else html.escape(str(valeur))


def _brut(valeur) -> str:
    """`{{ valeur|stringformat:'s' }}` in a template: not localized, escaped unless safe."""
    return str(valeur) if isinstance(valeur, SafeData) else html.escape(str(valeur))


def _attrs_widget(attrs) -> str:
    """Django's `django/forms/widgets/attrs.html`."""
    return "".join(
        f" {_texte(nom)}" if valeur is True else f' {_texte(nom)}="{_brut(valeur)}"'
        for nom, valeur in attrs.items()
        if valeur is not False
    )


def _widget(field):
    """`str(field)` for Django's text-like inputs, text areas and single selects, built in Python
    with the markup of Django's templates (one template per widget, and one per option of a select,
    are most of what is left of a form's rendering); None for any other widget, which is then
    rendered by Django."""
    widget = field.field.widget
    classe = type(widget)
    if (
        field.field.show_hidden_initial
        or classe.render is not forms.Widget.render
        or classe._render is not forms.Widget._render
    ):
        return None
    gabarit = widget.template_name
    select = gabarit == GABARIT_SELECT and getattr(widget, "option_template_name", None) == GABARIT_OPTION
    if not (select or gabarit in GABARITS_INPUT or gabarit == GABARIT_TEXTAREA):
        return None
    # BoundField.as_widget, then Widget.render without its template.
    if field.field.localize:
        widget.is_localized = True
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    contexte = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    nom, valeur, attributs = _texte(contexte["name"]), contexte["value"], _attrs_widget(contexte["attrs"])
    if gabarit == GABARIT_TEXTAREA:
        return mark_safe(f'<textarea name="{nom}"{attributs}>\n{_texte(valeur) if valeur else ""}</textarea>')  # noqa: S308
    if select:
        parts = [f'<select name="{nom}"{attributs}>']
        for groupe, options, _index in contexte["optgroups"]:
            if groupe:
                parts.append(f'\n  <optgroup label="{_texte(groupe)}">')
            for option in options:
                if option.get("template_name") != GABARIT_OPTION:
                    return None
                parts.append(
                    f'\n  <option value="{_brut(option["value"])}"{_attrs_widget(option["attrs"])}>'
                    f"{_texte(option['label'])}</option>\n"
                )
            if groupe:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — escaped above
    valeur = "" if valeur is None else f' value="{_brut(valeur)}"'
    return mark_safe(f'<input type="{_texte(contexte["type"])}" name="{nom}"{valeur}{attributs}>')  # noqa: S308


def _rendu(field) -> str:
    rendu = _widget(field)
    return str(field) if rendu is None else rendu


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


def _erreurs(field) -> str:
    if not field.errors:
        return ""
    lignes = "".join(
        format_html('<p id="error_{}_{}"><strong>{}</strong></p>', n, field.auto_id, error)
        for n, error in enumerate(field.errors, start=1)
    )
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        getattr(field.errors, "field_id", "") or "",
        mark_safe(lignes),  # noqa: S308 — built by format_html above
    )


def _aide(field) -> str:
    parts = []
    if field.help_text:
        # crispy shows help texts unescaped (`|safe`): they are written in the code, never typed.
        aide = mark_safe(field.help_text)  # noqa: S308
        if field.auto_id:
            parts.append(format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, aide))
        else:
            parts.append(format_html('<div class="form-text">{}</div>', aide))
    return "".join(parts)


def _aide_et_erreurs(field) -> str:
    return _erreurs(field) + _aide(field)


def _attributs(attrs) -> str:
    """crispy's `layout/attrs.html`: ` name="value"`, a bare name for True, nothing for False."""
    return "".join(
        format_html(" {}", nom) if valeur is True else format_html(' {}="{}"', nom, str(valeur))
        for nom, valeur in attrs.items()
        if valeur is not False
    )


def _choix(field, supplementaires: str) -> str:
    """Radio buttons or a check box list as crispy renders them: the label as the legend of a
    fieldset (which `aria-describedby` points to the help text and errors), then one `form-check`
    per choice, the errors after the last one, then the help text."""
    invalide = " is-invalid" if field.errors else ""
    groupes = list(optgroups(field))
    entrees = []
    for g, (groupe, options, _index) in enumerate(groupes):
        if groupe:
            entrees.append(format_html("<strong>{}</strong>", groupe))
        for o, option in enumerate(options):
            dernier = g == len(groupes) - 1 and o == len(options) - 1
            entrees.append(
                format_html(
                    '<div class="form-check"><input type="{}" class="form-check-input{}" name="{}" value="{}"{}>'
                    '<label for="{}" class="form-check-label">{}</label>{}</div>',
                    option["type"],
                    invalide,
                    field.html_name,
                    str(option["value"]),
                    mark_safe(_attributs(option["attrs"])),  # noqa: S308 — built by format_html
                    option["attrs"].get("id", ""),
                    option["label"],
                    mark_safe(_erreurs(field) if dernier else ""),  # noqa: S308 — built by format_html
                )
            )
    if field.label:
        requis = field.field.required
        pour = format_html(' for="{}"', field.id_for_label) if field.id_for_label else ""
        decrit = (
            format_html(' aria-describedby="{}"', field.aria_describedby) if field.aria_describedby else ""
        )
        debut = format_html(
            '<fieldset{}><legend{} class="form-label{} fs-6">{}{}</legend>',
            decrit,
            pour,
            " requiredField" if requis else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if requis else "",
        )
        fin = mark_safe("</fieldset>")
    else:
        debut = fin = ""
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}<div>{}</div>{}{}</div>',
        field.auto_id,
        supplementaires,
        debut,
        mark_safe("".join(entrees)),  # noqa: S308 — built by format_html
        mark_safe(_aide(field)),  # noqa: S308 — built by format_html
        fin,
    )


def _fichier(field, supplementaires: str) -> str:
    """A file field as crispy's `layout/field_file.html` renders it: the current file (a link, and
    a check box to clear it when the field is optional), then the input."""
    invalide = " is-invalid" if field.errors else ""
    parts = []
    for sous in field.subwidgets:
        data = sous.data
        if data.get("is_initial"):
            effacer = ""
            if not data.get("required"):
                effacer = format_html(
                    '<span class="align-self-center ml-2"><span class="form-check">'
                    '<input type="checkbox" name="{}" id="{}" class="form-check-input"{}>'
                    '<label class="form-check-label mb-0" for="{}">{}</label></span></span>',
                    data["checkbox_name"],
                    data["checkbox_id"],
                    mark_safe(" disabled") if field.field.disabled else "",
                    data["checkbox_id"],
                    data["clear_checkbox_label"],
                )
            parts.append(
                format_html(
                    '<div class="input-group mb-2"><span class="input-group-text">{}</span>'
                    '<div class="form-control d-flex h-auto"><span class="text-break flex-grow-1">'
                    '<a href="{}">{}</a></span>{}</div></div>',
                    data["initial_text"],
                    field.value().url,
                    field.value().name,
                    effacer,
                )
            )
        attrs = data["attrs"]
        classe = f" {attrs['class']}" if attrs.get("class") else ""
        parts.append(
            format_html(
                '<div{}><input type="{}" name="{}" class="form-control{}{}"{}{}>{}</div>',
                mark_safe(' class="is-invalid"') if field.errors else "",
                data["type"],
                data["name"],
                classe,
                invalide,
                mark_safe(" disabled") if field.field.disabled else "",
                mark_safe(_attributs({k: v for k, v in attrs.items() if k != "class"})),  # noqa: S308
                mark_safe(_aide_et_erreurs(field)),  # noqa: S308 — built by format_html
            )
        )
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}</div>',
        field.auto_id,
        supplementaires,
        _libelle(field, "form-label") if field.label else "",
        mark_safe("".join(parts)),  # noqa: S308 — built by format_html
    )


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
        return _rendu(field)
    if (
        isinstance(widget, DELEGUES)
        or hasattr(widget, "widget")
        or getattr(field.form, "helper", None) is not None
    ):
        return as_crispy_field(field)
    supplementaires = f" {field.css_classes()}" if field.css_classes() else ""
    if isinstance(widget, CHOIX):
        return _choix(field, supplementaires)
    if field.use_fieldset:
        return as_crispy_field(field)
    if isinstance(widget, forms.FileInput):
        return _fichier(field, supplementaires)
    invalide = " is-invalid" if field.errors else ""
    if isinstance(widget, forms.CheckboxInput):
        _ajouter_classes(widget, f"form-check-input{invalide}")
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}{}{}</div></div>',
            field.auto_id,
            supplementaires,
            _rendu(field),
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
        _rendu(field),
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
