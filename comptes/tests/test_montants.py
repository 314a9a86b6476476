"""Amounts typed the French way: what MontantField reads, refuses and shows back."""

from decimal import Decimal

import pytest
from django import forms

from comptes.formats import (
    ConfirmationMontantsMixin,
    MontantField,
    MontantInvalide,
    format_euros,
    format_nombre,
    format_pourcent,
    parse_montant,
)

NBSP, NNBSP = "\u00a0", "\u202f"

LUS = [
    ("1234,56", "1234.56"),
    ("1 234,56", "1234.56"),
    (f"1{NBSP}234,56", "1234.56"),
    (f"1{NNBSP}234,56", "1234.56"),
    (f"1{NNBSP}234,56{NBSP}€", "1234.56"),
    ("1 234,56 €", "1234.56"),
    ("1234,56€", "1234.56"),
    ("1234.56", "1234.56"),
    ("1 234.56", "1234.56"),
    ("1.234,56", "1234.56"),
    ("1.234.567", "1234567"),
    ("12 345 678,9", "12345678.9"),
    ("450", "450"),
    ("450 euros", "450"),
    ("0,5", "0.5"),
    (",50", "0.50"),
    ("12,", "12"),
    ("  98,10  ", "98.10"),
    ("+12", "12"),
]


@pytest.mark.parametrize(("texte", "attendu"), LUS)
def test_amounts_typed_the_french_way_are_read(texte, attendu):
    assert parse_montant(texte) == Decimal(attendu)


REFUSES = [
    ("1.234", "ambigu"),
    ("1,234.56", "à la française"),
    ("1,2,3", "à la française"),
    ("12 34,56", "groupent par trois"),
    ("1.23.456", "groupent par trois"),
    ("1234,567", "Au plus 2 chiffres"),
    ("12,5 6", "Les centimes"),
    ("douze", "en chiffres"),
    ("12 €50", "en chiffres"),
    ("-12", "négatif"),
    ("€", "Saisissez un montant"),
    (",", "Saisissez un montant"),
]


@pytest.mark.parametrize(("texte", "raison"), REFUSES)
def test_ambiguous_or_wrong_amounts_are_refused_with_the_reason(texte, raison):
    with pytest.raises(MontantInvalide) as exc:
        parse_montant(texte)
    assert raison in str(exc.value)


def test_negative_amount_read_where_allowed():
    assert parse_montant("−1 200,5", negatif=True) == Decimal("-1200.5")


def test_negative_numbers_shown_with_the_true_minus_sign_and_read_back():
    assert format_nombre(Decimal("-0.01"), 2) == "\u22120,01"
    assert format_euros(Decimal("-1234.5")) == f"\u22121{NNBSP}234,50{NBSP}€"
    assert format_pourcent(-3.25) == f"\u22123,3{NBSP}%"
    assert format_nombre(Decimal("-0.001"), 2) == "0,00"
    champ = MontantField(negatif=True, max_digits=9, decimal_places=2)
    affiche = champ.widget.format_value(Decimal("-1200.5"))
    assert "-" not in affiche and champ.clean(affiche) == Decimal("-1200.5")


class FormulaireMontant(ConfirmationMontantsMixin, forms.Form):
    montant = MontantField(label="Montant", plafond_plausible=Decimal("1000"), max_digits=9)


def test_field_cleans_the_amount_and_shows_it_back_in_french():
    form = FormulaireMontant({"montant": "1 234,56", "confirmer_montants": "on"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["montant"] == Decimal("1234.56")
    affiche = FormulaireMontant(initial={"montant": Decimal("1234.5")})
    assert f'value="1{NNBSP}234,50"' in str(affiche["montant"])
    assert 'inputmode="decimal"' in str(affiche["montant"])
    assert 'value="450"' in str(FormulaireMontant(initial={"montant": Decimal("450.00")})["montant"])


def test_refused_amount_keeps_what_was_typed_with_a_french_message():
    form = FormulaireMontant({"montant": "1.234"})
    assert not form.is_valid()
    assert "ambigu" in form.errors["montant"][0]
    assert 'value="1.234"' in str(form["montant"])


def test_implausible_amount_asks_for_confirmation_then_is_accepted():
    form = FormulaireMontant({"montant": "123456"})
    assert not form.is_valid()
    assert "Je confirme ce montant" in form.errors["montant"][0]
    assert "123\u202f456\u00a0€" in form.errors["montant"][0]
    rendu = str(form["confirmer_montants"])
    assert 'type="checkbox"' in rendu
    assert 'value="123456"' in str(form["montant"])

    confirme = FormulaireMontant({"montant": "123456", "confirmer_montants": "on"})
    assert confirme.is_valid()
    assert confirme.cleaned_data["montant"] == Decimal("123456")


def test_plausible_amount_needs_no_confirmation_and_the_box_stays_hidden():
    form = FormulaireMontant({"montant": "999,99"})
    assert form.is_valid()
    assert 'type="hidden"' in str(form["confirmer_montants"])


def test_too_many_digits_refused_by_the_field():
    form = FormulaireMontant({"montant": "12 345 678 901", "confirmer_montants": "on"})
    assert not form.is_valid()
