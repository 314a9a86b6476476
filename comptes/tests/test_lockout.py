"""Brute-force lockout: by (username, IP) pair and by IP, never by username alone."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from comptes.enums import Role
from comptes.lockout import client_ip
from comptes.models import EvenementConnexion
from comptes.tests.factories import OrganisationFactory, user_with_role

PASSWORD = "Mot-de-passe-solide-2026"
NOW = "2026-03-02 09:00:00+01:00"
LOCKED = "Trop de tentatives de connexion ont échoué depuis ce poste"
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def worker(db):
    return user_with_role(Role.TRAVAILLEUR_SOCIAL, OrganisationFactory(nom="ADAFF"), username="claire")


def attempt(client, username="claire", password=PASSWORD, ip="192.0.2.10"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, times, username="claire", ip="192.0.2.10"):
    for _ in range(times):
        response = attempt(client, username, "mauvais-mot-de-passe", ip)
        assert response.status_code == 200


def test_five_failures_lock_the_pair_with_the_remaining_delay(client, worker, frozen):
    fail(client, 4)
    fifth = attempt(client, password="encore-faux")
    assert LOCKED in fifth.text and "réessayez dans 15 minutes" in fifth.text

    refused = attempt(client)  # even the right password
    assert refused.status_code == 200
    assert LOCKED in refused.text
    assert EvenementConnexion.objects.filter(type="bloquee").count() == 1

    frozen.shift(10 * 60 + 30)
    assert "réessayez dans 5 minutes" in attempt(client).text
    frozen.shift(5 * 60)
    assert attempt(client).status_code == 302


def test_a_lock_does_not_follow_the_username_to_another_address(client, worker):
    fail(client, 5, ip="192.0.2.66")
    assert attempt(client, ip="192.0.2.66").status_code == 200
    assert attempt(client, ip="198.51.100.7").status_code == 302


def test_a_locked_pair_does_not_lock_other_users_of_the_same_address(client, worker):
    user_with_role(Role.CESF, worker.organisation, username="nadia")
    fail(client, 5)
    assert attempt(client, "nadia").status_code == 302


@override_settings(LOGIN_FAILURES_PER_IP=12)
def test_too_many_failures_from_one_address_lock_that_address(client, worker):
    for n in range(12):
        attempt(client, f"inconnu{n}", "x")
    response = attempt(client)
    assert LOCKED in response.text
    assert attempt(client, ip="198.51.100.7").status_code == 302


@override_settings(OTP_REQUIRED=False)
def test_a_complete_login_forgets_the_pairs_failures(client, worker):
    fail(client, 4)
    assert attempt(client).status_code == 302
    client.post(reverse("logout"))
    fail(client, 4)
    assert attempt(client).status_code == 302


def test_wrong_second_factor_codes_count_towards_the_lock(client, worker, frozen):
    TOTPDevice.objects.create(user=worker, name="Téléphone", confirmed=True)
    assert attempt(client).status_code == 302
    url = reverse("double_authentification_verifier")
    for _ in range(5):
        frozen.shift(120)  # past django-otp's own growing delay
        client.post(url, {"code": "12345"}, REMOTE_ADDR="192.0.2.10")
    response = client.post(url, {"code": "12345"}, REMOTE_ADDR="192.0.2.10")
    assert LOCKED in response.text


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client cannot choose its address
        (1, "", "10.0.0.1"),
    ],
)
def test_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
