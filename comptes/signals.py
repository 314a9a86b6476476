"""Receivers: the login journal, the login time used by the absolute session limit, and the end of
a deactivated user's sessions."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from comptes import services
from comptes.enums import TypeEvenementConnexion
from comptes.models import Utilisateur
from comptes.selectors import memoriser_programmes

LOGIN_TIME_SESSION_KEY = "asea_connecte_le"
# When the session's expiry was last pushed back (comptes.middleware.SessionMaxAgeMiddleware).
RENEWED_AT_SESSION_KEY = "asea_renouvelee_le"


@receiver(user_logged_in, dispatch_uid="comptes_login")
def on_login(sender, request, user, **kwargs):
    if request is None:
        return
    now = int(timezone.now().timestamp())
    request.session[LOGIN_TIME_SESSION_KEY] = now
    request.session[RENEWED_AT_SESSION_KEY] = now
    memoriser_programmes(request.session, user)
    services.record_login_event(type=TypeEvenementConnexion.CONNEXION, request=request, utilisateur=user)


@receiver(user_logged_out, dispatch_uid="comptes_logout")
def on_logout(sender, request, user, **kwargs):
    if request is None or user is None:
        return
    event = (
        TypeEvenementConnexion.EXPIRATION
        if getattr(request, "asea_session_expired", False)
        else TypeEvenementConnexion.DECONNEXION
    )
    services.record_login_event(type=event, request=request, utilisateur=user)


@receiver(user_login_failed, dispatch_uid="comptes_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    user = Utilisateur.objects.filter(username=username).first() if username else None
    services.record_login_event(
        type=TypeEvenementConnexion.ECHEC, request=request, identifiant=username, utilisateur=user
    )


@receiver(post_save, sender=Utilisateur, dispatch_uid="comptes_deactivated_user_sessions")
def end_sessions_of_inactive_user(sender, instance, **kwargs):
    """A deactivated user is logged out everywhere at once (admin, service or shell)."""
    if not instance.is_active:
        services.end_sessions_of(utilisateur=instance)
