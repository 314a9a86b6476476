from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from comptes import lockout, services
from comptes.enums import ROLES_BAILLEUR, Role, TypeEvenementConnexion


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
