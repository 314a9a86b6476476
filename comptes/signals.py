"""Receivers: the login journal."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from comptes import services
from comptes.enums import TypeEvenementConnexion
from comptes.models import Utilisateur


@receiver(user_logged_in, dispatch_uid="comptes_login")
def on_login(sender, request, user, **kwargs):
    if request is None:
        return
    services.record_login_event(type=TypeEvenementConnexion.CONNEXION, request=request, utilisateur=user)


@receiver(user_logged_out, dispatch_uid="comptes_logout")
def on_logout(sender, request, user, **kwargs):
    if request is None or user is None:
        return
    services.record_login_event(type=TypeEvenementConnexion.DECONNEXION, request=request, utilisateur=user)


@receiver(user_login_failed, dispatch_uid="comptes_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    user = Utilisateur.objects.filter(username=username).first() if username else None
    services.record_login_event(
        type=TypeEvenementConnexion.ECHEC, request=request, identifiant=username, utilisateur=user
    )
