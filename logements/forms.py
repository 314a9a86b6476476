from pathlib import PurePath

from django import forms

from logements.enums import DecisionFsl, ModeMobilisation, StatutPlanApurement
from logements.models import (
    AideFsl,
    Attribution,
    EtapeExpulsion,
    MobilisationLogement,
    PlanApurement,
    Reclamation,
    SignalementGardien,
    SoldeLocatif,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

TAILLE_MAX_IMPORT = 20 * 1024 * 1024


class ImportLogementsForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier du bailleur (CSV ou Excel)",
        help_text="Format .csv (séparateur point-virgule ou virgule) ou .xlsx (première feuille), 20 Mo "
        "au plus. La première ligne donne le nom des colonnes.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if PurePath(fichier.name).suffix.lower() not in (".csv", ".xlsx", ".xls", ".txt"):
            raise forms.ValidationError("Déposez un fichier .csv ou .xlsx.")
        if fichier.size > TAILLE_MAX_IMPORT:
            raise forms.ValidationError("Le fichier dépasse 20 Mo : découpez-le en plusieurs fichiers.")
        return fichier


class MobilisationForm(forms.ModelForm):
    mode = forms.ChoiceField(
        label="Mode de mobilisation", choices=ModeMobilisation.choices, widget=forms.RadioSelect
    )

    class Meta:
        model = MobilisationLogement
        fields = ["dispositif", "mode", "date_mobilisation", "commentaire"]
        widgets = {
            "date_mobilisation": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "commentaire": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, dispositifs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispositif"].queryset = dispositifs
        self.fields["dispositif"].empty_label = None
        # With a single programme (the usual case) there is nothing to choose.
        self.dispositif_unique = dispositifs[0] if len(dispositifs) == 1 else None
        if self.dispositif_unique:
            del self.fields["dispositif"]

    def dispositif_choisi(self):
        return self.dispositif_unique or self.cleaned_data["dispositif"]


class ReclamationForm(forms.ModelForm):
    class Meta:
        model = Reclamation
        fields = ["type", "date", "description"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class SoldeForm(forms.ModelForm):
    mois = forms.DateField(
        label="Mois",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "Saisissez un mois au format AAAA-MM."},
    )

    class Meta:
        model = SoldeLocatif
        fields = ["mois", "solde"]
        error_messages = {"solde": {"min_value": "Le montant de l’impayé ne peut pas être négatif."}}


class SignalementGardienForm(forms.ModelForm):
    """The caretaker's short form (on a tablet or a phone), once the dwelling is chosen: when,
    what, a few words."""

    class Meta:
        model = SignalementGardien
        fields = ["date", "nature", "texte"]
        widgets = {"date": DATE, "texte": forms.Textarea(attrs={"rows": 4})}


class ClotureReclamationForm(forms.Form):
    date_cloture = forms.DateField(label="Close le", widget=DATE)
    resolution = forms.CharField(
        label="Résolution",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui a été fait, et avec qui : le ménage peut lire son dossier.",
        error_messages={"required": "Indiquez comment la situation a été résolue."},
    )


class EtapeExpulsionForm(forms.ModelForm):
    class Meta:
        model = EtapeExpulsion
        fields = ["etape", "date", "commentaire"]
        widgets = {"date": DATE, "commentaire": forms.Textarea(attrs={"rows": 3})}


class PlanApurementForm(forms.ModelForm):
    class Meta:
        model = PlanApurement
        fields = ["date_debut", "montant_dette", "mensualite"]
        widgets = {"date_debut": DATE}
        localized_fields = ["montant_dette", "mensualite"]


class StatutPlanForm(forms.Form):
    statut = forms.ChoiceField(
        label="Le plan est", choices=StatutPlanApurement.choices, widget=forms.RadioSelect
    )
    date_fin = forms.DateField(
        label="Respecté ou rompu le",
        required=False,
        widget=DATE,
        help_text="Sans objet pour un plan en cours.",
    )


class AideFslForm(forms.ModelForm):
    class Meta:
        model = AideFsl
        fields = ["date_demande", "montant"]
        widgets = {"date_demande": DATE}
        localized_fields = ["montant"]


class DecisionFslForm(forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=DecisionFsl.choices, widget=forms.RadioSelect)
    date_decision = forms.DateField(
        label="Date de la décision",
        required=False,
        widget=DATE,
        help_text="Sans objet tant que la demande est en attente.",
    )


class AttributionForm(forms.ModelForm):
    class Meta:
        model = Attribution
        fields = [
            "canal",
            "date_proposition",
            "date_visite",
            "decision_cal",
            "date_cal",
            "date_bail",
            "date_entree",
            "motif_refus",
            "iml",
            "date_convention_occupation",
            "date_glissement",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in (
                "date_proposition",
                "date_visite",
                "date_cal",
                "date_bail",
                "date_entree",
                "date_convention_occupation",
                "date_glissement",
            )
        }
