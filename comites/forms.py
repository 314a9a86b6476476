from django import forms
from django.utils import timezone

from accompagnement.enums import FormeIml, SituationSortie
from accompagnement.forms import DateTimeInput
from comites.calendrier import valider_jour_ouvre
from comites.enums import Avis, Decision, StatutSeance, TypeInstance, TypePoint
from comites.models import DemandeComite, Instance, PointOrdreDuJour, Seance
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


CHAMPS_IML = ("iml_partenaire", "iml_forme", "iml_date_debut_contrat")
CHAMPS_DEROGATION = ("derogation_duree", "derogation_motif")

# The fields each decision asks for, in the order shown; "commentaire" is the decision's reasons.
CHAMPS_PAR_DECISION = {
    Decision.VALIDER: ("niveau", "date_debut", "duree_mois", *CHAMPS_IML, "commentaire"),
    Decision.RENOUVELER: ("duree_mois", *CHAMPS_DEROGATION, "commentaire"),
    Decision.CHANGER_NIVEAU: (
        "niveau",
        "date_debut",
        "duree_mois",
        *CHAMPS_DEROGATION,
        *CHAMPS_IML,
        "commentaire",
    ),
    Decision.AJOUTER_IML: (*CHAMPS_IML, "commentaire"),
    Decision.REFUSER: ("commentaire",),
    Decision.AJOURNER: ("commentaire",),
    Decision.TERMINER: ("date_debut", "motif_sortie", "situation_sortie", "commentaire"),
}
# Required for a decision, with the message shown beside the field when missing.
REQUIS_PAR_DECISION = {
    Decision.VALIDER: {"niveau": "Indiquez le niveau décidé."},
    Decision.RENOUVELER: {"duree_mois": "Indiquez la durée du renouvellement."},
    Decision.CHANGER_NIVEAU: {"niveau": "Indiquez le nouveau niveau."},
    Decision.AJOUTER_IML: {
        "iml_partenaire": "Indiquez le partenaire de l’IML.",
        "iml_forme": "Indiquez la forme de l’IML.",
        "iml_date_debut_contrat": "Indiquez le début du contrat d’IML.",
    },
    Decision.REFUSER: {"commentaire": "Indiquez le motif du refus."},
    Decision.AJOURNER: {"commentaire": "Indiquez pourquoi le point est ajourné."},
    Decision.TERMINER: {
        "motif_sortie": "Indiquez le motif de sortie.",
        "situation_sortie": "Indiquez la situation de logement à la sortie.",
    },
}
LIBELLES_PAR_DECISION = {
    Decision.REFUSER: {"commentaire": "Motif du refus"},
    Decision.AJOURNER: {"commentaire": "Motif de l’ajournement"},
    Decision.TERMINER: {"date_debut": "Date de fin de l’accompagnement"},
    Decision.RENOUVELER: {"duree_mois": "Durée du renouvellement (mois)"},
}
# The decisions open to the committee, by where the household stands.
DECISIONS_PROPOSITION = (Decision.VALIDER, Decision.REFUSER, Decision.AJOURNER)
DECISIONS_ACCOMPAGNEMENT = (
    Decision.RENOUVELER,
    Decision.CHANGER_NIVEAU,
    Decision.AJOUTER_IML,
    Decision.TERMINER,
    Decision.REFUSER,
    Decision.AJOURNER,
)
# The decision suggested by the item's subject.
DECISION_PAR_TYPE_POINT = {
    TypePoint.NOUVELLE_PROPOSITION: Decision.VALIDER,
    TypePoint.RENOUVELLEMENT: Decision.RENOUVELER,
    TypePoint.ECHEANCE: Decision.RENOUVELER,
    TypePoint.CHANGEMENT_NIVEAU: Decision.CHANGER_NIVEAU,
    TypePoint.IML: Decision.AJOUTER_IML,
    TypePoint.SORTIE: Decision.TERMINER,
}


