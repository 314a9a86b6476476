import datetime

from celery import shared_task
from django.utils import timezone

from menages.models import ValidationFinanceur


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def envoyer_demande_validation(validation_id: int):
    """Email one funder representative the anonymised summary and the two signed links."""
    from menages.emails import send_validation_request

    validation = (
        ValidationFinanceur.objects.select_related("menage__dispositif", "destinataire")
        .filter(pk=validation_id)
        .first()
    )
    if validation is None or not validation.en_attente or validation.destinataire is None:
        return
    send_validation_request(validation)
    ValidationFinanceur.objects.filter(pk=validation.pk).update(courriel_envoye_le=timezone.now())


@shared_task
def reprendre_envois():
    """Queue again the validation emails that could not be queued (broker down)."""
    from comptes.taches import enqueue

    limite = timezone.now() - datetime.timedelta(minutes=2)
    for pk in (
        ValidationFinanceur.objects.en_attente()
        .filter(
            destinataire__isnull=False,
            courriel_envoye_le__isnull=True,
            demandee_le__lt=limite,
        )
        .values_list("pk", flat=True)
    ):
        enqueue(envoyer_demande_validation, pk)


@shared_task
def anonymiser_dossiers_expires():
    """Daily: anonymise the closed files past the programme's retention period."""
    from menages import retention

    for menage, _derniere in retention.a_anonymiser():
        retention.anonymiser(menage)


@shared_task
def recalculer_effectifs():
    """Recompute every landlord's count of households by step: a safety net for changes made
    outside the application (SQL, bulk updates), which the signals do not see. Idempotent."""
    from menages.effectifs import recalculer

    recalculer()
