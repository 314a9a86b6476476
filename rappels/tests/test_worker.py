"""Delivery with a real Celery worker on Redis: killed in the middle of a batch and restarted,
it sends every due reminder exactly once. Needs PostgreSQL (the worker shares the test database)
and Redis: CI has both (.ci/run)."""

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from rappels.enums import StatutEnvoi
from rappels.models import Rappel

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL), as in CI"),
]


def worker_env(queue, mail_dir):
    env = dict(os.environ)
    db = connection.settings_dict
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_QUEUE": queue,
            "TEST_EMAIL_DIR": str(mail_dir),
            "TEST_EMAIL_BACKEND": "tests.support.slow_mail.SlowFileBackend",
        }
    )
    return env


def start_worker(env, log):
    return subprocess.Popen(  # noqa: S603 (our own command line)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-l",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],  # fmt: skip
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def sent():
    return Rappel.objects.filter(statut=StatutEnvoi.ENVOYE).count()


@pytest.fixture
def real_broker():
    """This test talks to a real worker: tasks are sent, not run inline."""
    from config.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield app
    app.conf.task_always_eager = eager


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker must share the test database")
def test_worker_killed_mid_batch_sends_every_reminder_exactly_once(programme, tmp_path, real_broker):
    app = real_broker

    n = 30
    Rappel.objects.bulk_create(
        [
            Rappel(
                cle=f"test:{i}",
                type="seance",
                destinataire=programme.ts_adaff,
                titre=f"Rappel {i}",
                du_le=timezone.now(),
            )
            for i in range(n)
        ]
    )
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = worker_env(queue, mail_dir)
    log = (tmp_path / "worker.log").open("w")
    worker = start_worker(env, log)
    try:
        app.send_task("rappels.tasks.envoyer", queue=queue)
        assert wait_for(lambda: sent() >= 8), (tmp_path / "worker.log").read_text()
        worker.send_signal(signal.SIGKILL)  # in the middle of the batch
        worker.wait(10)
        assert 0 < sent() < n
        worker = start_worker(env, log)
        app.send_task("rappels.tasks.envoyer", queue=queue)  # the scheduler's next run
        assert wait_for(lambda: sent() == n), (tmp_path / "worker.log").read_text()
    finally:
        worker.terminate()
        worker.wait(10)
        log.close()

    ids = []
    for path in Path(mail_dir).iterdir():
        for raw in path.read_text().split("-" * 79):
            if raw.strip():
                ids.append(email.message_from_string(raw.strip())["Message-ID"])
    assert len(ids) == n
    assert len(set(ids)) == n
