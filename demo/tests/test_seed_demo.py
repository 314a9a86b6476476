import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from comites import services
from comites.calendrier import est_jour_ouvre
from comites.enums import StatutSeance
from comites.models import Seance
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


def test_demo_sessions_fall_on_working_days_and_none_is_left_planned_in_the_past(db):
    call_command("seed_demo")
    call_command("seed_demo")  # settling the past sessions is idempotent too
    seances = list(Seance.objects.all())
    assert seances
    assert all(est_jour_ouvre(timezone.localtime(s.date).date()) for s in seances)
    assert not Seance.objects.a_regulariser().exists()
    passees = [s for s in seances if s.date < timezone.now()]
    assert {s.statut for s in passees} == {StatutSeance.TENUE, StatutSeance.NON_TENUE}
    for s in passees:
        if s.statut == StatutSeance.TENUE:
            assert services.quorum(s)[2]
        else:
            assert s.motif_statut


def test_the_next_session_shows_a_referents_summary(db):
    """Written by the household's referent through the service, as she would."""
    from comites.models import PointOrdreDuJour

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    point = PointOrdreDuJour.objects.exclude(synthese_objectifs="").get()
    assert point.synthese_par.organisation == point.menage.intervenants.get(type="referent").organisation
