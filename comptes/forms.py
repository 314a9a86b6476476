from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator

from comptes import lockout, services
from comptes.enums import ROLES_BAILLEUR, Role, TypeEvenementConnexion, TypeOrganisation
from comptes.formats import NombreField
from comptes.models import Dispositif, NiveauAccompagnement, Organisation


class ConnexionForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "Identifiant ou mot de passe incorrect. Les deux champs tiennent compte des "
            "majuscules et minuscules."
        ),
        "inactive": "Ce compte est désactivé.",
        "demo": "Les comptes de démonstration ne sont pas autorisés sur cette instance.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Identifiant"
        self.fields["username"].widget.attrs.update({"autocapitalize": "none", "spellcheck": "false"})
        self.fields["password"].label = "Mot de passe"

    def clean(self):
        """Refuse attempts from a locked (username, IP) pair or IP before checking the password."""
        username = self.cleaned_data.get("username")
        ip = lockout.client_ip(self.request)
        if username:
            until = lockout.locked_until(username=username, ip=ip)
            if until:
                services.record_login_event(
                    type=TypeEvenementConnexion.BLOQUEE, request=self.request, identifiant=username
                )
                raise ValidationError(lockout.lockout_message(until), code="locked")
        try:
            return super().clean()
        except ValidationError as error:
            until = lockout.locked_until(username=username, ip=ip) if username else None
            if until:
                raise ValidationError(lockout.lockout_message(until), code="locked") from error
            raise

    def get_invalid_login_error(self):
        from comptes.models import Utilisateur

        username = self.cleaned_data.get("username")
        if not settings.DEMO_MODE and Utilisateur.objects.filter(username=username, est_demo=True).exists():
            return ValidationError(self.error_messages["demo"], code="demo")
        return super().get_invalid_login_error()


