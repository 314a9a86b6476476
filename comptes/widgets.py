"""A choice among many (users, households, dwellings) searched rather than listed: an accessible
autocomplete served by the app.

The page renders a text input (role=combobox) and a hidden input carrying the chosen pk; nothing
else, whatever the number of records. Typing asks a scoped search endpoint (htmx) for at most
`RESULTATS_MAX` options, shown as a listbox (static/js/autocomplete.js: arrows, Enter, Escape).
Without JavaScript the typed text is sent and resolved on the server: one match is chosen, none or
several give a French error next to the field, the text kept.

The field validates the pk against its own (scoped) queryset, as a ModelChoiceField does.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render

RESULTATS_MAX = 15


def _texte(value):
    # A NUL byte (a forged address) cannot reach PostgreSQL: it would answer a server error.
    return str(value).replace("\x00", "").strip()


class Autocomplete(forms.Widget):
    template_name = "comptes/widgets/autocomplete.html"

    def __init__(self, url="", attrs=None):
        super().__init__(attrs)
        self.url = url

    def value_from_datadict(self, data, files, name):
        return {"pk": data.get(name, ""), "texte": data.get(f"{name}_texte", "")}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_texte" not in data

    def format_value(self, value):
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        value = value if isinstance(value, dict) else {"pk": value or "", "texte": ""}
        context["widget"].update(
            {
                "url": self.url,
                "pk": "" if value.get("pk") in (None, "") else str(value["pk"]),
                "texte": value.get("texte") or "",
            }
        )
        return context


class AutocompleteField(forms.ModelChoiceField):
    """A ModelChoiceField whose choices are searched, never all rendered.

    `recherche(queryset, texte)` narrows the queryset to the records matching the typed text; the
    same function serves the search endpoint (`resultats`), so the page and the endpoint agree.
    """

    widget = Autocomplete
    default_error_messages = {
        "invalid_choice": "Ce choix n’est pas possible ici : cherchez et choisissez dans la liste.",
        "aucun": "Aucun résultat pour « %(texte)s » : vérifiez l’orthographe.",
        "plusieurs": "Plusieurs résultats pour « %(texte)s » : précisez, puis choisissez dans la liste.",
    }

    def __init__(self, *, recherche, url="", **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(**kwargs)
        self.recherche = recherche
        self.widget.url = url

    def prepare_value(self, value):
        if isinstance(value, dict):
            return value
        if hasattr(value, "_meta"):
            return {"pk": value.pk, "texte": self.label_from_instance(value)}
        if value in self.empty_values:
            return {"pk": "", "texte": ""}
        obj = self.queryset.filter(pk=value).first() if str(value).isdigit() else None
        return {"pk": value, "texte": self.label_from_instance(obj) if obj else ""}

    def to_python(self, value):
        if isinstance(value, dict):
            pk, texte = value.get("pk", ""), _texte(value.get("texte", ""))
        else:
            pk, texte = value, ""
        if pk not in self.empty_values:
            if not str(pk).isdigit():
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
            return super().to_python(pk)
        if not texte:
            return None
        trouves = list(self.resultats(texte, limite=2))
        if len(trouves) == 1:
            return trouves[0]
        code = "aucun" if not trouves else "plusieurs"
        raise ValidationError(self.error_messages[code], code=code, params={"texte": texte})

    def validate(self, value):
        forms.Field.validate(self, value)

    def has_changed(self, initial, data):
        initial = self.prepare_value(initial)["pk"] if initial is not None else ""
        data = self.prepare_value(data)["pk"] if data is not None else ""
        return str(initial or "") != str(data or "")

    def resultats(self, texte, limite=RESULTATS_MAX):
        """At most `limite` records of the field's queryset matching `texte`."""
        texte = _texte(texte)
        if not texte:
            return self.queryset.none()
        return self.recherche(self.queryset, texte)[:limite]


def rendre_resultats(request, field):
    """The search endpoint's answer for `field` (already scoped to the requesting user): at most
    `RESULTATS_MAX` options, and whether there were more."""
    texte = _texte(request.GET.get("q", ""))[:100]
    trouves = list(field.resultats(texte, limite=RESULTATS_MAX + 1))
    return render(
        request,
        "components/autocomplete_resultats.html",
        {
            "resultats": [(obj.pk, field.label_from_instance(obj)) for obj in trouves[:RESULTATS_MAX]],
            "plus": len(trouves) > RESULTATS_MAX,
            "texte": texte,
        },
    )


class AutocompleteFilter(django_filters.Filter):
    """A filter set's choice among many, searched: pass `queryset` (scoped in the filter set's
    __init__ through `extra`), `recherche` and `url`."""

    field_class = AutocompleteField
