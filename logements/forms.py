from pathlib import PurePath

from django import forms

from comptes.formats import ConfirmationMontantsMixin, MontantField, format_euros
from comptes.importation import TAILLE_MAX_IMPORT
from logements.enums import CanalAttribution, DecisionFsl, ModeMobilisation, StatutPlanApurement
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


# A month's arrears above this many months of rent and charges is confirmed before it is saved (a
# comma forgotten: « 123456 » for « 1234,56 »).
MOIS_DE_LOYER_PLAUSIBLES = 10


class SoldeForm(ConfirmationMontantsMixin, forms.ModelForm):
    mois = forms.DateField(
        label="Mois",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={"invalid": "Saisissez un mois au format AAAA-MM."},
    )

    class Meta:
        model = SoldeLocatif
        fields = ["mois", "solde", "loyer_charges"]
        field_classes = {"solde": MontantField, "loyer_charges": MontantField}

    def __init__(self, *args, loyer=None, **kwargs):
        """`loyer`: the household's known monthly rent and charges (None when unknown)."""
        super().__init__(*args, **kwargs)
        self.loyer = loyer

    def clean(self):
        loyer = self.cleaned_data.get("loyer_charges") or self.loyer
        if loyer:
            champ = self.fields["solde"]
            champ.plafond_plausible = MOIS_DE_LOYER_PLAUSIBLES * loyer
            champ.message_plausible = (
                f"Un impayé de {{montant}} dépasse dix fois le loyer et les charges ({format_euros(loyer)})"
            )
        return super().clean()


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
        field_classes = {"montant_dette": MontantField, "mensualite": MontantField}


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
        field_classes = {"montant": MontantField}


class DecisionFslForm(forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=DecisionFsl.choices, widget=forms.RadioSelect)
    date_decision = forms.DateField(
        label="Date de la décision",
        required=False,
        widget=DATE,
        help_text="Sans objet tant que la demande est en attente.",
    )


class AttributionForm(forms.ModelForm):
    """The channel is chosen among the programme's channels, listed in their order of priority;
    the contingent préfectoral is offered only for a dwelling in it."""

    canal = forms.ChoiceField(
        label="Canal d’attribution (par ordre de priorité)",
        choices=[(c.value, f"{i}. {c.label}") for i, c in enumerate(CanalAttribution, start=1)],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le canal d’attribution."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A proposal already made through the contingent keeps its channel on the page.
        if (
            not self.instance.logement.contingent_prefectoral
            and self.instance.canal != CanalAttribution.CONTINGENT_PREFECTORAL
        ):
            self.fields["canal"].choices = [
                (value, label)
                for value, label in self.fields["canal"].choices
                if value != CanalAttribution.CONTINGENT_PREFECTORAL
            ]
            self.fields["canal"].help_text = "Ce logement n’appartient pas au contingent préfectoral."

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


class GlissementForm(forms.Form):
    jour = forms.DateField(
        label="Date du glissement",
        help_text="Le jour où le ménage signe son propre bail.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date du glissement.",
            "invalid": "Saisissez une date valide.",
        },
    )
