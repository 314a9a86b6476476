"""Writes about accounts: login events, sessions, two-factor devices and recovery codes; the
administration of users (invitations, roles, deactivation); the administrators' writes on
organisations and programme settings (recorded by the audit trail)."""

import datetime
import hashlib
import secrets

import django_otp
from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from comptes.enums import Role, TypeEvenementConnexion
from comptes.lockout import client_ip
from comptes.models import (
    AttributionRole,
    Dispositif,
    EvenementConnexion,
    Invitation,
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


# --- Administration of users by the programme administrator ------------------------------------

INVITATION_VALIDITE_HEURES = 72


class InvitationInvalide(Exception):
    """An invitation link that cannot be used; the message says why, in French, for the page."""


def _empreinte(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()


def _identifiant_libre(prenom: str, nom: str) -> str:
    """A login such as « camille.martin », made unique by a number (« camille.martin2 »)."""
    base = slugify(f"{prenom}.{nom}".replace(".", " ")).replace("-", ".")[:140] or "utilisateur"
    base = base.strip(".") or "utilisateur"
    identifiant, n = base, 1
    while Utilisateur.objects.filter(username__iexact=identifiant).exists():
        n += 1
        identifiant = f"{base}{n}"
    return identifiant


def _libelles_roles(codes) -> str:
    return ", ".join(str(Role(code).label) for code in sorted(codes))


def _enregistrer_roles(utilisateur: Utilisateur, roles) -> None:
    """Give `utilisateur` exactly `roles`, one row created or deleted per change (each recorded in
    the audit trail)."""
    from auditlog.models import LogEntry

    voulus = set(roles)
    avant = set(AttributionRole.objects.filter(utilisateur=utilisateur).values_list("role", flat=True))
    if avant == voulus:
        return
    AttributionRole.objects.filter(utilisateur=utilisateur).exclude(role__in=voulus).delete()
    for role in sorted(voulus - avant):
        AttributionRole.objects.create(utilisateur=utilisateur, role=role)
    utilisateur.__dict__.pop("roles", None)
    # Also on the user's own trail, where the administration page reads her history.
    LogEntry.objects.log_create(
        utilisateur,
        action=LogEntry.Action.UPDATE,
        changes={"rôles": [_libelles_roles(avant), _libelles_roles(voulus)]},
        force_log=True,
    )


def _envoyer_invitation(*, utilisateur: Utilisateur, auteur: Utilisateur) -> Invitation:
    """Replace any earlier link by a new one and email it. The email names nobody but the person
    invited: no household, no personal data of anyone else."""
    maintenant = timezone.now()
    for precedente in Invitation.objects.filter(utilisateur=utilisateur).en_attente(now=maintenant):
        precedente.remplacee_le = maintenant
        precedente.save(update_fields=["remplacee_le"])  # saved one by one: each change is audited
    jeton = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        utilisateur=utilisateur,
        jeton_hash=_empreinte(jeton),
        envoyee_par=auteur,
        envoyee_le=maintenant,
        expire_le=maintenant + datetime.timedelta(hours=INVITATION_VALIDITE_HEURES),
    )
    contexte = {
        "utilisateur": utilisateur,
        "lien": settings.SITE_URL + reverse("invitation", args=[jeton]),
        "validite_heures": INVITATION_VALIDITE_HEURES,
        "expire_le": timezone.localtime(invitation.expire_le),
    }
    # Sent inside the transaction: when the mail server refuses it, nothing is recorded and the
    # administrator is told so.
    EmailMessage(
        subject="Votre compte ASEA : choisissez votre mot de passe",
        body=render_to_string("emails/invitation.txt", contexte),
        to=[utilisateur.email],
    ).send()
    return invitation


@transaction.atomic
def inviter_utilisateur(
    *, auteur: Utilisateur, prenom: str, nom: str, email: str, organisation, roles
) -> Utilisateur:
    """Create the account of a new user (no password yet) with her roles, and email her an
    invitation link."""
    utilisateur = Utilisateur(
        username=_identifiant_libre(prenom, nom),
        first_name=prenom,
        last_name=nom,
        email=email,
        organisation=organisation,
    )
    utilisateur.set_unusable_password()
    utilisateur.save()
    _enregistrer_roles(utilisateur, roles)
    _envoyer_invitation(utilisateur=utilisateur, auteur=auteur)
    return utilisateur


@transaction.atomic
def renvoyer_invitation(*, auteur: Utilisateur, utilisateur: Utilisateur) -> Invitation:
    """A new link for a user who has not yet chosen her password; the previous link stops working."""
    if utilisateur.has_usable_password():
        raise ValidationError("Ce compte a déjà un mot de passe : il n’y a plus d’invitation à renvoyer.")
    if not utilisateur.is_active:
        raise ValidationError("Ce compte est désactivé : réactivez-le avant de renvoyer l’invitation.")
    return _envoyer_invitation(utilisateur=utilisateur, auteur=auteur)


def charger_invitation(jeton: str, *, verrouiller: bool = False) -> Invitation:
    """The invitation of this link, or InvitationInvalide saying why it cannot be used."""
    invitations = Invitation.objects.select_related("utilisateur")
    if verrouiller:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(jeton_hash=_empreinte(jeton)).first()
    if invitation is None:
        raise InvitationInvalide(
            "Ce lien d’invitation n’est pas valide. Vérifiez que l’adresse a été copiée en entier, "
            "ou demandez une nouvelle invitation à l’administrateur du dispositif."
        )
    if invitation.utilisee_le is not None:
        raise InvitationInvalide(
            "Ce lien d’invitation a déjà servi : il ne s’utilise qu’une fois. Connectez-vous avec "
            "votre identifiant et le mot de passe que vous avez choisi."
        )
    if invitation.remplacee_le is not None:
        raise InvitationInvalide(
            "Ce lien d’invitation a été remplacé par une invitation plus récente : utilisez le lien "
            "du dernier courriel reçu."
        )
    if invitation.expire_le <= timezone.now():
        raise InvitationInvalide(
            f"Ce lien d’invitation a expiré (il était valable {INVITATION_VALIDITE_HEURES} heures). "
            "Demandez à l’administrateur du dispositif de vous envoyer une nouvelle invitation."
        )
    if not invitation.utilisateur.is_active:
        raise InvitationInvalide("Ce compte a été désactivé. Adressez-vous à l’administrateur du dispositif.")
    return invitation


@transaction.atomic
def accepter_invitation(*, jeton: str, mot_de_passe: str) -> Utilisateur:
    """Set the password chosen from the invitation link and spend the link (once, even when two
    requests race: the invitation row is locked)."""
    invitation = charger_invitation(jeton, verrouiller=True)
    utilisateur = invitation.utilisateur
    with set_actor(utilisateur):
        utilisateur.set_password(mot_de_passe)
        utilisateur.save(update_fields=["password"])
        invitation.utilisee_le = timezone.now()
        invitation.save(update_fields=["utilisee_le"])
    return utilisateur


@transaction.atomic
def modifier_utilisateur(
    *, auteur: Utilisateur, utilisateur: Utilisateur, prenom: str, nom: str, email: str, organisation, roles
) -> Utilisateur:
    """Change a user's name, email, organisation and roles. An administrator keeps her own role, so
    that a programme is never left without one by mistake."""
    if utilisateur.pk == auteur.pk and Role.ADMINISTRATEUR not in roles:
        raise ValidationError({"roles": "Vous ne pouvez pas retirer votre propre rôle d’administrateur."})
    utilisateur.first_name, utilisateur.last_name, utilisateur.email = prenom, nom, email
    utilisateur.organisation = organisation
    utilisateur.save(update_fields=["first_name", "last_name", "email", "organisation"])
    _enregistrer_roles(utilisateur, roles)
    return utilisateur


@transaction.atomic
def desactiver_utilisateur(*, auteur: Utilisateur, utilisateur: Utilisateur) -> int:
    """Deactivate a user: she can no longer log in, and every open session of hers ends now (on the
    next request she is logged out). Returns how many sessions were ended."""
    if utilisateur.pk == auteur.pk:
        raise ValidationError("Vous ne pouvez pas désactiver votre propre compte.")
    utilisateur.is_active = False
    utilisateur.save(update_fields=["is_active"])
    return end_sessions_of(utilisateur=utilisateur)


@transaction.atomic
def reactiver_utilisateur(*, auteur: Utilisateur, utilisateur: Utilisateur) -> None:
    """Let a deactivated user log in again, with her password and second factor as they were."""
    utilisateur.is_active = True
    utilisateur.save(update_fields=["is_active"])


@transaction.atomic
def reinitialiser_double_authentification(*, auteur: Utilisateur, utilisateur: Utilisateur) -> None:
    """Lost phone: forget the user's second factor and end her sessions; she enrols again at her
    next login. The reset is written in the audit trail (django-otp's devices are not audited)."""
    from auditlog.models import LogEntry

    reset_two_factor(utilisateur=utilisateur)
    LogEntry.objects.log_create(
        utilisateur,
        action=LogEntry.Action.UPDATE,
        changes={"double authentification": ["activée", "réinitialisée"]},
        force_log=True,
    )


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
