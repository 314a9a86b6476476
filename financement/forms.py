import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from comptes.formats import MontantField, NombreField, format_nombre
from comptes.models import Organisation
from financement import consolidation, services
from financement.models import (
    COMMENTAIRE_MAX,
    Convention,
    LigneBudgetaire,
    MontantAnnuel,
    PartFinanceur,
)
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


# The administrators' forms: convention, financing plan, budget lines.


class ConventionForm(forms.ModelForm):
    class Meta:
        model = Convention
        fields = ["intitule", "date_debut", "duree_mois", "date_signature"]
        widgets = {"date_debut": DateInput(), "date_signature": DateInput()}
        error_messages = {"duree_mois": {"min_value": "La durée est d’au moins un mois."}}

    def clean(self):
        data = super().clean()
        debut, signature = data.get("date_debut"), data.get("date_signature")
        if debut and signature and signature > debut + relativedelta(years=1):
            self.add_error(
                "date_signature",
                "La date de signature est plus d’un an après le début de la convention : vérifiez-la.",
            )
        return data


class PartForm(forms.ModelForm):
    pourcentage = NombreField(
        label="Part (%)",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        exemple="12,5",
        error_messages={
            "min_value": "Une part est d’au moins 0,01 %.",
            "max_value": "Une part ne peut pas dépasser 100 %%.",
        },
    )

    class Meta:
        model = PartFinanceur
        fields = ["financeur", "libelle", "pourcentage", "statut"]
        widgets = {"statut": forms.RadioSelect}

    def __init__(self, *args, financeurs, choix_financeurs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financeur"].queryset = financeurs
        if choix_financeurs is not None:  # read once for every share of the plan
            self.fields["financeur"].choices = choix_financeurs
        self.fields["statut"].label = "Engagement"


class BasePlanFormSet(forms.BaseInlineFormSet):
    """The financing plan: the funders' shares total 100 %, and a share that has received payments
    stays in the plan."""

    def __init__(self, *args, financeurs, **kwargs):
        self.financeurs = financeurs
        self.choix_financeurs = list(forms.ModelChoiceField(queryset=financeurs).choices)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "financeurs": self.financeurs,
            "choix_financeurs": self.choix_financeurs,
        }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Retirer cette part du plan"

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.versements.exists():
                raise forms.ValidationError(
                    f"La part de {form.instance.financeur} a déjà reçu des versements : elle reste "
                    "dans le plan (changez son pourcentage plutôt que de la retirer).",
                    code="versements",
                )
        gardees = [f for f in self.forms if f.has_changed() or f.instance.pk]
        gardees = [f for f in gardees if not self._should_delete_form(f)]
        message = services.erreur_total_parts([f.cleaned_data["pourcentage"] for f in gardees])
        if message:
            raise forms.ValidationError(message, code="total")


PlanFormSet = forms.inlineformset_factory(
    Convention, PartFinanceur, form=PartForm, formset=BasePlanFormSet, extra=1, can_delete=True
)


class LigneForm(forms.ModelForm):
    class Meta:
        model = LigneBudgetaire
        fields = ["type", "libelle", "porteur", "ordre"]
        help_texts = {"ordre": "Rang de la ligne dans le budget et les rapports."}

    def __init__(self, *args, porteurs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["porteur"].queryset = porteurs


class MontantForm(forms.ModelForm):
    prevu = MontantField(label="Prévu (€)", max_digits=12, min_value=Decimal("0"))
    realise = MontantField(label="Réalisé (€)", max_digits=12, min_value=Decimal("0"), required=False)

    class Meta:
        model = MontantAnnuel
        fields = ["annee", "prevu", "realise"]

    def __init__(self, *args, annees, **kwargs):
        super().__init__(*args, **kwargs)
        self.annees = annees
        self.fields["annee"].widget.attrs.update(min=annees.start, max=annees.stop - 1)

    def clean_annee(self):
        annee = self.cleaned_data["annee"]
        if annee not in self.annees:
            raise forms.ValidationError(
                f"L’année {annee} est en dehors de la convention ({self.annees.start} à {self.annees.stop - 1})."
            )
        return annee

    def clean_realise(self):
        return self.cleaned_data.get("realise") or Decimal("0")


class BaseMontantsFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, annees, **kwargs):
        self.annees = annees
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "annees": self.annees}


MontantsFormSet = forms.inlineformset_factory(
    LigneBudgetaire, MontantAnnuel, form=MontantForm, formset=BaseMontantsFormSet, extra=1, can_delete=True
)
