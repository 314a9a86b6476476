import datetime

from django import forms
from django.utils import timezone

from comptes.models import Organisation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodeForm(forms.Form):
    debut = forms.DateField(label="Du", widget=DateInput())
    fin = forms.DateField(label="Au", widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("debut") and data.get("fin") and data["fin"] < data["debut"]:
            raise forms.ValidationError("La fin de la période doit suivre son début.")
        return data


def periode_par_defaut(dispositif) -> tuple[datetime.date, datetime.date]:
    """From the programme's start to today (or to its end, if it is over)."""
    return dispositif.date_debut, min(timezone.localdate(), dispositif.date_fin)


class RapportForm(PeriodeForm):
    dispositif = forms.ModelChoiceField(label="Dispositif", queryset=None)
    financeur = forms.ModelChoiceField(label="Financeur", queryset=None)

    field_order = ["dispositif", "financeur", "debut", "fin"]

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
            debut, fin = periode_par_defaut(dispositif)
            self.fields["debut"].initial = debut
            self.fields["fin"].initial = fin
