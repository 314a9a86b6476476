import datetime

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from comites.models import Seance


def _destinataires(seance):
    from comites.selectors import destinataires

    return [u.email for u in destinataires(seance)]


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def envoyer_convocation(seance_id: int):
    """Email the convocation with its .ics invitation to every member of the body."""
    from comites.documents import ics

    seance = Seance.objects.select_related("instance").get(pk=seance_id)
    message = EmailMessage(
        subject=f"Convocation : {seance}",
        body=render_to_string("emails/convocation.txt", {"seance": seance, "site_url": settings.SITE_URL}),
        to=_destinataires(seance),
    )
    message.attach("convocation.ics", ics(seance), "text/calendar; method=REQUEST")
    message.send()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def generer_pv(seance_id: int):
    """Produce the minutes PDF, store it on the session, and tell the members where to read it.
    Running it twice produces the same stored document once (the file is replaced, the mail sent
    once)."""
    from comites.documents import pv_pdf

    with transaction.atomic():
        seance = Seance.objects.select_for_update().select_related("instance").get(pk=seance_id)
        if seance.pv and not seance.pv_en_cours:
            return
        contenu = pv_pdf(seance)
        if seance.pv:
            seance.pv.delete(save=False)
        seance.pv.save(f"pv-seance-{seance.pk}.pdf", ContentFile(contenu), save=False)
        seance.pv_genere_le = timezone.now()
        seance.pv_en_cours = False
        seance.save(update_fields=["pv", "pv_genere_le", "pv_en_cours"])
    # The minutes are about households: the email only says where to read them, after login.
    EmailMessage(
        subject=f"Procès-verbal : {seance}",
        body=render_to_string("emails/pv.txt", {"seance": seance, "site_url": settings.SITE_URL}),
        to=_destinataires(seance),
    ).send()


@shared_task
def reprendre_pv():
    """Queue again the minutes whose production was asked but not done (broker or worker down)."""
    from comptes.taches import enqueue

    limite = timezone.now() - datetime.timedelta(minutes=5)
    for pk in Seance.objects.filter(pv_en_cours=True, close_le__lt=limite).values_list("pk", flat=True):
        enqueue(generer_pv, pk)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def envoyer_consultation(seance_id: int):
    """Email each voting member of an urgent consultation a signed link per item awaiting a
    decision. The email names no household: a reference and a link."""
    from django.urls import reverse

    from comites.consultation import VALIDITE_LIEN_JOURS, make_token, membres_consultes

    seance = Seance.objects.select_related("instance").get(pk=seance_id)
    if seance.close:
        return
    points = list(seance.points.a_decider().select_related("menage").order_by("ordre", "pk"))
    if not points:
        return
    for membre in membres_consultes(seance):
        liens = [
            (
                point,
                settings.SITE_URL + reverse("comites:avis_par_lien", args=[make_token(membre.pk, point.pk)]),
            )
            for point in points
        ]
        EmailMessage(
            subject=f"Consultation urgente : votre avis est attendu ({seance.instance})",
            body=render_to_string(
                "emails/consultation_urgente.txt",
                {
                    "seance": seance,
                    "membre": membre,
                    "liens": liens,
                    "validite_jours": VALIDITE_LIEN_JOURS,
                    "site_url": settings.SITE_URL,
                },
            ),
            to=[membre.utilisateur.email],
        ).send()
