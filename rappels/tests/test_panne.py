"""Redis unreachable: the pages keep answering, the work waits in the database, and goes out once
the broker is back (the periodic sweeps queue it again)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accompagnement.tests.factories import AccompagnementFactory, ObjectifFactory
from menages.enums import EtatParcours
from menages.models import ValidationFinanceur
from menages.tasks import reprendre_envois
from menages.tests.factories import (
    IntervenantFactory,
    MembreFactory,
    MenageFactory,
    PreDiagnosticFactory,
    RessourceFactory,
)
from rappels import tasks
from rappels.models import Rappel


@pytest.fixture
def broker_down():
    from config.celery import app

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    app.conf.task_always_eager = False
    reset_pool(app)
    yield app
    app.conf.broker_url, app.conf.task_always_eager = saved
    reset_pool(app)


def reset_pool(app):
    """Forget the connection pools made for the previous broker address (Celery keeps them)."""
    app._pool = None
    app.amqp._producer_pool = None


def test_pages_answer_while_the_broker_is_down_and_work_catches_up(client, programme, broker_down):
    menage = MenageFactory(
        dispositif=programme.dispositif, bailleur=programme.habitat, etat=EtatParcours.PRE_DIAGNOSTIC
    )
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    PreDiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    MembreFactory(menage=menage)
    RessourceFactory(menage=menage)
    AccompagnementFactory(
        menage=MenageFactory(dispositif=programme.dispositif), date_fin_prevue=timezone.localdate()
    )
    ObjectifFactory(menage=menage, date_revision=timezone.localdate())
    client.force_login(programme.ts_adaff)

    with pytest.raises(Exception):  # noqa: B017,PT011 (any kombu connection error)
        tasks.envoyer.apply_async(retry=False)  # the broker really is unreachable

    response = client.post(reverse("menages:demander_validations", args=[menage.pk]))
    assert response.status_code == 302
    for url in (
        reverse("tableau_de_bord"),
        reverse("dossiers:liste"),
        menage.get_absolute_url(),
        reverse("rappels:centre"),
    ):
        assert client.get(url).status_code == 200
    validation = ValidationFinanceur.objects.get()
    assert validation.courriel_envoye_le is None and mail.outbox == []

    # The broker is back: the periodic tasks run again (inline here).
    broker_down.conf.task_always_eager = True
    reset_pool(broker_down)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        reprendre_envois()
        tasks.generer()
        tasks.envoyer()
    validation.refresh_from_db()
    assert validation.courriel_envoye_le is not None
    assert programme.financeur.email in [m.to[0] for m in mail.outbox]
    assert Rappel.objects.filter(destinataire=programme.ts_adaff, statut="envoye").exists()
