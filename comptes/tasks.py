from celery import shared_task
from django.utils import timezone

from comptes.models import BattementService


@shared_task
def heartbeat():
    """Scheduled every few minutes: proves that the scheduler and a worker are running."""
    BattementService.objects.update_or_create(nom="worker", defaults={"vu_le": timezone.now()})