class CodeForm(forms.Form):
    """A second-factor code: 6 digits from the app, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_code(self):
        code = services.normalise_code(self.cleaned_data["code"])
        if not code:
            raise ValidationError("Saisissez le code.")
        return code


class ActivationForm(CodeForm):
    code = forms.CharField(
        label="Code à 6 chiffres affiché par l’application",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class UtilisateurForm(forms.Form):
    """A user as the programme administrator invites or edits her: name, email, organisation among
    those of her programmes, and roles."""

    prenom = forms.CharField(label="Prénom", max_length=150)
    nom = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="L’invitation et les notifications sont envoyées à cette adresse.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    organisation = forms.ModelChoiceField(label="Organisation", queryset=None, empty_label="Choisissez…")
    roles = forms.MultipleChoiceField(
        label="Rôles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un rôle."},
    )

    def __init__(self, *args, administrateur, utilisateur=None, **kwargs):
        from comptes.selectors import organisations_administrees

        if utilisateur is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "prenom": utilisateur.first_name,
                "nom": utilisateur.last_name,
                "email": utilisateur.email,
                "organisation": utilisateur.organisation_id,
                "roles": sorted(utilisateur.roles),
            }
        super().__init__(*args, **kwargs)
        self.utilisateur = utilisateur
        self.fields["organisation"].queryset = organisations_administrees(administrateur).order_by("nom")

    def clean_prenom(self):
        return self.cleaned_data["prenom"].strip()

    def clean_nom(self):
        return self.cleaned_data["nom"].strip()

    def clean_email(self):
        from comptes.models import Utilisateur

        email = self.cleaned_data["email"].strip()
        autres = Utilisateur.objects.filter(email__iexact=email)
        if self.utilisateur is not None:
            autres = autres.exclude(pk=self.utilisateur.pk)
        if autres.exists():
            raise ValidationError("Un compte existe déjà avec cette adresse électronique.")
        return email

    def clean(self):
        cleaned = super().clean()
        organisation, roles = cleaned.get("organisation"), set(cleaned.get("roles") or ())
        if organisation is not None and roles & ROLES_BAILLEUR and not organisation.est_bailleur:
            libelles = " et ".join(str(Role(r).label) for r in sorted(roles & ROLES_BAILLEUR))
            self.add_error(
                "roles",
                f"{libelles} : ce rôle est celui du personnel d’un bailleur social. Choisissez une "
                "organisation de type « Bailleur social » ou un autre rôle.",
            )
        return cleaned


# The administrators' forms: organisations and programme settings.


class OrganisationForm(forms.ModelForm):
    """An organisation and its part in the programmes its administrator manages (`perimetre`)."""

    dispositifs = forms.ModelMultipleChoiceField(
        label="Dispositifs auxquels elle participe",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un dispositif."},
    )

    class Meta:
        model = Organisation
        fields = ["nom", "sigle", "type"]
        help_texts = {
            "sigle": "Affiché dans les listes à la place du nom, s’il est renseigné.",
            "type": "Le type décide de ce que voit son personnel : un bailleur ses locataires, un "
            "financeur des chiffres, jamais un dossier.",
        }

    def __init__(self, *args, perimetre, **kwargs):
        super().__init__(*args, **kwargs)
        self.perimetre = perimetre
        self.fields["dispositifs"].queryset = perimetre
        if self.instance.pk:
            self.fields["dispositifs"].initial = self.instance.dispositifs.filter(
                pk__in=perimetre.values("pk")
            )
        elif perimetre.count() == 1:
            self.fields["dispositifs"].initial = list(perimetre)
        self.order_fields(["nom", "sigle", "type", "dispositifs"])


RETENTION_MINIMUM_MOIS = 6


class ParametresDispositifForm(forms.ModelForm):
    """A programme's settings. Shortening the retention period anonymises closed files sooner, for
    good: it is saved only once confirmed."""

    seuil_impayes_mois = NombreField(
        label="Seuil d’impayés (mois de loyer)",
        decimal_places=1,
        max_digits=4,
        min_value=Decimal("0.5"),
        exemple="2,5",
        help_text="Un locataire dont la dette atteint ce nombre de mois de loyer et charges est signalé.",
        error_messages={"min_value": "Le seuil est d’au moins un demi-mois (0,5)."},
    )
    confirmer = forms.BooleanField(
        label="Je confirme ce changement", required=False, widget=forms.HiddenInput
    )

    class Meta:
        model = Dispositif
        fields = [
            "nom",
            "territoire",
            "date_debut",
            "duree_mois",
            "objectif_menages_total",
            "objectif_menages_par_an",
            "objectif_menages_par_bailleur",
            "objectif_logements_mobilises",
            "rythme_comite_mois",
            "financeurs_validation_requise",
            "validite_lien_validation_jours",
            "rappel_validation_financeurs_jours",
            "rappel_diagnostic_jours",
            "rappel_seance_jours",
            "rappel_avis_jours",
            "renouvellement_information_mois",
            "retention_mois",
            "seuil_impayes_mois",
        ]
        widgets = {
            "date_debut": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "financeurs_validation_requise": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "duree_mois": {"min_value": "La durée est d’au moins un mois."},
            "rythme_comite_mois": {"min_value": "Le comité se réunit au moins tous les mois (1)."},
            "validite_lien_validation_jours": {"min_value": "Un lien est valable au moins un jour."},
            "retention_mois": {
                "min_value": "Un dossier clos est conservé au moins 6 mois : le ménage peut encore "
                "demander son dossier ou revenir vers l’accompagnement."
            },
        }

    GROUPES = [
        ("Le dispositif", ["nom", "territoire", "date_debut", "duree_mois"]),
        (
            "Objectifs",
            [
                "objectif_menages_total",
                "objectif_menages_par_an",
                "objectif_menages_par_bailleur",
                "objectif_logements_mobilises",
            ],
        ),
        ("Comité de suivi et financeurs", ["rythme_comite_mois", "financeurs_validation_requise"]),
        (
            "Délais de relance",
            [
                "validite_lien_validation_jours",
                "rappel_validation_financeurs_jours",
                "rappel_diagnostic_jours",
                "rappel_seance_jours",
                "rappel_avis_jours",
            ],
        ),
        (
            "Conservation et locataires",
            ["renouvellement_information_mois", "retention_mois", "confirmer", "seuil_impayes_mois"],
        ),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.retention_avant = self.instance.retention_mois
        # The model's minimum, checked with the field so that it is said before the confirmation.
        self.fields["retention_mois"].validators.append(MinValueValidator(RETENTION_MINIMUM_MOIS))
        self.fields["retention_mois"].widget.attrs["min"] = RETENTION_MINIMUM_MOIS
        self.fields["financeurs_validation_requise"].queryset = Organisation.objects.filter(
            type=TypeOrganisation.FINANCEUR, dispositifs=self.instance
        )
        self.fields[
            "financeurs_validation_requise"
        ].help_text = "Leur accord est demandé avant le diagnostic de chaque ménage."

    def groupes(self):
        return [(titre, [self[nom] for nom in noms]) for titre, noms in self.GROUPES]

    def clean(self):
        data = super().clean()
        total, par_an, par_bailleur = (
            data.get("objectif_menages_total"),
            data.get("objectif_menages_par_an"),
            data.get("objectif_menages_par_bailleur"),
        )
        if total is not None and par_an is not None and par_an > total:
            self.add_error(
                "objectif_menages_par_an",
                f"L’objectif annuel ({par_an}) dépasse l’objectif total de ménages ({total}).",
            )
        if total is not None and par_bailleur is not None and par_bailleur > total:
            self.add_error(
                "objectif_menages_par_bailleur",
                f"L’objectif par bailleur ({par_bailleur}) dépasse l’objectif total de ménages ({total}).",
            )
        retention = data.get("retention_mois")
        if retention is not None and retention < self.retention_avant and not data.get("confirmer"):
            self.add_error(
                "retention_mois",
                f"Raccourcir la conservation de {self.retention_avant} à {retention} mois anonymise "
                f"à la prochaine purge les dossiers clos sans contact depuis {retention} mois, sans "
                "retour possible. Vérifiez, puis cochez « Je confirme ce changement » pour l’enregistrer.",
            )
            self.fields["confirmer"].widget = forms.CheckboxInput()
        return data


class NiveauForm(forms.ModelForm):
    """A support level's wording and allowed durations (its code drives the rules: not changed)."""

    class Meta:
        model = NiveauAccompagnement
        fields = ["libelle", "description", "duree_min_mois", "duree_max_mois", "avec_iml"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ("duree_min_mois", "duree_max_mois"):
            self.fields[nom].min_value = 1
            self.fields[nom].widget.attrs["min"] = 1
            self.fields[nom].error_messages["min_value"] = "Une durée est d’au moins un mois."

    def clean(self):
        data = super().clean()
        mini, maxi = data.get("duree_min_mois"), data.get("duree_max_mois")
        if mini is not None and maxi is not None and mini > maxi:
            self.add_error(
                "duree_max_mois",
                f"La durée maximale ({maxi} mois) est inférieure à la durée minimale ({mini} mois).",
            )
        return data


NiveauFormSet = forms.modelformset_factory(
    NiveauAccompagnement, form=NiveauForm, extra=0, can_delete=False, edit_only=True
)
