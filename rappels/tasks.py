from celery import shared_task

from rappels import generation, services


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, retry_backoff_max=300, max_retries=5
)
def generer():
    return generation.generer()


@shared_task(
    acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=300, max_retries=5
)
def envoyer():
    return services.envoyer()


@shared_task(
    acks_late=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=300, max_retries=5
)
def envoyer_resumes():
    return services.envoyer_resumes()
