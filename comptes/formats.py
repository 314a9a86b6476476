"""French number formats (« 12 345,50 € », « 38,4 % », « 4 h 45 ») for pages, documents and
messages alike (pure functions: the template filters wrap them), and the form field that reads
the amounts typed the French way (MontantField)."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django import forms

NBSP = "\u00a0"  # before a unit or a closing sign
NNBSP = "\u202f"  # thousands separator
MOINS = "\u2212"  # the minus sign of French typography, not the hyphen


def format_nombre(value, decimales=0) -> str:
    """12345.5 -> "12 345,50" (with 2 decimals), with a narrow no-break space between thousands;
    -0.01 -> "−0,01" with a true minus sign (parse_montant reads it back)."""
    if value is None or value == "":
        return "–"
    q = Decimal(1).scaleb(-decimales)
    value = Decimal(str(value)).quantize(q, rounding=ROUND_HALF_UP)
    signe = MOINS if value < 0 else ""
    entier, _, fraction = f"{abs(value):f}".partition(".")
    groupes = []
    while entier:
        groupes.insert(0, entier[-3:])
        entier = entier[:-3]
    texte = NNBSP.join(groupes) or "0"
    return f"{signe}{texte},{fraction}" if fraction else f"{signe}{texte}"


def format_euros(value) -> str:
    """ "12 345 €" (no cents when there are none, "12 345,50 €" otherwise)."""
    if value is None:
        return "–"
    decimales = 0 if Decimal(str(value)) == Decimal(str(value)).to_integral_value() else 2
    return f"{format_nombre(value, decimales)}{NBSP}€"


def format_pourcent(value, decimales=1) -> str:
    """38.42 -> "38,4 %"."""
    if value is None:
        return "–"
    return f"{format_nombre(value, decimales)}{NBSP}%"


def format_heures(minutes) -> str:
    """285 -> "4 h 45"."""
    minutes = int(minutes or 0)
    h, m = divmod(minutes, 60)
    return f"{format_nombre(h)}{NBSP}h{NBSP}{m:02d}" if m else f"{format_nombre(h)}{NBSP}h"


# Amounts typed in forms. One field (MontantField) reads every amount of the app the French way:
#   « 1 234,56 », « 1234,56 », « 1 234,56 € » (normal, no-break or narrow no-break spaces between
#   thousands), and « 1234.56 » (a dot before the cents, as a numeric keypad types it).
# Dots between thousands are read only where they cannot be cents: followed by a comma
# (« 1.234,56 ») or repeated (« 1.234.567 »). What stays ambiguous is refused with the reason:
#   « 1.234 » (one thousand two hundred and thirty-four, or 1,234?) and « 1,234.56 » (English).
ESPACES_MILLIERS = frozenset(" \u00a0\u202f\u2009")
_SUFFIXES_EURO = ("€", "euros", "euro", "eur")


class MontantInvalide(ValueError):
    """An amount that cannot be read; the message says why, in French, for the person typing."""


def _groupes(entier: str, separateurs: str) -> str:
    """The integer part without its thousands separators, checked to be groups of three."""
    morceaux = re.split(f"[{re.escape(separateurs)}]", entier)
    if len(morceaux) > 1 and (not 1 <= len(morceaux[0]) <= 3 or any(len(m) != 3 for m in morceaux[1:])):
        raise MontantInvalide("Les chiffres se groupent par trois entre les milliers, par exemple 12 345,67.")
    return "".join(morceaux)


def parse_montant(texte: str, *, decimales: int = 2, negatif: bool = False) -> Decimal:
    """The amount typed in `texte`, as a Decimal (see above for what is read). Raises
    MontantInvalide with a French message when the text is not an amount or is ambiguous."""
    t = texte.strip()
    for suffixe in _SUFFIXES_EURO:
        if t.lower().endswith(suffixe):
            t = t[: -len(suffixe)].rstrip()
            break
    signe = ""
    if t[:1] in ("-", "\u2212"):
        signe, t = "-", t[1:].lstrip()
    elif t[:1] == "+":
        t = t[1:].lstrip()
    if not t:
        raise MontantInvalide("Saisissez un montant, par exemple 1 234,56.")
    if any(c not in "0123456789,." and c not in ESPACES_MILLIERS for c in t):
        raise MontantInvalide("Saisissez un montant en chiffres, par exemple 1 234,56.")
    if signe and not negatif:
        raise MontantInvalide("Un montant ne peut pas être négatif.")
    espaces = "".join(ESPACES_MILLIERS)
    if "," in t:
        if t.count(",") > 1 or "." in t[t.index(",") :]:
            raise MontantInvalide(
                "Écrivez le montant à la française, avec une virgule avant les centimes : 1 234,56."
            )
        entier, fraction = t.split(",")
        entier = _groupes(entier, espaces + ".")
    elif t.count(".") == 1:
        entier, fraction = t.split(".")
        if len(fraction) == 3 and decimales < 3 and 1 <= len(entier) <= 3 and entier.isdigit():
            raise MontantInvalide(
                f"« {texte.strip()} » est ambigu : écrivez {entier} {fraction} pour un montant en milliers "
                f"ou {entier},{fraction[:decimales]} avec une virgule avant les centimes."
            )
        entier = _groupes(entier, espaces)
    else:
        entier, fraction = _groupes(t, espaces + "."), ""
    if not fraction.isdigit() and fraction:
        raise MontantInvalide("Les centimes s’écrivent en chiffres, après la virgule : 1 234,56.")
    if not entier and not fraction:
        raise MontantInvalide("Saisissez un montant, par exemple 1 234,56.")
    if len(fraction) > decimales:
        raise MontantInvalide(
            f"Au plus {decimales} chiffre{'s' if decimales > 1 else ''} après la virgule."
            if decimales
            else "Saisissez un montant en euros entiers, sans centimes."
        )
    return Decimal(f"{signe}{entier or '0'}.{fraction or '0'}")


def format_saisie(value) -> str:
    """An amount as it is shown back in a form field: « 1 234,56 », « 450 » without cents."""
    value = Decimal(str(value))
    return format_nombre(value, 0 if value == value.to_integral_value() else 2)


class MontantInput(forms.TextInput):
    """A text input (a number input would refuse the comma and the spaces) that brings up the
    numeric keypad on a tablet and shows the amount in French."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, int, float)):
            return format_saisie(value)
        return super().format_value(value)


