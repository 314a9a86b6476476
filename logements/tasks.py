from celery import shared_task


@shared_task
def recalculer_impayes():
    """Recompute every monthly arrears total from the balances: a safety net for changes made
    outside the application (SQL, bulk updates), which the signals do not see. Idempotent."""
    from logements.impayes import recalculer

    recalculer()
