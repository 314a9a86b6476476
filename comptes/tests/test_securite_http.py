"""Security headers, cookies, password rules and Django's deployment checks."""

import os
import secrets
import subprocess
import sys

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from comptes.enums import Role
from comptes.tests.factories import OrganisationFactory, user_with_role


@pytest.fixture
def worker(db):
    return user_with_role(Role.TRAVAILLEUR_SOCIAL, OrganisationFactory(nom="ADAFF"), username="claire")


def test_pages_of_a_logged_in_user_are_never_stored(client, worker):
    client.force_login(worker)
    for url in (reverse("tableau_de_bord"), reverse("dossiers:liste"), reverse("double_authentification")):
        cache_control = client.get(url).headers["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control


def test_security_headers_on_every_page(client, db):
    response = client.get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp  # plus a nonce on pages that use one
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@override_settings(
    SECURE_HSTS_SECONDS=31536000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_hsts_and_secure_http_only_cookies_over_https(client, worker):
    response = client.post(
        reverse("login"), {"username": "claire", "password": "Mot-de-passe-solide-2026"}, secure=True
    )
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    assert response.cookies["csrftoken"]["secure"] and response.cookies["csrftoken"]["httponly"]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Court-2026", "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères."),
        ("qwerty123456", "Ce mot de passe est trop courant."),
        ("123456789123", "Ce mot de passe est entièrement numérique."),
    ],
)
def test_passwords_need_twelve_characters_and_not_a_common_one(password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert message in error.value.messages


def test_a_long_uncommon_password_is_accepted():
    validate_password("Le-chat-de-Carcassonne-2026")


def test_production_settings_pass_the_deployment_checks():
    # Without the variables that tests set for themselves (the browser tests allow async-unsafe
    # ORM calls), as on a production server.
    unset = {"DEMO_MODE", "DEBUG", "OTP_REQUIRED", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(60)[:60],
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/asea_securite",  # not connected to
        REDIS_URL="redis://127.0.0.1:6379/4",
        ALLOWED_HOSTS="asea.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_switch_off_the_second_factor():
    env = {k: v for k, v in os.environ.items() if k not in {"DEMO_MODE", "DEBUG"}}
    env.update(
        SECRET_KEY="k" * 60,
        DATABASE_URL="postgres://x@127.0.0.1/x",
        REDIS_URL="redis://127.0.0.1:6379/0",
        OTP_REQUIRED="0",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings.prod"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "OTP_REQUIRED" in result.stderr
