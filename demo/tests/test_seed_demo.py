import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from comptes.models import Organisation, Utilisateur
from demo import comptes as demo
from menages.models import Menage


def test_seed_demo_is_idempotent_and_creates_one_account_per_role(db):
    call_command("seed_demo")
    counts = (Organisation.objects.count(), Utilisateur.objects.count(), Menage.objects.count())
    call_command("seed_demo")
    assert (Organisation.objects.count(), Utilisateur.objects.count(), Menage.objects.count()) == counts
    for username, *_ in demo.COMPTES:
        user = Utilisateur.objects.get(username=username)
        assert user.est_demo
        assert user.check_password(demo.DEMO_PASSWORD)
        assert user.roles


def test_seed_demo_has_the_sheets_organisations(db):
    call_command("seed_demo")
    noms = set(Organisation.objects.values_list("sigle", flat=True))
    assert {"ADAFF", "Habitat Audois", "ALOGEA", "HDM", "AFC", "DDCSPP", "Conseil Général"} <= noms


def test_seed_demo_refused_outside_demo_mode(db):
    with override_settings(DEMO_MODE=False), pytest.raises(CommandError):
        call_command("seed_demo")
