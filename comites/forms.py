from django import forms

from accompagnement.enums import FormeIml, SituationSortie
from accompagnement.forms import DateTimeInput
from comites.calendrier import valider_jour_ouvre
from comites.enums import Avis, Decision, StatutSeance, TypePoint
from comites.models import DemandeComite, Seance
from comptes.enums import CodeNiveau, TypeOrganisation
from comptes.models import Organisation
from menages.enums import MotifSortie
from menages.forms import DateInput


class SeanceForm(forms.ModelForm):
    class Meta:
        model = Seance
        fields = ["date", "lieu", "lien_visio", "urgente", "initiales_seulement"]
        widgets = {"date": DateTimeInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].validators.append(valider_jour_ouvre)


class DeplacerSeanceForm(forms.Form):
    date = forms.DateTimeField(
        label="Nouvelle date et heure",
        widget=DateTimeInput,
        validators=[valider_jour_ouvre],
        help_text="Un jour ouvré : ni week-end ni jour férié.",
    )


class SansSeanceForm(forms.Form):
    statut = forms.ChoiceField(
        label="La séance",
        choices=[
            (StatutSeance.NON_TENUE, "ne s’est pas tenue (quorum non atteint, empêchement le jour même…)"),
            (StatutSeance.ANNULEE, "est annulée"),
        ],
        widget=forms.RadioSelect,
    )
    motif = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}))


class AvisForm(forms.Form):
    avis = forms.ChoiceField(label="Mon avis", choices=Avis.choices, widget=forms.RadioSelect)
    commentaire = forms.CharField(
        label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Décision", choices=Decision.choices)
    niveau = forms.ChoiceField(label="Niveau", choices=[("", "—"), *CodeNiveau.choices], required=False)
    date_debut = forms.DateField(label="À compter du", widget=DateInput, required=False)
    duree_mois = forms.IntegerField(label="Durée (mois)", min_value=1, max_value=36, required=False)
    commentaire = forms.CharField(
        label="Motifs de la décision", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    derogation_duree = forms.BooleanField(
        label="Dérogation à la durée maximale du niveau",
        required=False,
        help_text="Pour renouveler au-delà de la durée maximale en tout (12 mois pour le niveau 2).",
    )
    derogation_motif = forms.CharField(
        label="Motif de la dérogation", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    iml_partenaire = forms.ModelChoiceField(
        label="Partenaire IML",
        queryset=Organisation.objects.filter(type=TypeOrganisation.PARTENAIRE_IML),
        required=False,
    )
    iml_forme = forms.ChoiceField(
        label="Forme de l’IML", choices=[("", "—"), *FormeIml.choices], required=False
    )
    iml_date_debut_contrat = forms.DateField(label="Début du contrat IML", widget=DateInput, required=False)
    motif_sortie = forms.ChoiceField(
        label="Motif de sortie", choices=[("", "—"), *MotifSortie.choices], required=False
    )
    situation_sortie = forms.ChoiceField(
        label="Situation de logement à la sortie",
        choices=[("", "—"), *SituationSortie.choices],
        required=False,
    )

    def __init__(self, *args, avec_derogation=True, **kwargs):
        # Shown beside AvisForm, which also has a "commentaire": ids of its own, so that each label
        # names its own field.
        kwargs.setdefault("auto_id", "id_decision_%s")
        super().__init__(*args, **kwargs)
        if not avec_derogation:
            del self.fields["derogation_duree"]
            del self.fields["derogation_motif"]

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision in (Decision.VALIDER, Decision.CHANGER_NIVEAU) and not data.get("niveau"):
            self.add_error("niveau", "Indiquez le niveau décidé.")
        if data.get("derogation_duree") and not (data.get("derogation_motif") or "").strip():
            self.add_error("derogation_motif", "Motivez la dérogation à la durée maximale.")
        if decision == Decision.TERMINER:
            for name in ("motif_sortie", "situation_sortie"):
                if not data.get(name):
                    self.add_error(name, "Ce champ est obligatoire pour mettre fin à l’accompagnement.")
        if decision == Decision.AJOUTER_IML and not data.get("iml_partenaire"):
            self.add_error("iml_partenaire", "Indiquez le partenaire de l’IML.")
        return data

    def iml(self):
        data = self.cleaned_data
        if not data.get("iml_partenaire"):
            return None
        return {
            "partenaire": data["iml_partenaire"],
            "forme": data["iml_forme"],
            "date_debut_contrat": data["iml_date_debut_contrat"],
        }


class PointForm(forms.Form):
    reference = forms.CharField(label="Référence du dossier (ex. ASEA-2026-0007)", max_length=30)
    type = forms.ChoiceField(label="Objet", choices=TypePoint.choices)
    motif = forms.CharField(label="Motifs", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DemandeForm(forms.ModelForm):
    class Meta:
        model = DemandeComite
        fields = ["type", "niveau_propose", "duree_proposee_mois", "motif"]
        widgets = {"motif": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [
            c for c in TypePoint.choices if c[0] not in (TypePoint.NOUVELLE_PROPOSITION, TypePoint.ECHEANCE)
        ]
