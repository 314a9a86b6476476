"""Sending reminders, dependably: rows are claimed with SELECT … FOR UPDATE SKIP LOCKED, one
transaction per reminder, so that two workers never take the same row and a worker killed in the
middle of a batch leaves the rows it had not finished for the next run. The email carries a
Message-ID derived from the reminder's idempotency key, so that a resend after a crash is the same
message for the receiving mail system."""

import hashlib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from rappels.enums import ModeCourriel, StatutEnvoi
from rappels.models import PreferenceNotification, Rappel

SALT_DESINSCRIPTION = "rappels.desinscription"


def mode_courriel(user, type_rappel) -> str:
    pref = (
        PreferenceNotification.objects.filter(utilisateur=user, type=type_rappel)
        .values_list("mode", flat=True)
        .first()
    )
    return pref or ModeCourriel.IMMEDIAT


def lien_desinscription(user, type_rappel) -> str:
    token = signing.dumps({"u": user.pk, "t": type_rappel}, salt=SALT_DESINSCRIPTION)
    return settings.SITE_URL + reverse("rappels:desinscription", args=[token])


def lire_desinscription(token):
    return signing.loads(token, salt=SALT_DESINSCRIPTION)


def _message_id(cle: str) -> str:
    return f"<rappel-{hashlib.sha256(cle.encode()).hexdigest()[:32]}@asea>"


def _envoyer_un(rappel: Rappel) -> None:
    user = rappel.destinataire
    body = render_to_string(
        "emails/rappel.txt",
        {
            "rappel": rappel,
            "lien": settings.SITE_URL + rappel.lien if rappel.lien else settings.SITE_URL,
            "desinscription": lien_desinscription(user, rappel.type),
        },
    )
    EmailMessage(
        subject=f"ASEA – {rappel.get_type_display()}",
        body=body,
        to=[user.email],
        headers={"Message-ID": _message_id(rappel.cle)},
    ).send()


def _a_traiter(now):
    return Rappel.objects.filter(statut=StatutEnvoi.A_ENVOYER, du_le__lte=now)


def envoyer(*, limite: int = 200, now=None) -> int:
    """Send the due reminders that want an immediate email; route the others to the digest or to
    the in-app centre only. Returns how many emails were sent."""
    now = now or timezone.now()
    envoyes = 0
    for _ in range(limite):
        with transaction.atomic():
            rappel = (
                _a_traiter(now)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("destinataire")
                .order_by("du_le", "pk")
                .first()
            )
            if rappel is None:
                break
            user = rappel.destinataire
            mode = mode_courriel(user, rappel.type)
            hors_perimetre = (
                rappel.menage_id is not None
                and not Rappel.objects.filter(pk=rappel.pk).dans_le_perimetre(user).exists()
            )
            if not user.is_active or not user.email or mode == ModeCourriel.AUCUN or hors_perimetre:
                rappel.statut = StatutEnvoi.SANS_COURRIEL
            elif mode == ModeCourriel.RESUME:
                rappel.statut = StatutEnvoi.RESUME
            else:
                rappel.tentatives += 1
                _envoyer_un(rappel)
                rappel.statut = StatutEnvoi.ENVOYE
                rappel.envoye_le = timezone.now()
                envoyes += 1
            rappel.save(update_fields=["statut", "tentatives", "envoye_le"])
    return envoyes


def envoyer_resumes(*, now=None) -> int:
    """One email a day per person who chose the digest, listing their waiting reminders."""
    from comptes.models import Utilisateur

    now = now or timezone.now()
    envoyes = 0
    user_ids = set(Rappel.objects.filter(statut=StatutEnvoi.RESUME).values_list("destinataire_id", flat=True))
    for user in Utilisateur.objects.filter(pk__in=user_ids):
        with transaction.atomic():
            rappels = list(
                Rappel.objects.select_for_update(skip_locked=True)
                .filter(destinataire=user, statut=StatutEnvoi.RESUME)
                .order_by("du_le")
            )
            if not rappels:
                continue
            # Those about a household no longer in the reader's scope stay out of the digest.
            dans_le_perimetre = set(
                Rappel.objects.filter(pk__in=[r.pk for r in rappels])
                .dans_le_perimetre(user)
                .values_list("pk", flat=True)
            )
            hors = [r.pk for r in rappels if r.pk not in dans_le_perimetre]
            if hors:
                Rappel.objects.filter(pk__in=hors).update(statut=StatutEnvoi.SANS_COURRIEL)
                rappels = [r for r in rappels if r.pk in dans_le_perimetre]
            if not rappels:
                continue
            EmailMessage(
                subject=f"ASEA – vos rappels du {timezone.localdate(now):%d/%m/%Y}",
                body=render_to_string(
                    "emails/resume.txt",
                    {
                        "rappels": rappels,
                        "site": settings.SITE_URL,
                        "preferences": settings.SITE_URL + reverse("rappels:preferences"),
                    },
                ),
                to=[user.email],
                headers={"Message-ID": _message_id(f"resume:{user.pk}:{timezone.localdate(now)}")},
            ).send()
            Rappel.objects.filter(pk__in=[r.pk for r in rappels]).update(
                statut=StatutEnvoi.ENVOYE, envoye_le=now
            )
            envoyes += 1
    return envoyes
