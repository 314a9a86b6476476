"""Writes about accounts: login events and sessions."""

import datetime

from django.conf import settings
from django.utils import timezone

from comptes.enums import TypeEvenementConnexion
from comptes.lockout import client_ip
from comptes.models import EvenementConnexion, SessionUtilisateur, Utilisateur


def record_login_event(
    *, type: TypeEvenementConnexion, request=None, identifiant: str = "", utilisateur=None
) -> EvenementConnexion:
    """Write one line of the login journal (who, when, from where)."""
    if utilisateur is not None and not identifiant:
        identifiant = utilisateur.get_username()
    meta = request.META if request is not None else {}
    return EvenementConnexion.objects.create(
        type=type,
        identifiant=(identifiant or "")[:150],
        utilisateur=utilisateur,
        adresse_ip=client_ip(request) if request is not None else None,
        navigateur=meta.get("HTTP_USER_AGENT", "")[:300],
    )


def end_sessions_of(*, utilisateur: Utilisateur) -> int:
    """Delete every session of `utilisateur` (on every device); returns how many were open."""
    deleted, _ = SessionUtilisateur.objects.filter(utilisateur_id=utilisateur.pk).delete()
    return deleted


def purge_login_events(*, now: datetime.datetime | None = None) -> int:
    """Delete the login events older than LOGIN_EVENTS_RETENTION_DAYS (CNIL: access logs are kept
    6 months to 1 year)."""
    limit = (now or timezone.now()) - datetime.timedelta(days=settings.LOGIN_EVENTS_RETENTION_DAYS)
    deleted, _ = EvenementConnexion.objects.filter(date__lt=limit).delete()
    return deleted