class DecisionForm(forms.Form):
    """The chair's decision on an item: the fields shown are those of the chosen decision (swapped
    by htmx when the decision changes; without JavaScript, the "Afficher les champs" button reloads
    the page with them), and each decision's own fields are checked here."""

    decision = forms.ChoiceField(label="Décision", choices=Decision.choices)
    niveau = forms.ChoiceField(label="Niveau", choices=[("", "—"), *CodeNiveau.choices], required=False)
    date_debut = forms.DateField(
        label="À compter du",
        widget=DateInput,
        required=False,
        help_text="Laissez vide pour le jour de la séance.",
    )
    duree_mois = forms.IntegerField(label="Durée (mois)", min_value=1, max_value=36, required=False)
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
        empty_label="—",
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
    commentaire = forms.CharField(
        label="Motifs de la décision", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, decision=None, en_accompagnement=False, url_champs="", **kwargs):
        # Shown beside AvisForm, which also has a "commentaire": ids of its own, so that each label
        # names its own field.
        kwargs.setdefault("auto_id", "id_decision_%s")
        super().__init__(*args, **kwargs)
        possibles = DECISIONS_ACCOMPAGNEMENT if en_accompagnement else DECISIONS_PROPOSITION
        self.fields["decision"].choices = [(d.value, d.label) for d in possibles]
        choisie = self.data.get(self.add_prefix("decision")) if self.is_bound else decision
        if choisie not in possibles:
            choisie = possibles[0] if not self.is_bound else None
        self.decision = choisie
        self.fields["decision"].initial = choisie
        if url_champs:
            self.fields["decision"].widget.attrs.update(
                {
                    "hx-get": url_champs,
                    "hx-trigger": "change",
                    "hx-target": "#champs-decision",
                    "hx-swap": "outerHTML",
                    "aria-controls": "champs-decision",
                }
            )
        gardes = CHAMPS_PAR_DECISION.get(choisie, ())
        for name in list(self.fields):
            if name != "decision" and name not in gardes:
                del self.fields[name]
        for name, label in LIBELLES_PAR_DECISION.get(choisie, {}).items():
            self.fields[name].label = label
        for name in REQUIS_PAR_DECISION.get(choisie, {}):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = REQUIS_PAR_DECISION[choisie][name]

    def clean(self):
        data = super().clean()
        if data.get("derogation_duree") and not (data.get("derogation_motif") or "").strip():
            self.add_error("derogation_motif", "Motivez la dérogation à la durée maximale.")
        if "iml_partenaire" in self.fields:
            remplis = [n for n in CHAMPS_IML if data.get(n)]
            if remplis and len(remplis) < len(CHAMPS_IML):
                for name in CHAMPS_IML:
                    if not data.get(name) and name not in self.errors:
                        self.add_error(name, "Indiquez le partenaire, la forme et le début du contrat d’IML.")
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

    def arguments(self) -> dict:
        """The keyword arguments of services.decider, from the fields of the decision only."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in CHAMPS_IML and v not in (None, "")}
        return {**data, "iml": self.iml()}


class SyntheseForm(forms.ModelForm):
    """The case summary the referent writes for the committee."""

    class Meta:
        model = PointOrdreDuJour
        fields = ["synthese_niveau", "synthese_objectifs", "synthese_iml", "synthese_initiales"]
        widgets = {
            "synthese_niveau": forms.Textarea(attrs={"rows": 4}),
            "synthese_objectifs": forms.Textarea(attrs={"rows": 4}),
            "synthese_iml": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "synthese_iml": "Laissez vide si aucune intermédiation locative n’est demandée.",
        }


class PointForm(forms.Form):
    reference = forms.CharField(label="Référence du dossier", max_length=30)
    type = forms.ChoiceField(label="Objet", choices=TypePoint.choices)
    motif = forms.CharField(label="Motifs", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, dispositif, **kwargs):
        super().__init__(*args, **kwargs)
        # The example follows the committee's programme: ASEA-PO-… in the Pyrénées-Orientales.
        exemple = f"{dispositif.prefixe_reference}-{timezone.localdate().year}-0007"
        self.fields["reference"].label = f"Référence du dossier (ex. {exemple})"


class RenvoiDiagnosticForm(forms.Form):
    motif = forms.CharField(
        label="Motif du retour au diagnostic",
        help_text="Ce que le comité demande de compléter avant de réexaminer la proposition.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Indiquez pourquoi le dossier revient au diagnostic."},
    )


class DemandeForm(forms.ModelForm):
    class Meta:
        model = DemandeComite
        fields = [
            "type",
            "niveau_propose",
            "duree_proposee_mois",
            "motif",
            "synthese_niveau",
            "synthese_objectifs",
            "synthese_iml",
            "synthese_initiales",
        ]
        widgets = {
            "motif": forms.Textarea(attrs={"rows": 3}),
            "synthese_niveau": forms.Textarea(attrs={"rows": 3}),
            "synthese_objectifs": forms.Textarea(attrs={"rows": 3}),
            "synthese_iml": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "synthese_niveau": "La synthèse que lira le comité ; vous pourrez la compléter jusqu’à la séance.",
            "synthese_iml": "Laissez vide si aucune intermédiation locative n’est demandée.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [
            c for c in TypePoint.choices if c[0] not in (TypePoint.NOUVELLE_PROPOSITION, TypePoint.ECHEANCE)
        ]


class InstanceForm(forms.ModelForm):
    """A body's settings. The comité de suivi meets at the programme's rhythm, set with the
    programme's settings; the other bodies at their own."""

    class Meta:
        model = Instance
        fields = ["nom", "rythme_mois", "quorum_pourcentage", "lieu_habituel"]
        help_texts = {
            "quorum_pourcentage": "Part des membres avec voix délibérative qui doivent être présents "
            "(ou donner leur avis, en consultation urgente) pour décider ; au moins un membre.",
        }
        error_messages = {
            "quorum_pourcentage": {
                "min_value": "Le quorum est d’au moins 1 %%.",
                "max_value": "Le quorum ne peut pas dépasser 100 %% des membres votants.",
            },
            "rythme_mois": {"min_value": "Une instance se réunit au plus tous les mois (1)."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.type == TypeInstance.COMITE_SUIVI:
            del self.fields["rythme_mois"]
