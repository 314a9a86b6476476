from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format

from accompagnement.enums import (
    Axe,
    Confidentialite,
    FormeIml,
    Rythme,
    SituationSortie,
    TypeDocument,
)
from accompagnement.models import Contact, Objectif, Orientation, SuiviPostSortie, TempsFort
from accompagnement.selectors import responsables_prochaine_etape
from comptes.confidentialite import peut_lire, retirer_choix_du_niveau
from comptes.enums import CodeNiveau, TypeOrganisation
from comptes.models import Organisation, Utilisateur
from comptes.selectors import rechercher_utilisateurs
from comptes.widgets import AutocompleteField
from menages.enums import MotifSortie, TypeIntervention
from menages.forms import DateInput
from menages.models import Intervenant, Membre

TAILLE_MAX_DOCUMENT = 10 * 1024 * 1024
SIGNATURES = {"pdf": (b"%PDF-",), "jpg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
EXTENSIONS = {"pdf": "pdf", "jpg": "jpg", "jpeg": "jpg", "png": "png"}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class VersionMixin(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ImlFieldsMixin(forms.Form):
    iml_partenaire = forms.ModelChoiceField(
        label="Partenaire IML",
        queryset=Organisation.objects.filter(type=TypeOrganisation.PARTENAIRE_IML),
        required=False,
    )
    iml_forme = forms.ChoiceField(
        label="Forme de l’IML", choices=[("", "—"), *FormeIml.choices], required=False
    )
    iml_date_debut_contrat = forms.DateField(label="Début du contrat IML", required=False, widget=DateInput)
    iml_date_fin_contrat = forms.DateField(label="Fin du contrat IML", required=False, widget=DateInput)
    iml_glissement_bail_prevu = forms.DateField(
        label="Glissement du bail prévu le", required=False, widget=DateInput
    )

    def iml(self):
        data = self.cleaned_data
        if not data.get("iml_partenaire"):
            return None
        return {
            "partenaire": data["iml_partenaire"],
            "forme": data["iml_forme"],
            "date_debut_contrat": data["iml_date_debut_contrat"],
            "date_fin_contrat": data["iml_date_fin_contrat"],
            "glissement_bail_prevu": data["iml_glissement_bail_prevu"],
        }

    def clean(self):
        data = super().clean()
        if data.get("iml_partenaire"):
            for name in ("iml_forme", "iml_date_debut_contrat"):
                if not data.get(name):
                    self.add_error(name, "Ce champ est obligatoire pour une mesure d’IML.")
        return data


class DemarrerForm(ImlFieldsMixin):
    """An administrator's correction: the support starts without a committee decision."""

    niveau = forms.ChoiceField(
        label="Niveau", choices=[c for c in CodeNiveau.choices if c[0] != CodeNiveau.RELAIS_SORTANT]
    )
    date_debut = forms.DateField(
        label="Début de l’accompagnement", widget=DateInput, initial=timezone.localdate
    )
    duree_mois = forms.IntegerField(
        label="Durée (mois)",
        required=False,
        min_value=1,
        max_value=36,
        help_text="Vide : la durée maximale du niveau. Obligatoire pour le niveau renforcé.",
    )
    rythme = forms.ChoiceField(
        label="Rythme des rencontres", choices=Rythme.choices, initial=Rythme.HEBDOMADAIRE
    )
    correction = forms.CharField(
        label="Motif de la correction (obligatoire)",
        help_text="Hors décision du comité : la correction et son motif sont montrés à part dans le dossier.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NiveauForm(ImlFieldsMixin):
    """An administrator's correction of the level of a running support."""

    niveau = forms.ChoiceField(label="Nouveau niveau", choices=CodeNiveau.choices)
    date_effet = forms.DateField(label="Date d’effet", widget=DateInput, initial=timezone.localdate)
    duree_mois = forms.IntegerField(label="Durée (mois)", required=False, min_value=1, max_value=36)
    correction = forms.CharField(
        label="Motif de la correction (obligatoire)",
        help_text="Hors décision du comité : la correction et son motif sont montrés à part dans le dossier.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RythmeForm(forms.Form):
    rythme = forms.ChoiceField(label="Nouveau rythme", choices=Rythme.choices)
    date = forms.DateField(label="À partir du", widget=DateInput, initial=timezone.localdate)
    motif = forms.CharField(label="Motif", required=False, max_length=250)


class ClotureForm(forms.Form):
    """An administrator's correction: the support ends without a committee decision."""

    date_fin = forms.DateField(label="Date de fin", widget=DateInput, initial=timezone.localdate)
    motif_sortie = forms.ChoiceField(label="Motif de sortie", choices=MotifSortie.choices)
    situation_sortie = forms.ChoiceField(
        label="Situation de logement à la sortie", choices=SituationSortie.choices
    )
    correction = forms.CharField(
        label="Motif de la correction (obligatoire)",
        help_text="Hors décision du comité : la correction et son motif sont montrés à part dans le dossier.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


NOTE_AIDE = (
    "Le ménage peut demander à lire cette note : écrivez des faits, de façon objective et respectueuse, "
    "sans jugement ni information excessive."
)


class ContactForm(VersionMixin, forms.ModelForm):
    axes = forms.MultipleChoiceField(
        label="Axes abordés", choices=Axe.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    # Filled by static/js/brouillons.js with a fresh key per draft; without script it stays empty
    # and the form works as before. The view reads it (a malformed key counts as none).
    cle_envoi = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    class Meta:
        model = Contact
        fields = [
            "type",
            "date",
            "duree_minutes",
            "lieu",
            "membres",
            "professionnels",
            "autres_participants",
            "axes",
            "note",
            "confidentialite",
            "prochaine_etape",
            "prochaine_etape_le",
            "prochaine_etape_par",
        ]
        widgets = {
            "date": DateTimeInput,
            "prochaine_etape_le": DateInput,
            "membres": forms.CheckboxSelectMultiple,
            "professionnels": forms.CheckboxSelectMultiple,
            "note": forms.Textarea(attrs={"rows": 4}),
            "confidentialite": forms.RadioSelect,
        }
        help_texts = {"note": NOTE_AIDE}

    def __init__(self, *args, menage, auteur=None, **kwargs):
        super().__init__(*args, **kwargs)
        auteur = self.instance.auteur if self.instance.pk else auteur
        self.fields["prochaine_etape_par"].queryset = responsables_prochaine_etape(menage, auteur)
        self.fields["prochaine_etape_par"].help_text = "Par défaut, l’auteur du contact."
        self.fields["prochaine_etape_le"].help_text = "Facultative : datée, elle apparaît dans l’agenda."
        if auteur is not None and not self.instance.pk:
            self.initial.setdefault("prochaine_etape_par", auteur.pk)
        # Participants are the household's people: its members still living there, and the
        # professionals intervening on it today (not every user of the programme). A contact being
        # edited keeps the people it already names, even if they have left since.
        membres = Q(menage=menage, date_sortie__isnull=True)
        intervenants = Q(
            pk__in=Intervenant.objects.actifs()
            .filter(menage=menage, utilisateur__isnull=False)
            .values("utilisateur"),
            is_active=True,
        )
        if self.instance.pk:
            # Their keys as a list, not a subquery: PostgreSQL cannot combine a subquery in an OR
            # with an index, and scanned every member of every household (10 ms at 10,000
            # households). The lists are those the form's initial values read (one query each, none
            # when the view prefetched them).
            membres |= Q(pk__in=[m.pk for m in self.instance.membres.all()])
            intervenants |= Q(pk__in=[u.pk for u in self.instance.professionnels.all()])
        self.fields["membres"].queryset = Membre.objects.filter(membres)
        self.fields["membres"].label = "Membres du ménage présents"
        auteur = self.instance.auteur if self.instance.pk else auteur
        professionnels = Utilisateur.objects.filter(intervenants).select_related("organisation")
        if auteur is not None:
            professionnels = professionnels.exclude(pk=auteur.pk)
        self.fields["professionnels"].queryset = professionnels.order_by("last_name", "first_name", "pk")
        self.fields["professionnels"].label_from_instance = _professionnel
        self.fields["professionnels"].required = False
        self.fields[
            "professionnels"
        ].help_text = (
            "Vous êtes compté d’office ; cochez les autres intervenants du ménage qui étaient présents."
        )
        self.fields["professionnels"].error_messages["invalid_choice"] = (
            "Choisissez parmi les intervenants du ménage : %(value)s n’en fait pas partie."
        )
        self.fields["membres"].error_messages["invalid_choice"] = (
            "Choisissez parmi les membres du ménage : %(value)s n’en fait pas partie."
        )
        for name in ("membres", "professionnels"):
            self.fields[name].error_messages["invalid_pk_value"] = "« %(pk)s » n’est pas un choix valide."
        self.fields["duree_minutes"].widget.attrs.update({"inputmode": "numeric", "step": 5})
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localtime().replace(second=0, microsecond=0))
            self.initial.setdefault(
                "membres", list(self.fields["membres"].queryset.values_list("pk", flat=True))
            )
        else:
            self.initial["version"] = self.instance.version


def _professionnel(user):
    organisation = user.organisation
    return f"{user} ({organisation})" if organisation else str(user)


class ObjectifForm(VersionMixin, forms.ModelForm):
    commentaire = forms.CharField(label="Commentaire sur ce changement", required=False, max_length=250)
    SELON_AXE = ""

    class Meta:
        model = Objectif
        fields = ["axe", "libelle", "date_debut", "date_revision", "statut", "actions", "confidentialite"]
        widgets = {
            "date_debut": DateInput,
            "date_revision": DateInput,
            "libelle": forms.Textarea(attrs={"rows": 2}),
            "actions": forms.Textarea(attrs={"rows": 3}),
            "confidentialite": forms.RadioSelect,
        }
        help_texts = {"libelle": "Formulé avec le ménage, avec ses mots."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        if not peut_lire(user, Confidentialite.TRAVAILLEURS_SOCIAUX):
            # Who may not read a reserved objective does not choose its level: the axis does.
            retirer_choix_du_niveau(self, user)
            return
        champ = self.fields["confidentialite"]
        champ.required = False
        if not self.instance.pk:
            champ.choices = [
                (self.SELON_AXE, "Selon l’axe : réservée aux travailleurs sociaux pour l’accès aux soins"),
                *Confidentialite.choices,
            ]
            self.initial["confidentialite"] = self.SELON_AXE


class SuiviPostSortieForm(forms.ModelForm):
    class Meta:
        model = SuiviPostSortie
        fields = ["echeance_mois", "date", "situation", "commentaire"]
        widgets = {"date": DateInput}


class OrientationForm(forms.ModelForm):
    class Meta:
        model = Orientation
        fields = ["partenaire", "motif", "date", "resultat", "confidentialite"]
        widgets = {"date": DateInput, "confidentialite": forms.RadioSelect}


class TempsFortForm(forms.ModelForm):
    class Meta:
        model = TempsFort
        fields = ["type", "date_prevue", "modalite", "participants", "realise", "commentaire"]
        widgets = {"date_prevue": DateTimeInput}


class FichierForm(forms.Form):
    fichier = forms.FileField(label="Fichier (PDF, JPEG ou PNG, 10 Mo au plus)")

    def clean_fichier(self):
        """Accept a file by what it contains, not by its name: its first bytes must be those of a
        PDF, JPEG or PNG file, and match its extension."""
        fichier = self.cleaned_data["fichier"]
        if fichier.size > TAILLE_MAX_DOCUMENT:
            taille = number_format(fichier.size / 1024 / 1024, 1)
            raise forms.ValidationError(f"Le fichier pèse {taille} Mo : 10 Mo au plus.")
        extension = EXTENSIONS.get(fichier.name.rsplit(".", 1)[-1].lower()) if "." in fichier.name else None
        if extension is None:
            raise forms.ValidationError("Seuls les fichiers PDF, JPEG et PNG sont acceptés.")
        head = fichier.read(16)
        fichier.seek(0)
        if not head.startswith(SIGNATURES[extension]):
            raise forms.ValidationError(
                f"Ce fichier n’est pas un vrai {extension.upper()} : son contenu ne correspond pas à son nom."
            )
        self.cleaned_data["format"] = extension
        return fichier


class DocumentForm(FichierForm):
    type = forms.ChoiceField(label="Type", choices=TypeDocument.choices)
    titre = forms.CharField(label="Titre", max_length=150)
    confidentialite = forms.ChoiceField(
        label="Confidentialité",
        choices=Confidentialite.choices,
        initial=Confidentialite.PARTAGE,
        widget=forms.RadioSelect,
    )

    field_order = ["type", "titre", "fichier", "confidentialite"]


class RemplacerDocumentForm(FichierForm):
    """The new file of a document: its title, type and confidentiality stay."""

    fichier = forms.FileField(label="Nouveau fichier (PDF, JPEG ou PNG, 10 Mo au plus)")


def professionnels_du_dispositif(dispositif):
    """The active users of the organisations taking part in `dispositif`: whom an intervention may
    name. Searched (comptes.widgets), never listed: a programme may count hundreds."""
    return (
        Utilisateur.objects.filter(is_active=True, organisation__dispositifs=dispositif)
        .select_related("organisation")
        .distinct()
    )


class ProfessionnelField(AutocompleteField):
    def __init__(self, **kwargs):
        super().__init__(recherche=rechercher_utilisateurs, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj} ({obj.organisation})" if obj.organisation_id else str(obj)


class IntervenantForm(forms.Form):
    type = forms.ChoiceField(label="Intervention", choices=TypeIntervention.choices)
    utilisateur = ProfessionnelField(
        label="Professionnel du dispositif",
        queryset=Utilisateur.objects.none(),
        required=False,
        help_text="Tapez quelques lettres de son nom, puis choisissez dans la liste.",
    )
    nom_externe = forms.CharField(label="Ou partenaire extérieur : nom", max_length=150, required=False)
    fonction = forms.CharField(label="Fonction, organisme", max_length=150, required=False)
    date_debut = forms.DateField(label="Début", widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, dispositif, url_recherche="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utilisateur"].queryset = professionnels_du_dispositif(dispositif)
        self.fields["utilisateur"].widget.url = url_recherche

    def clean(self):
        data = super().clean()
        if not data.get("utilisateur") and not data.get("nom_externe"):
            raise forms.ValidationError(
                "Choisissez un professionnel ou indiquez le nom du partenaire extérieur."
            )
        return data
