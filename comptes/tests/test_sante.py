import json

from django.urls import reverse

from comptes import views
from config.celery import app


def test_health_is_public_and_reports_database(client, db, monkeypatch):
    monkeypatch.setattr(views, "_check_broker", lambda: (True, "ok"))
    response = client.get(reverse("sante"))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["statut"] == "ok"
    assert body["base_de_donnees"] == "ok"


def test_health_is_503_when_database_is_down(client, db, monkeypatch):
    monkeypatch.setattr(views, "_check_database", lambda: (False, "OperationalError"))
    monkeypatch.setattr(views, "_check_broker", lambda: (True, "ok"))
    response = client.get(reverse("sante"))
    assert response.status_code == 503
    assert json.loads(response.content)["base_de_donnees"] == "OperationalError"


def test_health_reports_an_unreachable_broker_but_stays_up(client, db, monkeypatch):
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get(reverse("sante"))
    assert response.status_code == 200
    assert json.loads(response.content)["broker"] != "ok"


def test_heartbeat_task_is_reported(client, db, monkeypatch):
    from comptes.tasks import heartbeat

    monkeypatch.setattr(views, "_check_broker", lambda: (True, "ok"))
    heartbeat.delay()
    body = json.loads(client.get(reverse("sante")).content)
    assert body["dernier_battement_worker"] is not None
