from decimal import Decimal

from django import forms
from django.forms import inlineformset_factory

from comptes.confidentialite import peut_lire, retirer_choix_du_niveau
from comptes.enums import Confidentialite, TypeOrganisation
from comptes.formats import ConfirmationMontantsMixin, MontantField
from comptes.models import Commune, Organisation
from menages.enums import (
    DecisionFinanceur,
    DomaineDiagnostic,
    EtatParcours,
    MotifRefus,
    MotifSortie,
    Partenaire,
    Probleme,
)
from menages.models import ConsentementPartage, Dette, Diagnostic, Membre, Menage, PreDiagnostic, Ressource
from menages.selectors import financeurs_du_dispositif

# The information notice the programme gives today; a consent records the version the household got.
VERSION_NOTICE_ACTUELLE = "Notice d’information ASEA, édition 2026"


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
            # The household's number, typed by a worker: the phone keypad on a tablet, and not the
            # worker's own number offered by the browser.
            "telephone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, dispositif, user, **kwargs):
        """`dispositif`: the household's programme (on creation, the user's current programme)."""
        super().__init__(*args, **kwargs)
        self.fields["bailleur"].queryset = Organisation.objects.filter(
            type=TypeOrganisation.BAILLEUR, dispositifs=dispositif
        )
        self.fields["commune"].queryset = Commune.objects.all()
        if self.instance.pk:
            self.fields["problemes"].initial = [p.code for p in self.instance.problemes.all()]
            del self.fields["date_saisine"]
        if user.est_personnel_bailleur:
            # Landlord staff only create and edit files of their own landlord.
            del self.fields["bailleur"]
            if not self.instance.pk:
                # Referred by the landlord: the household's consent to sharing with it, if given now.
                self.fields["consentement_bailleur"] = forms.BooleanField(
                    label="Le ménage a reçu la notice d’information et consent au partage de son dossier "
                    "avec le bailleur",
                    required=False,
                    help_text="Sans ce consentement, vous ne verrez pas son dossier social (vous "
                    "gardez son dossier locatif) : son travailleur social référent pourra l’enregistrer plus tard.",
                )
                self.fields["version_notice"] = forms.CharField(
                    label="Version de la notice d’information remise",
                    max_length=100,
                    required=False,
                    initial=VERSION_NOTICE_ACTUELLE,
                )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("consentement_bailleur") and not (cleaned.get("version_notice") or "").strip():
            self.add_error("version_notice", "Indiquez la version de la notice remise au ménage.")
        return cleaned


# A monthly resource above this is confirmed before it is saved (a comma forgotten, cents typed as
# euros).
PLAFOND_RESSOURCE_MENSUELLE = Decimal("10000")


class RessourceForm(ConfirmationMontantsMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["montant_mensuel"].plafond_plausible = PLAFOND_RESSOURCE_MENSUELLE
        self.fields["montant_mensuel"].message_plausible = "{montant} par mois dépasse {plafond}"


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
    form=RessourceForm,
    fields=["type", "montant_mensuel", "precision"],
    field_classes={"montant_mensuel": MontantField},
    extra=1,
    can_delete=True,
)
DetteFormSet = inlineformset_factory(
    Menage,
    Dette,
    fields=["creancier", "montant", "etape_bdf"],
    field_classes={"montant": MontantField},
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
        fields = [
            "date",
            "situation",
            "difficultes",
            "dispositifs_mobilises",
            "motif_orientation",
            "propose",
            "confidentialite",
        ]
        widgets = {
            "date": DateInput,
            "situation": forms.Textarea(attrs={"rows": 4}),
            "difficultes": forms.Textarea(attrs={"rows": 3}),
            "dispositifs_mobilises": forms.Textarea(attrs={"rows": 2}),
            "motif_orientation": forms.Textarea(attrs={"rows": 3}),
            "confidentialite": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not peut_lire(user, Confidentialite.TRAVAILLEURS_SOCIAUX):
            # Landlord staff write for everyone who works on the file: they would not read it back.
            retirer_choix_du_niveau(self, user)
        elif not self.instance.pk:
            self.initial["confidentialite"] = PreDiagnostic.confidentialite_par_defaut(user)


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
        self.fields["financeur"].queryset = financeurs_du_dispositif(dispositif)


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
        field_classes = {"besoin_loyer_max": MontantField}
        help_texts = {
            "observations_sante": (
                "Confidentiel : visible des seuls travailleurs sociaux, jamais du bailleur."
            ),
        }


class ConsentementForm(forms.ModelForm):
    """The household's consent to sharing with one partner, recorded by its referent worker."""

    class Meta:
        model = ConsentementPartage
        fields = ["partenaire", "date_consentement", "version_notice"]
        widgets = {"date_consentement": DateInput}

    def __init__(self, *args, menage, **kwargs):
        super().__init__(*args, **kwargs)
        actifs = set(menage.consentements.actifs().values_list("partenaire", flat=True))
        self.fields["partenaire"].choices = [(v, label) for v, label in Partenaire.choices if v not in actifs]
        self.fields["partenaire"].label = "Partage avec"
        self.fields["date_consentement"].help_text = "Le jour où le ménage a donné son accord."
        self.fields["version_notice"].initial = VERSION_NOTICE_ACTUELLE

    def clean_date_consentement(self):
        from django.utils import timezone

        date = self.cleaned_data["date_consentement"]
        if date > timezone.localdate():
            raise forms.ValidationError("La date du consentement ne peut pas être dans le futur.")
        return date