class MontantField(forms.DecimalField):
    """The form field of every amount in euros (see parse_montant for what it reads).
    `plafond_plausible`: above it, a form using ConfirmationMontantsMixin asks to confirm the
    amount (a typing slip such as a forgotten comma) instead of saving it at once."""

    widget = MontantInput

    def __init__(self, *, plafond_plausible=None, negatif=False, **kwargs):
        kwargs.setdefault("decimal_places", 2)
        kwargs.pop("localize", None)
        super().__init__(**kwargs)
        self.plafond_plausible = plafond_plausible
        self.message_plausible = ""
        self.negatif = negatif

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, (Decimal, int)):
            return Decimal(value)
        try:
            return parse_montant(str(value), decimales=self.decimal_places or 0, negatif=self.negatif)
        except MontantInvalide as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc

    def widget_attrs(self, widget):
        # No min/max/step: they belong to number inputs, which this field does not use.
        return forms.Field.widget_attrs(self, widget)


class NombreField(MontantField):
    """A decimal number that is not an amount (a share in %, months), typed the French way:
    « 12,5 », « 33,33 », « 12.5 »."""

    def __init__(self, *, exemple="12,5", **kwargs):
        super().__init__(**kwargs)
        self.exemple = exemple

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as exc:
            places = self.decimal_places or 0
            chiffres = f"au plus {places} chiffre{'s' if places > 1 else ''} après la virgule"
            raise forms.ValidationError(
                f"Saisissez un nombre, par exemple {self.exemple} ({chiffres}).", code="invalid"
            ) from exc


class ConfirmationMontantsMixin:
    """For a form whose MontantFields have a `plafond_plausible`: an amount above it is not saved
    until confirmed. The warning is shown next to the field with a « Je confirme ce montant »
    checkbox (hidden until then); what was typed stays in the form."""

    CHAMP_CONFIRMATION = "confirmer_montants"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.CHAMP_CONFIRMATION] = forms.BooleanField(
            label="Je confirme ce montant", required=False, widget=forms.HiddenInput
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.CHAMP_CONFIRMATION):
            return cleaned
        for nom, champ in self.fields.items():
            plafond = getattr(champ, "plafond_plausible", None)
            valeur = cleaned.get(nom)
            if plafond is None or valeur is None or valeur <= plafond:
                continue
            self.add_error(
                nom,
                (champ.message_plausible or "{montant} dépasse {plafond}, un montant inhabituel").format(
                    montant=format_euros(valeur), plafond=format_euros(plafond)
                )
                + " : vérifiez-le, puis cochez « Je confirme ce montant » pour l’enregistrer.",
            )
            self.fields[self.CHAMP_CONFIRMATION].widget = forms.CheckboxInput()
        return cleaned


class MontantsAdminMixin:
    """A ModelAdmin or inline whose `champs_montants` are read by MontantField."""

    champs_montants = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.champs_montants:
            kwargs["form_class"] = MontantField
        return super().formfield_for_dbfield(db_field, request, **kwargs)
