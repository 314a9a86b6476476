from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from comptes import lockout, services
from comptes.enums import TypeEvenementConnexion


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
