from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def generer_rapport(rapport_id: int):
    """Produce a funder report's PDF. Running it twice for a ready report does nothing."""
    from financement.services import produire_rapport

    produire_rapport(rapport_id=rapport_id)


@shared_task
def rapports_periodiques():
    """Create and enqueue the quarterly and annual funder reports that are due, and queue again
    those left waiting. Idempotent: it may run as often as wanted."""
    from financement.services import planifier_rapports, reprendre_rapports

    planifier_rapports()
    reprendre_rapports()


@shared_task
def arreter_indicateurs():
    """Recompute the funders' dashboard figures of every active programme's current period, so
    that the page serves them at once, dated (idempotent)."""
    from financement.services import arreter_indicateurs_courants

    arreter_indicateurs_courants()
