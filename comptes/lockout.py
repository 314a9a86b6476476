"""Brute-force protection, read from the login events (comptes.models.EvenementConnexion).

Two limits, each over a sliding window (LOGIN_LOCKOUT_WINDOW):
- a (username, IP address) pair is locked after LOGIN_FAILURES_PER_USERNAME_AND_IP failures since
  its last complete login, so a password or code guesser is stopped;
- an IP address is locked after LOGIN_FAILURES_PER_IP failures across all usernames, so that
  trying many usernames does not get around the first limit.
A username alone is never locked: failures from elsewhere cannot lock a colleague out.
"""

import datetime
import math

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from comptes.enums import TypeEvenementConnexion
from comptes.models import EvenementConnexion


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or the address TRUSTED_PROXY_COUNT proxies saw."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [ip for ip in forwarded if ip]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def _complete_login_types():
    if settings.OTP_REQUIRED:
        return [TypeEvenementConnexion.DOUBLE_AUTHENTIFICATION]
    return [TypeEvenementConnexion.CONNEXION, TypeEvenementConnexion.DOUBLE_AUTHENTIFICATION]


def _locked_until(failures, limit, window):
    """When the `limit`-th most recent failure leaves the window, or None if fewer failures."""
    dates = list(failures.order_by("-date").values_list("date", flat=True)[:limit])
    if len(dates) < limit:
        return None
    return dates[-1] + window


def locked_until(*, username: str, ip: str | None) -> datetime.datetime | None:
    """Until when a login attempt for `username` from `ip` is refused, or None if it is allowed."""
    now = timezone.now()
    window = datetime.timedelta(seconds=settings.LOGIN_LOCKOUT_WINDOW)
    since = now - window
    recent = EvenementConnexion.objects.filter(date__gt=since, adresse_ip=ip)

    pair = recent.filter(identifiant=username)
    last_success = pair.filter(type__in=_complete_login_types()).aggregate(last=Max("date"))["last"]
    pair_failures = pair.echecs()
    if last_success:
        pair_failures = pair_failures.filter(date__gt=last_success)
    candidates = [
        _locked_until(pair_failures, settings.LOGIN_FAILURES_PER_USERNAME_AND_IP, window),
        _locked_until(recent.echecs(), settings.LOGIN_FAILURES_PER_IP, window),
    ]
    until = max((c for c in candidates if c is not None), default=None)
    return until if until and until > now else None


def lockout_message(until: datetime.datetime) -> str:
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    delay = "1 minute" if minutes == 1 else f"{minutes} minutes"
    return (
        "Trop de tentatives de connexion ont échoué depuis ce poste. Par sécurité, la connexion "
        f"est suspendue : réessayez dans {delay}."
    )
