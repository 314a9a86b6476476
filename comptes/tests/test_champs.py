"""`|champ` renders a field as crispy's `|as_crispy_field` does, for every kind of field it builds
itself, with and without errors; it hands the others to crispy."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.template import engines
from django.utils.safestring import mark_safe

from comptes.champs import _widget, champ, formulaire


class DateInput(forms.DateInput):
    input_type = "date"


class Exemple(forms.Form):
    nom = forms.CharField(label="Nom d’usage", help_text="Tel qu’il figure <em>sur le bail</em>.")
    courriel = forms.EmailField(label="Courriel", required=False)
    age = forms.IntegerField(label="Âge", min_value=0, required=False)
    arrivee = forms.DateField(label="Arrivée", widget=DateInput, required=False)
    lien = forms.ChoiceField(label="Lien", choices=[("", "—"), ("enfant", "Enfant « mineur »")])
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    accord = forms.BooleanField(label="Accord du ménage", help_text="Recueilli par écrit.", required=False)
    obligatoire = forms.BooleanField(label="Case obligatoire")
    cache = forms.CharField(widget=forms.HiddenInput, required=False)
    sans_libelle = forms.CharField(label="", required=False)
    axes = forms.MultipleChoiceField(
        label="Axes",
        choices=[("a", "A"), ("b", "B « b »")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    niveau = forms.ChoiceField(
        label="Niveau", choices=[("1", "Un")], widget=forms.RadioSelect, required=False
    )
    # Required, with a help text and groups of choices: a fieldset described by its help and errors.
    mode = forms.ChoiceField(
        label="Mode du contact",
        help_text="Tel qu’il a eu <em>lieu</em>.",
        choices=[
            ("", "—"),
            ("Sur place", [("visite", "Visite à domicile"), ("bureau", "Au bureau")]),
            ("tel", "Téléphone"),
        ],
        widget=forms.RadioSelect,
    )
    presents = forms.MultipleChoiceField(
        label="Présents",
        help_text="Au moins une personne.",
        choices=[(1, "Léa"), (1000, "Martin & fils")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "liste"}),
    )
    sans_legende = forms.ChoiceField(
        label="", choices=[("o", "Oui")], widget=forms.RadioSelect, required=False
    )
    fichier = forms.FileField(label="Fichier", required=False)
    piece = forms.FileField(
        label="Pièce", help_text="PDF seulement.", widget=forms.FileInput(attrs={"accept": ".pdf"})
    )


class Widgets(forms.Form):
    """Widgets `_widget` writes itself, with what changes their markup."""

    texte = forms.CharField(
        max_length=20, widget=forms.TextInput(attrs={"placeholder": "« x » & y", "autofocus": True})
    )
    nombre = forms.DecimalField(
        required=False, widget=forms.NumberInput(attrs={"step": 5, "disabled": False})
    )
    localise = forms.DecimalField(required=False, localize=True)
    date = forms.DateField(required=False, widget=DateInput)
    cache = forms.IntegerField(required=False, widget=forms.HiddenInput)
    case = forms.BooleanField(required=False)
    zone = forms.CharField(required=False, widget=forms.Textarea)
    annee = forms.TypedChoiceField(coerce=int, choices=[(2025, 2025), (2026, 2026)], required=False)
    groupes = forms.ChoiceField(
        required=False,
        choices=[
            ("", "—"),
            ("Aude", [("11", "Carcassonne & Limoux"), ("12", mark_safe("<b>Narbonne</b>"))]),
            ("66", "P.-O."),
        ],
    )
    initial_cache = forms.CharField(required=False, show_hidden_initial=True)
    plusieurs = forms.MultipleChoiceField(required=False, choices=[("a", "A")])


class FichierActuel:
    """A stored file as a `FileField`'s initial value (what a model form gives)."""

    url = "/media/pieces/bail%20sign%C3%A9.pdf"
    name = "pieces/bail signé.pdf"

    def __str__(self):
        return self.name

    def __bool__(self):
        return True


