"""Login, logout and failed logins are recorded (who, when, from where) and read in the admin."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from comptes import services
from comptes.enums import Role, TypeEvenementConnexion
from comptes.models import EvenementConnexion
from comptes.tests.factories import OrganisationFactory, user_with_role

PASSWORD = "Mot-de-passe-solide-2026"


@pytest.fixture
def worker(db):
    return user_with_role(Role.TRAVAILLEUR_SOCIAL, OrganisationFactory(nom="ADAFF"), username="claire")


def test_login_failure_and_logout_are_recorded_with_the_address(client, worker):
    ip = {"REMOTE_ADDR": "192.0.2.44", "HTTP_USER_AGENT": "Firefox de test"}
    client.post(reverse("login"), {"username": "claire", "password": "faux"}, **ip)
    client.post(reverse("login"), {"username": "personne", "password": "faux"}, **ip)
    client.post(reverse("login"), {"username": "claire", "password": PASSWORD}, **ip)
    client.post(reverse("logout"), **ip)

    events = list(EvenementConnexion.objects.order_by("date", "pk"))
    assert [(e.type, e.identifiant, e.utilisateur) for e in events] == [
        ("echec", "claire", worker),
        ("echec", "personne", None),
        ("connexion", "claire", worker),
        ("deconnexion", "claire", worker),
    ]
    assert {e.adresse_ip for e in events} == {"192.0.2.44"}
    assert events[0].navigateur == "Firefox de test"
    assert "faux" not in str([vars(e) for e in events])


def test_the_technical_staff_reads_the_journal_but_cannot_change_it(client, worker):
    services.record_login_event(type=TypeEvenementConnexion.ECHEC, identifiant="claire")
    event = EvenementConnexion.objects.get()
    admin = user_with_role(Role.ADMINISTRATEUR, worker.organisation, username="admin", is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:comptes_evenementconnexion_changelist"))
    assert page.status_code == 200
    assert "Échec de connexion" in page.text
    assert client.get(reverse("admin:comptes_evenementconnexion_add")).status_code == 403
    assert client.get(reverse("admin:comptes_evenementconnexion_delete", args=[event.pk])).status_code == 403
    client.force_login(worker)
    assert client.get(reverse("admin:comptes_evenementconnexion_changelist")).status_code == 302


def test_events_older_than_the_retention_period_are_purged(worker, settings):
    settings.LOGIN_EVENTS_RETENTION_DAYS = 365
    old = services.record_login_event(type=TypeEvenementConnexion.CONNEXION, utilisateur=worker)
    old.date = timezone.now() - datetime.timedelta(days=366)
    old.save()
    recent = services.record_login_event(type=TypeEvenementConnexion.DECONNEXION, utilisateur=worker)
    assert services.purge_login_events() == 1
    assert list(EvenementConnexion.objects.all()) == [recent]
