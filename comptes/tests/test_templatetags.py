import pytest


@pytest.mark.parametrize(
    ("value", "suffixes", "shown"),
    [(0, "s", ""), (1, "s", ""), (2, "s", "s"), ([1, 2], "s", "s"), (3, ",ent", "ent"), (1, ",ent", "")],
)
def test_french_plural_keeps_zero_and_one_singular(value, suffixes, shown):
    from comptes.templatetags.asea import pluriel

    assert pluriel(value, suffixes) == shown


def test_options_escape_values_and_labels_and_mark_the_selected_ones():
    from django import forms
    from django.utils.safestring import mark_safe

    from comptes.templatetags.asea import options

    class Formulaire(forms.Form):
        choix = forms.ChoiceField(
            choices=[("", "Tous"), ("a&b", "<i>l’été</i>"), ("2", mark_safe("<b>2</b>"))]
        )
        plusieurs = forms.MultipleChoiceField(choices=[("1", "un"), ("2", "deux"), ("3", "trois")])

    form = Formulaire({"choix": "a&b", "plusieurs": ["1", "3"]})
    assert options(form["choix"]) == (
        '<option value="">Tous</option>'
        '<option value="a&amp;b" selected>&lt;i&gt;l’été&lt;/i&gt;</option>'
        '<option value="2"><b>2</b></option>'
    )
    assert options(form["plusieurs"]) == (
        '<option value="1" selected>un</option><option value="2">deux</option><option value="3" selected>trois</option>'
    )