def normaliser(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html))
    return re.sub(r"\s*(<|>)\s*", r"\1", html).strip()


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"nom": "", "age": "-3", "arrivee": "31/02/2026", "lien": "autre", "courriel": "pas une adresse"},
        {"nom": "", "mode": "autre", "presents": ["7"], "niveau": "9", "axes": ["z"]},
        {
            "nom": "Martin <b>",
            "age": "4",
            "lien": "enfant",
            "accord": "on",
            "obligatoire": "on",
            "note": "x",
            "mode": "bureau",
            "presents": ["1", "1000"],
            "axes": ["b"],
        },
    ],
)
@pytest.mark.parametrize(
    "initial", [{}, {"fichier": FichierActuel(), "piece": FichierActuel(), "mode": "tel"}]
)
def test_same_markup_as_crispy_for_every_field(data, initial):
    form_champ, form_crispy = Exemple(data, initial=initial), Exemple(data, initial=initial)
    if data is not None:
        form_champ.is_valid()
        form_crispy.is_valid()
    for name in form_champ.fields:
        assert normaliser(champ(form_champ[name])) == normaliser(as_crispy_field(form_crispy[name])), name


class AvecErreurCommune(Exemple):
    def clean(self):
        raise forms.ValidationError(["Ce ménage est déjà suivi.", "Vérifiez la date « d’arrivée »."])


@pytest.mark.parametrize("data", [None, {"nom": "", "age": "x"}, {"nom": "Martin", "lien": "enfant"}])
def test_same_markup_as_crispy_for_a_whole_form(data):
    form_champ, form_crispy = AvecErreurCommune(data), AvecErreurCommune(data)
    assert normaliser(formulaire(form_champ)) == normaliser(as_crispy_form(form_crispy))
    if data is not None:
        assert "Ce ménage est déjà suivi." in formulaire(AvecErreurCommune(data))


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"texte": "x" * 30, "nombre": "abc", "date": "demain", "annee": "1990", "groupes": "99"},
        {
            "texte": "Martin <b> & « fils »",
            "nombre": "1500.5",
            "localise": "1234,5",
            "date": "2026-02-03",
            "cache": "7",
            "case": "on",
            "zone": "ligne 1\n<script>",
            "annee": "2026",
            "groupes": "12",
            "plusieurs": ["a"],
        },
    ],
)
def test_widgets_written_in_python_are_django_s_markup(data):
    initial = {
        "texte": "Déjà « là »",
        "nombre": 1000,
        "localise": 1234.5,
        "annee": 2025,
        "groupes": "11",
        "zone": "a",
    }
    form = Widgets(data, initial=initial)
    if data is not None:
        form.is_valid()
    ecrits = 0
    for field in form:
        rendu = _widget(field)
        if rendu is not None:
            ecrits += 1
            assert rendu == str(field), field.name
    assert ecrits == len(form.fields) - 1  # all but the field with its hidden initial value


def test_errors_show_in_the_field_markup():
    form = Exemple({"nom": "", "age": "-3"})
    form.is_valid()
    html = champ(form["age"])
    assert "is-invalid" in html and "invalid-feedback" in html and 'aria-invalid="true"' in html


def test_a_group_of_choices_is_a_fieldset_with_its_legend_and_description():
    form = Exemple({"nom": "x"})
    form.is_valid()
    html = normaliser(champ(form["mode"]))
    assert html.startswith(
        '<div id="div_id_mode" class="mb-3"><fieldset aria-describedby="id_mode_helptext id_mode_error">'
        '<legend class="form-label requiredField fs-6">Mode du contact'
    )
    assert html.endswith("</fieldset></div>")
    assert (
        "<strong>Sur place</strong>" in html
        and '<label for="id_mode_1_1" class="form-check-label">Au bureau</label>' in html
    )
    assert html.count("invalid-feedback") == 1 and 'aria-invalid="true"' in html and " required" in html


def test_the_template_filter():
    form = Exemple()
    html = engines["django"].from_string("{% load asea %}{{ form.nom|champ }}").render({"form": form})
    assert 'class="form-label requiredField"' in html and "<em>sur le bail</em>" in html
