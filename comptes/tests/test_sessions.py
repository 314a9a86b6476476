"""Sessions end after 30 minutes idle, 12 hours after login, and when the user is deactivated."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptes.enums import Role
from comptes.models import EvenementConnexion, SessionUtilisateur
from comptes.tasks import clear_expired_sessions
from comptes.tests.factories import OrganisationFactory, user_with_role

NOW = "2026-03-02 08:00:00+01:00"


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def worker(db):
    return user_with_role(Role.TRAVAILLEUR_SOCIAL, OrganisationFactory(nom="ADAFF"), username="claire")


def is_logged_in(client):
    return client.get(reverse("tableau_de_bord")).status_code == 200


def test_session_ends_after_thirty_minutes_idle(client, worker, frozen):
    client.force_login(worker)
    frozen.shift(29 * 60)
    assert is_logged_in(client)
    frozen.shift(29 * 60)  # each request pushes the expiry back
    assert is_logged_in(client)
    frozen.shift(31 * 60)
    response = client.get(reverse("tableau_de_bord"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_session_ends_twelve_hours_after_login_however_active(client, worker, frozen):
    client.force_login(worker)
    for _ in range(35):  # a request every 20 minutes for 11 h 40
        frozen.shift(20 * 60)
        assert is_logged_in(client)
    frozen.shift(20 * 60 + 1)  # 12 hours and a second after login
    response = client.get(reverse("tableau_de_bord"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert "Votre session a expiré" in client.get(response.url).text
    assert EvenementConnexion.objects.filter(type="expiration", utilisateur=worker).exists()


def test_deactivating_a_user_ends_all_their_sessions(worker):
    office, tablet = Client(), Client()
    office.force_login(worker)
    tablet.force_login(worker)
    other = user_with_role(Role.CESF, worker.organisation, username="nadia")
    colleague = Client()
    colleague.force_login(other)
    assert SessionUtilisateur.objects.filter(utilisateur_id=worker.pk).count() == 2

    worker.is_active = False
    worker.save()

    assert not SessionUtilisateur.objects.filter(utilisateur_id=worker.pk).exists()
    assert not is_logged_in(office) and not is_logged_in(tablet)
    assert is_logged_in(colleague)


def test_deactivation_also_ends_a_session_whose_key_changed(client, worker):
    client.force_login(worker)
    password = "Un-nouveau-mot-de-passe-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": "Mot-de-passe-solide-2026", "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 302
    assert is_logged_in(client)  # the key was rotated, the session kept

    worker.refresh_from_db()
    worker.is_active = False
    worker.save()
    assert not is_logged_in(client)


def test_deactivating_in_the_admin_ends_the_sessions(client, worker):
    user_client = Client()
    user_client.force_login(worker)
    admin = user_with_role(Role.ADMINISTRATEUR, worker.organisation, username="admin", is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:comptes_utilisateur_change", args=[worker.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | tuple)}
    data.update(
        {
            "is_active": "",
            "date_joined_0": "02/03/2026",
            "date_joined_1": "08:00:00",
            "attributions_roles-TOTAL_FORMS": "0",
            "attributions_roles-INITIAL_FORMS": "0",
        }
    )
    data.pop("is_active")
    data.pop("last_login", None)
    data.pop("date_joined", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    worker.refresh_from_db()
    assert not worker.is_active
    assert not is_logged_in(user_client)


def test_expired_sessions_are_deleted_daily(worker, frozen):
    idle, active = Client(), Client()
    idle.force_login(worker)
    frozen.shift(20 * 60)
    active.force_login(worker)
    frozen.shift(15 * 60)
    clear_expired_sessions.delay()
    assert SessionUtilisateur.objects.count() == 1
    assert is_logged_in(active)


def _session_writes(queries):
    return [
        q["sql"]
        for q in queries
        if "comptes_sessionutilisateur" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def test_the_expiry_is_pushed_back_once_a_minute_not_on_every_page_read(client, worker, frozen):
    client.force_login(worker)
    session = SessionUtilisateur.objects.get(utilisateur_id=worker.pk)
    assert is_logged_in(client)  # the first page after login: the session was just saved
    expiry = SessionUtilisateur.objects.get(pk=session.pk).expire_date

    frozen.shift(59)
    with CaptureQueriesContext(connection) as queries:
        assert is_logged_in(client)
    assert _session_writes(queries.captured_queries) == []
    assert SessionUtilisateur.objects.get(pk=session.pk).expire_date == expiry

    frozen.shift(1)
    with CaptureQueriesContext(connection) as queries:
        assert is_logged_in(client)
    assert len(_session_writes(queries.captured_queries)) == 1
    assert SessionUtilisateur.objects.get(pk=session.pk).expire_date == expiry + timedelta(seconds=60)


def test_the_idle_limit_is_never_longer_than_thirty_minutes(client, worker, frozen):
    client.force_login(worker)
    frozen.shift(5 * 60)
    assert is_logged_in(client)  # renewed: expires at 35 min
    frozen.shift(30)
    assert is_logged_in(client)  # not renewed again
    frozen.shift(30 * 60)  # 30 min after the last request, 30 min 30 s after the renewal
    assert client.get(reverse("tableau_de_bord")).status_code == 302
