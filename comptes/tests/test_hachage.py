"""Passwords are hashed with Argon2id; a password saved with an older hasher is hashed again at
login. The test settings hash with MD5 for speed: these tests use the real list."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    check_password,
    identify_hasher,
    make_password,
)
from django.test import override_settings
from django.urls import reverse

from comptes.enums import Role
from comptes.tests.factories import OrganisationFactory, user_with_role
from config.settings import base

PASSWORD = "Mot-de-passe-solide-2026"

pytestmark = pytest.mark.usefixtures("vrais_hachages")


@pytest.fixture
def vrais_hachages():
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        yield


def test_passwords_are_hashed_with_argon2id_for_two_cores():
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, encoded)
    assert not check_password("autre chose", encoded)


@override_settings(OTP_REQUIRED=False)
def test_a_pbkdf2_password_is_hashed_again_with_argon2id_at_login(client, db):
    user = user_with_role(Role.TRAVAILLEUR_SOCIAL, OrganisationFactory(nom="ADAFF"), username="claire")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    response = client.post(reverse("login"), {"username": "claire", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert settings.PASSWORD_HASHERS[0] == "comptes.hachage.Argon2idAsea"


@override_settings(OTP_REQUIRED=False)
def test_a_wrong_password_leaves_the_old_hash_alone(client, db):
    user = user_with_role(Role.TRAVAILLEUR_SOCIAL, OrganisationFactory(nom="ADAFF"), username="claire")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    client.post(reverse("login"), {"username": "claire", "password": "pas le bon"})
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"


@override_settings(OTP_REQUIRED=False)
def test_an_argon2_hash_with_other_parameters_is_made_again_with_ours_at_login(client, db):
    """Django's default Argon2 parameters (or any other) are replaced by the programme's."""
    user = user_with_role(Role.TRAVAILLEUR_SOCIAL, OrganisationFactory(nom="ADAFF"), username="claire")
    django_argon2 = Argon2PasswordHasher()
    user.password = django_argon2.encode(PASSWORD, django_argon2.salt())
    user.save(update_fields=["password"])
    ancien = user.password
    assert ancien.startswith("argon2$argon2id$")
    assert "m=19456,t=2,p=1$" not in ancien

    response = client.post(reverse("login"), {"username": "claire", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password != ancien
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
