from celery import shared_task
from django.utils import timezone

from comptes.models import BattementService


@shared_task
def heartbeat():
    """Scheduled every few minutes: proves that the scheduler and a worker are running."""
    BattementService.objects.update_or_create(nom="worker", defaults={"vu_le": timezone.now()})


@shared_task
def purge_login_events():
    """Daily: forget login events older than the retention period."""
    from comptes.services import purge_login_events as purge

    return purge()


@shared_task
def clear_expired_sessions():
    """Daily: delete the sessions past their expiry (as `manage.py clearsessions` does)."""
    from comptes.sessions import SessionStore

    SessionStore.clear_expired()


@shared_task
def purge_access_log():
    """Daily: forget who opened which file, past the retention period of access logs."""
    from comptes.audit import purge_access_log as purge

    return purge()
