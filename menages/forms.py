from django import forms
from django.forms import inlineformset_factory

from comptes.enums import TypeOrganisation
from comptes.models import Commune, Organisation
from menages.enums import (
    DecisionFinanceur,
    DomaineDiagnostic,
    EtatParcours,
    MotifRefus,
    MotifSortie,
    Probleme,
)
from menages.models import Dette, Diagnostic, Membre, Menage, PreDiagnostic, Ressource


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MenageForm(forms.ModelForm):
    problemes = forms.MultipleChoiceField(
        label="Difficultés repérées",
        choices=Probleme.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Menage
        fields = [
            "nom",
            "bailleur",
            "commune",
            "adresse",
            "telephone",
            "email",
            "date_saisine",
            "source_orientation",
            "orienteur",
            "problematique",
            "situation_logement",
            "situation_logement_precision",
            "eligible_dalo",
            "accords_collectifs",
            "public_pdalpd",
            "date_information",
            "date_adhesion",
        ]
        labels = {"nom": "Nom du ménage (nom et prénom de la personne de référence)"}
        widgets = {
            "date_saisine": DateInput,
            "date_information": DateInput,
            "date_adhesion": DateInput,
            "problematique": forms.RadioSelect,
        }

    def __init__(self, *args, dispositif, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bailleur"].queryset = dispositif.organisations.filter(type=TypeOrganisation.BAILLEUR)
        self.fields["commune"].queryset = Commune.objects.all()
        if self.instance.pk:
            self.fields["problemes"].initial = [p.code for p in self.instance.problemes.all()]
            del self.fields["date_saisine"]
        if user.est_personnel_bailleur:
            # Landlord staff only create and edit files of their own landlord.
            del self.fields["bailleur"]
        self.fields["telephone"].widget.attrs.update({"type": "tel", "autocomplete": "off"})


MembreFormSet = inlineformset_factory(
    Menage,
    Membre,
    fields=["prenom", "nom", "date_naissance", "lien", "date_entree", "date_sortie"],
    widgets={"date_naissance": DateInput, "date_entree": DateInput, "date_sortie": DateInput},
    # A whole family is entered in one go: three empty rows, and « Ajouter une ligne » for more.
    extra=3,
    can_delete=True,
)
RessourceFormSet = inlineformset_factory(
    Menage,
    Ressource,
    fields=["type", "montant_mensuel", "precision"],
    localized_fields=["montant_mensuel"],
    extra=1,
    can_delete=True,
)
DetteFormSet = inlineformset_factory(
    Menage,
    Dette,
    fields=["creancier", "montant", "etape_bdf"],
    localized_fields=["montant"],
    extra=1,
    can_delete=True,
)


class TransitionForm(forms.Form):
    vers = forms.ChoiceField(choices=EtatParcours.choices, widget=forms.HiddenInput)
    motif = forms.CharField(
        label="Motif ou commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    motif_sortie = forms.ChoiceField(
        label="Motif de sortie", choices=[("", "—")] + MotifSortie.choices, required=False
    )
    motif_refus = forms.ChoiceField(
        label="Motif du refus", choices=[("", "—")] + MotifRefus.choices, required=False
    )

    # The step the form leads to is given as its initial `vers`; it decides which reason is asked.
    @property
    def demande_motif_sortie(self):
        return self.initial.get("vers") == EtatParcours.CLOS

    @property
    def demande_motif_refus(self):
        return self.initial.get("vers") == EtatParcours.REFUSE


class PreDiagnosticForm(forms.ModelForm):
    class Meta:
        model = PreDiagnostic
        fields = ["date", "situation", "difficultes", "dispositifs_mobilises", "motif_orientation", "propose"]
        widgets = {
            "date": DateInput,
            "situation": forms.Textarea(attrs={"rows": 4}),
            "difficultes": forms.Textarea(attrs={"rows": 3}),
            "dispositifs_mobilises": forms.Textarea(attrs={"rows": 2}),
            "motif_orientation": forms.Textarea(attrs={"rows": 3}),
        }


class ReponseManuelleForm(forms.Form):
    financeur = forms.ModelChoiceField(label="Financeur", queryset=Organisation.objects.none())
    decision = forms.ChoiceField(
        label="Réponse",
        choices=[(DecisionFinanceur.VALIDEE, "Validé"), (DecisionFinanceur.REFUSEE, "Refusé")],
        widget=forms.RadioSelect,
    )
    commentaire = forms.CharField(
        label="Commentaire (moyen et date de la réponse)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, dispositif, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financeur"].queryset = dispositif.organisations.filter(type=TypeOrganisation.FINANCEUR)


class ReponsePubliqueForm(forms.Form):
    commentaire = forms.CharField(
        label="Commentaire (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DiagnosticForm(forms.ModelForm):
    class Meta:
        model = Diagnostic
        fields = [
            "date",
            *[f"{prefix}_{d.value}" for d in DomaineDiagnostic for prefix in ("score", "observations")],
            "besoin_communes",
            "besoin_typologie",
            "besoin_loyer_max",
            "besoin_accessibilite",
            "niveau_propose",
            "objectifs_envisages",
        ]
        widgets = {
            "date": DateInput,
            "besoin_communes": forms.CheckboxSelectMultiple,
            **{f"observations_{d.value}": forms.Textarea(attrs={"rows": 2}) for d in DomaineDiagnostic},
            "objectifs_envisages": forms.Textarea(attrs={"rows": 3}),
        }
        localized_fields = ["besoin_loyer_max"]
        help_texts = {
            "observations_sante": (
                "Confidentiel : visible des seuls travailleurs sociaux, jamais du bailleur."
            ),
        }
