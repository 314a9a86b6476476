"""Writes about accounts: login events, sessions, two-factor devices and recovery codes; the
administrators' writes on organisations and programme settings (recorded by the audit trail)."""

import datetime

import django_otp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from comptes.enums import TypeEvenementConnexion
from comptes.lockout import client_ip
from comptes.models import (
    Dispositif,
    EvenementConnexion,
    NiveauAccompagnement,
    Organisation,
    SessionUtilisateur,
    Utilisateur,
)

RECOVERY_CODES_COUNT = 10
TOTP_DEVICE_NAME = "Application d’authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"


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


def _mark_session_verified(request, device) -> None:
    """The session now has both factors: give it a new key, as Django does at login, so that a key
    seen before this step is worth nothing."""
    django_otp.login(request, device)
    request.session.cycle_key()


def has_totp_device(utilisateur: Utilisateur) -> bool:
    return TOTPDevice.objects.filter(user=utilisateur, confirmed=True).exists()


def start_totp_enrolment(*, utilisateur: Utilisateur) -> TOTPDevice:
    """The unconfirmed device whose secret is shown for enrolment; the same one until confirmed, so
    that reloading the page does not change the QR code."""
    device = TOTPDevice.objects.filter(user=utilisateur, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=utilisateur, name=TOTP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm_totp_enrolment(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device if `code` is right; mark the session as verified and return new recovery
    codes (to be shown once). Returns None if the code is wrong."""
    user = request.user
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code):
        record_login_event(type=TypeEvenementConnexion.ECHEC_CODE, request=request, utilisateur=user)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = regenerate_recovery_codes(utilisateur=user)
    _mark_session_verified(request, device)
    record_login_event(type=TypeEvenementConnexion.DOUBLE_AUTHENTIFICATION, request=request, utilisateur=user)
    return codes


@transaction.atomic
def regenerate_recovery_codes(*, utilisateur: Utilisateur) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODES_COUNT new single-use ones."""
    device, _ = StaticDevice.objects.get_or_create(
        user=utilisateur, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def remaining_recovery_codes(utilisateur: Utilisateur) -> int:
    return StaticToken.objects.filter(device__user=utilisateur, device__confirmed=True).count()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def verify_second_factor(*, request, code: str) -> bool:
    """Check a TOTP code (6 digits) or a recovery code for the logged-in user. On success the
    session is marked as verified. A TOTP code is accepted once only (the device remembers the
    last time step used); a recovery code is deleted when used."""
    user = request.user
    code = normalise_code(code)
    if len(code) == 6 and code.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        if device.verify_token(code):
            _mark_session_verified(request, device)
            record_login_event(
                type=TypeEvenementConnexion.DOUBLE_AUTHENTIFICATION, request=request, utilisateur=user
            )
            return True
    record_login_event(type=TypeEvenementConnexion.ECHEC_CODE, request=request, utilisateur=user)
    return False


@transaction.atomic
def reset_two_factor(*, utilisateur: Utilisateur) -> None:
    """Forget the user's authenticator app and recovery codes (lost phone) and end their sessions:
    they enrol again at their next login."""
    TOTPDevice.objects.filter(user=utilisateur).delete()
    StaticDevice.objects.filter(user=utilisateur).delete()
    end_sessions_of(utilisateur=utilisateur)


@transaction.atomic
def enregistrer_organisation(*, organisation: Organisation, dispositifs, perimetre) -> Organisation:
    """Save `organisation` (new or changed) taking part in `dispositifs` among the programmes of
    `perimetre` (those its administrator manages); its part in any other programme is kept as it
    is. Each change, and each programme joined or left, goes to the audit trail."""
    organisation.full_clean()
    autres = []
    if organisation.pk:
        autres = list(organisation.dispositifs.exclude(pk__in=perimetre.values("pk")))
    organisation.save()
    organisation.dispositifs.set([*autres, *dispositifs])
    return organisation


@transaction.atomic
def modifier_parametres(
    *, dispositif: Dispositif, niveaux: list[NiveauAccompagnement], financeurs_validation=None
) -> Dispositif:
    """Save a programme's settings and its support levels together (both or neither)."""
    dispositif.full_clean()
    dispositif.save()
    if financeurs_validation is not None:
        dispositif.financeurs_validation_requise.set(financeurs_validation)
    for niveau in niveaux:
        if niveau.dispositif_id != dispositif.pk:
            raise ValueError("Un niveau d’un autre dispositif.")
        niveau.full_clean()
        niveau.save()
    return dispositif
