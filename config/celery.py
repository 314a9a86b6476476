"""The Celery application. Tasks live in each app's tasks.py and are found automatically."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

app = Celery("asea")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue(task, *args, **kwargs) -> bool:
    """Queue a task without letting a broker outage break the page that asked for it: the work is
    recorded in the database first, and a periodic sweep queues again what was not done."""
    import logging

    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False)
    except Exception:  # kombu raises several kinds of connection errors
        logging.getLogger(__name__).warning(
            "Broker unreachable: %s will be queued by the next sweep", task.name
        )
        return False
    return True
