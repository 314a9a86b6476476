import datetime

from django import forms
from django.utils import timezone

from comptes.formats import format_nombre
from comptes.models import Organisation
from financement import consolidation
from financement.models import COMMENTAIRE_MAX
from financement.periodes import erreurs_periode


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodeForm(forms.Form):
    """A period within the programme's dates (`dispositif`, or the one chosen in the form)."""

    debut = forms.DateField(label="Du", widget=DateInput())
    fin = forms.DateField(label="Au", widget=DateInput())

    def __init__(self, *args, dispositif=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dispositif = dispositif
        if dispositif is not None:
            self._bornes(dispositif)
            debut, fin = periode_par_defaut(dispositif)
            self.initial = {"debut": debut, "fin": fin, **self.initial}

    def _bornes(self, dispositif):
        """The browser's date pickers offer the programme's dates only."""
        for nom in ("debut", "fin"):
            self.fields[nom].widget.attrs.update(
                min=f"{dispositif.date_debut:%Y-%m-%d}", max=f"{dispositif.date_fin:%Y-%m-%d}"
            )

    def clean(self):
        data = super().clean()
        dispositif = data.get("dispositif", self.dispositif)
        for champ, messages in erreurs_periode(dispositif, data.get("debut"), data.get("fin")).items():
            for message in messages:
                self.add_error(champ, message)
        return data

    def periode(self) -> tuple[datetime.date, datetime.date]:
        """The period asked for if it is valid, otherwise the programme's default period."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["debut"], self.cleaned_data["fin"]
        return periode_par_defaut(self.dispositif)


class PeriodeConsolideeForm(PeriodeForm):
    """The period of the consolidated figures of `dispositifs`: any period, its end not before its
    start (a programme that did not run then counts zero); by default, from the programmes'
    earliest start to today."""

    def __init__(self, *args, dispositifs, **kwargs):
        super().__init__(*args, **kwargs)
        self.dispositifs = list(dispositifs)
        debut, fin = consolidation.periode_par_defaut(self.dispositifs)
        self.initial = {"debut": debut, "fin": fin, **self.initial}

    def periode(self) -> tuple[datetime.date, datetime.date]:
        if self.is_bound and self.is_valid():
            return self.cleaned_data["debut"], self.cleaned_data["fin"]
        return consolidation.periode_par_defaut(self.dispositifs)


def periode_par_defaut(dispositif) -> tuple[datetime.date, datetime.date]:
    """From the programme's start to today (or to its end, if it is over; to its first day, if it
    has not started yet)."""
    fin = min(timezone.localdate(), dispositif.date_fin)
    return dispositif.date_debut, max(fin, dispositif.date_debut)


def champ_commentaire():
    maximum = format_nombre(COMMENTAIRE_MAX)
    return forms.CharField(
        label="Commentaire du coordinateur (facultatif)",
        required=False,
        max_length=COMMENTAIRE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=f"Imprimé en première page du rapport, {maximum} caractères au plus.",
        error_messages={
            "max_length": f"Le commentaire ne doit pas dépasser {maximum} caractères "
            "(il en compte actuellement %(show_value)s)."
        },
    )


class RapportForm(PeriodeForm):
    dispositif = forms.ModelChoiceField(label="Dispositif", queryset=None)
    financeur = forms.ModelChoiceField(label="Financeur", queryset=None)
    commentaire = champ_commentaire()

    field_order = ["dispositif", "financeur", "debut", "fin", "commentaire"]

    def __init__(self, *args, dispositifs, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispositif"].queryset = dispositifs
        if user.est_administrateur:
            self.fields["financeur"].queryset = Organisation.objects.filter(
                parts_financement__convention__dispositif__in=dispositifs
            ).distinct()
        else:
            # A funder asks for its own organisation's reports only.
            self.fields["financeur"].queryset = Organisation.objects.filter(pk=user.organisation_id)
            self.fields["financeur"].initial = user.organisation_id
            self.fields["financeur"].widget = forms.HiddenInput()
        if dispositifs.count() == 1:
            dispositif = dispositifs.get()
            self.fields["dispositif"].initial = dispositif.pk
            self._bornes(dispositif)
            debut, fin = periode_par_defaut(dispositif)
            self.fields["debut"].initial = debut
            self.fields["fin"].initial = fin


class CommentaireForm(forms.Form):
    """The coordinator's commentary on a report already asked for."""

    commentaire = champ_commentaire()
