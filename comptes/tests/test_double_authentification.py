"""Two-factor authentication through the real pages: enrolment, check after the password,
recovery codes, replay refused."""

import re

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from comptes import services
from comptes.enums import Role
from comptes.models import EvenementConnexion
from comptes.tests.factories import OrganisationFactory, user_with_role

PASSWORD = "Mot-de-passe-solide-2026"
NOW = "2026-03-02 09:00:00+01:00"


@pytest.fixture
def worker(db):
    return user_with_role(Role.TRAVAILLEUR_SOCIAL, OrganisationFactory(nom="ADAFF"), username="claire")


@pytest.fixture
def enrolled(worker):
    TOTPDevice.objects.create(user=worker, name="Téléphone", confirmed=True)
    services.regenerate_recovery_codes(utilisateur=worker)
    return worker


def code_of(device, drift=0):
    return f"{totp(device.bin_key, drift=drift):06d}"


def password_step(client, username="claire"):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(response.url)


@time_machine.travel(NOW, tick=False)
def test_first_login_leads_to_enrolment_with_an_inline_qr_code(client, worker):
    response = password_step(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("double_authentification_activer"))

    page = client.get(response.url)
    assert page.status_code == 200
    assert "Activer la double authentification" in page.text
    svg = re.search(r"<svg.*?</svg>", page.text, re.S).group(0)
    assert "<script" not in svg and "style=" not in svg
    device = TOTPDevice.objects.get(user=worker, confirmed=False)
    secret = re.search(r'id="cle-secrete">([A-Z2-7 ]+)<', page.text).group(1)
    assert len(secret.replace(" ", "")) == 32
    # Reloading the page keeps the same secret.
    assert secret in client.get(response.url).text
    assert TOTPDevice.objects.filter(user=worker).count() == 1
    # Nothing else is reachable before the second factor.
    assert client.get(reverse("dossiers:liste")).url.startswith(reverse("double_authentification_activer"))
    assert client.get(reverse("double_authentification")).status_code == 302
    assert device.pk


def test_enrolment_confirms_the_device_and_shows_ten_recovery_codes_once(client, worker, time_machine):
    time_machine.move_to(NOW, tick=False)
    password_step(client)
    url = reverse("double_authentification_activer")
    client.get(url)
    device = TOTPDevice.objects.get(user=worker)

    wrong = client.post(url, {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert "Ce code ne correspond pas" in wrong.text
    device.refresh_from_db()
    assert not device.confirmed

    time_machine.shift(2)  # django-otp makes one wait a second after a wrong code
    response = client.post(url, {"code": code_of(device), "next": "/menages/"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    codes_page = client.get(response.url)
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", codes_page.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert set(codes) == set(StaticToken.objects.filter(device__user=worker).values_list("token", flat=True))
    assert 'href="/menages/"' in codes_page.text
    assert "ne s’affichent qu’une fois" in client.get(response.url).text
    assert client.get(reverse("tableau_de_bord")).status_code == 200
    assert client.get(reverse("double_authentification_activer")).status_code == 302


def test_enrolled_user_gives_a_code_after_the_password(client, enrolled, time_machine):
    time_machine.move_to(NOW, tick=False)
    response = password_step(client)
    assert response.url.startswith(reverse("double_authentification_verifier"))
    assert client.get(reverse("dossiers:liste")).status_code == 302
    device = TOTPDevice.objects.get(user=enrolled)

    refused = client.post(reverse("double_authentification_verifier"), {"code": code_of(device, drift=-5)})
    assert "Code incorrect ou déjà utilisé" in refused.text

    time_machine.shift(2)
    key_before = client.session.session_key
    accepted = client.post(
        reverse("double_authentification_verifier"), {"code": code_of(device), "next": "/"}
    )
    assert accepted.status_code == 302 and accepted.url == "/"
    assert client.session.session_key != key_before
    assert client.get(reverse("tableau_de_bord")).status_code == 200
    types = list(EvenementConnexion.objects.order_by("date", "pk").values_list("type", flat=True))
    assert types == ["connexion", "echec_code", "double_authentification"]


@time_machine.travel(NOW, tick=False)
def test_a_totp_code_cannot_be_replayed(client, enrolled):
    device = TOTPDevice.objects.get(user=enrolled)
    code = code_of(device)
    password_step(client)
    assert client.post(reverse("double_authentification_verifier"), {"code": code}).status_code == 302
    client.post(reverse("logout"))

    password_step(client)
    replay = client.post(reverse("double_authentification_verifier"), {"code": code})
    assert replay.status_code == 200
    assert "Code incorrect ou déjà utilisé" in replay.text
    assert client.get(reverse("tableau_de_bord")).status_code == 302


def test_a_recovery_code_works_once(client, enrolled):
    token = StaticToken.objects.filter(device__user=enrolled).first().token
    password_step(client)
    response = client.post(reverse("double_authentification_verifier"), {"code": token.upper()})
    assert response.status_code == 302
    assert services.remaining_recovery_codes(enrolled) == 9
    client.post(reverse("logout"))

    password_step(client)
    again = client.post(reverse("double_authentification_verifier"), {"code": token})
    assert "Code incorrect ou déjà utilisé" in again.text


def test_new_recovery_codes_replace_the_old_ones(client, enrolled):
    old = set(StaticToken.objects.filter(device__user=enrolled).values_list("token", flat=True))
    client.force_login(enrolled)
    response = client.post(reverse("double_authentification_nouveaux_codes"))
    page = client.get(response.url)
    codes = set(re.findall(r"<li>([a-z2-7]{8})</li>", page.text))
    assert len(codes) == 10 and not codes & old
    assert 'href="/">Continuer' in page.text
    assert services.remaining_recovery_codes(enrolled) == 10


def test_admin_site_needs_the_second_factor(client, enrolled):
    admin = user_with_role(Role.ADMINISTRATEUR, enrolled.organisation, username="admin", is_superuser=True)
    TOTPDevice.objects.create(user=admin, name="Téléphone", confirmed=True)
    password_step(client, "admin")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("double_authentification_verifier"))


def test_admin_login_page_sends_to_the_single_login_page(client, db):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_technical_staff_resets_a_lost_phone_in_the_admin(client, enrolled):
    admin = user_with_role(Role.ADMINISTRATEUR, enrolled.organisation, username="admin", is_superuser=True)
    other = type(client)()
    other.force_login(enrolled)
    client.force_login(admin)
    response = client.post(
        reverse("admin:comptes_utilisateur_changelist"),
        {"action": "reinitialiser_double_authentification", "_selected_action": [enrolled.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled).exists()
    assert services.remaining_recovery_codes(enrolled) == 0
    assert other.get(reverse("tableau_de_bord")).status_code == 302


@override_settings(OTP_REQUIRED=False)
def test_without_otp_required_the_password_is_enough(client, worker):
    response = password_step(client)
    assert response.status_code == 200
    assert "Tableau de bord" in response.text


@override_settings(OTP_REQUIRED=False, DEMO_MODE=False)
def test_otp_can_be_switched_off_only_in_demo_mode(db):
    with pytest.raises(SystemCheckError, match="comptes.E001"):
        call_command("check")
