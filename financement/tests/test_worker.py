"""The report task on a real Celery worker with Redis, against the test database (PostgreSQL)."""

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from financement.models import RapportFinanceur
from financement.tests.factories import RapportFinanceurFactory


def _database_url():
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_report_is_produced_by_a_real_worker(programme):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no Redis broker for a real worker (.ci/run sets it).")
    if connection.vendor != "postgresql":
        pytest.skip("The worker needs to reach the test database: PostgreSQL only (SQLite's is in memory).")
    from config.celery import app
    from financement.tests.factories import ConventionFactory, PartFinanceurFactory

    PartFinanceurFactory(
        convention=ConventionFactory(dispositif=programme.dispositif), financeur=programme.ddcspp
    )
    rapport = RapportFinanceurFactory(dispositif=programme.dispositif, financeur=programme.ddcspp)
    queue = f"financement-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    celery = Path(sys.executable).parent / "celery"
    command = [str(celery), "-A", "config", "worker", "--pool=solo", "-Q", queue, "-n", f"{queue}@%h"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
    with tempfile.TemporaryFile() as log:
        worker = subprocess.Popen(  # noqa: S603  (our own celery, fixed arguments)
            command, env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT
        )
        eager = app.conf.task_always_eager
        try:
            app.conf.task_always_eager = False
            from financement.tasks import generer_rapport

            generer_rapport.apply_async(args=[rapport.pk], queue=queue)
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and worker.poll() is None:
                rapport.refresh_from_db()
                if rapport.statut in ("termine", "echec"):
                    break
                time.sleep(0.5)
        finally:
            app.conf.task_always_eager = eager
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
            log.seek(0)
            output = log.read().decode(errors="replace")
    with app.connection_for_write() as conn, contextlib.suppress(Exception):
        # Leave no trace of the test queue in Redis (kombu keeps its bindings after it is drained).
        conn.default_channel.client.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    rapport.refresh_from_db()
    assert rapport.statut == "termine", output[-3000:]
    assert rapport.progression == 100
    assert rapport.fichier.name.endswith(".pdf")
    assert "succeeded" in output
    assert RapportFinanceur.objects.count() == 1
