import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from comptes.enums import Role
from comptes.tests.factories import OrganisationFactory, user_with_role

PASSWORD = "Mot-de-passe-solide-2026"


@pytest.fixture
def worker(db):
    return user_with_role(Role.TRAVAILLEUR_SOCIAL, OrganisationFactory(nom="ADAFF"), username="claire")


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_in_french(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Connexion" in response.text
    assert 'lang="fr"' in response.text
    assert "Identifiant" in response.text and "Mot de passe" in response.text


@override_settings(OTP_REQUIRED=False)
def test_login_then_dashboard_when_second_factor_is_off(client, worker):
    response = login(client, "claire")
    assert response.status_code == 302
    assert response.url == reverse("tableau_de_bord")
    assert "Tableau de bord" in client.get(response.url).text


def test_wrong_password_gives_french_error_and_keeps_username(client, worker):
    response = login(client, "claire", "mauvais")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.text
    assert 'value="claire"' in response.text


def test_demo_account_logs_in_in_demo_mode(client, worker):
    worker.est_demo = True
    worker.save()
    with override_settings(DEMO_MODE=True):
        assert login(client, "claire").status_code == 302


def test_demo_account_refused_outside_demo_mode(client, worker):
    worker.est_demo = True
    worker.save()
    with override_settings(DEMO_MODE=False):
        response = login(client, "claire")
    assert response.status_code == 200
    assert "comptes de démonstration ne sont pas autorisés" in response.text


def test_demo_session_ends_when_demo_mode_is_switched_off(client, worker):
    worker.est_demo = True
    worker.save()
    client.force_login(worker)
    with override_settings(DEMO_MODE=False):
        response = client.get(reverse("tableau_de_bord"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logout_needs_post_and_ends_session(client, worker):
    client.force_login(worker)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("tableau_de_bord")).status_code == 302


def test_password_reset_sends_a_french_email(client, worker):
    response = client.post(reverse("password_reset"), {"email": worker.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "nouveau mot de passe" in mail.outbox[0].subject
    assert "/comptes/mot-de-passe/reinitialiser/" in mail.outbox[0].body


def test_password_change_refuses_short_password_in_french(client, worker):
    client.force_login(worker)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "court", "new_password2": "court"},
    )
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in response.text


def test_admin_site_is_for_the_technical_staff_only(client, worker, db):
    worker.is_staff = True  # even staff status is not enough
    worker.save()
    admin = user_with_role(Role.ADMINISTRATEUR, worker.organisation, is_staff=True)
    for user in (worker, admin):  # the programme's administrator uses the French pages
        client.force_login(user)
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))

    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get(reverse("admin:index")).status_code == 200


def test_unknown_page_is_a_french_404(client, worker):
    client.force_login(worker)
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_a_form_refused_by_the_csrf_check_is_explained_in_french(worker):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": worker.username, "password": "x"})
    assert response.status_code == 403
    assert '<html lang="fr">' in response.text and "Le formulaire n’a pas pu être envoyé" in response.text


def test_a_bad_request_is_a_french_400(client):
    response = client.get("/", headers={"host": "inconnu.example"})  # a host not allowed
    assert response.status_code == 400
    assert '<html lang="fr">' in response.text and "Demande incorrecte" in response.text


def test_logout_clears_what_the_browser_keeps_for_the_site(client, worker):
    client.force_login(worker)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
