"""Background work queued without letting a broker outage break the page that asked for it."""

import logging

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs) -> bool:
    """Queue a task; the work is recorded in the database first, and a periodic sweep queues again
    what could not be queued (the broker was unreachable)."""
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:  # kombu raises several kinds of connection errors
        logger.warning("Broker unreachable: %s will be queued by the next sweep", task.name)
        return False
    return True
