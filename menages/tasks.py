from celery import shared_task

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
