"""Named personas for the roles of the programme, shared by every app's tests."""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from comptes.enums import Role
from comptes.models import Organisation, Utilisateur
from comptes.tests.factories import DispositifFactory, OrganisationFactory, user_with_role


@pytest.fixture(autouse=True)
def force_login_passes_second_factor(monkeypatch):
    """`client.force_login(user)` gives a session past both factors, as a real login would end,
    so that tests about pages need not go through the code each time. The two-factor tests use
    `client.post(login)` and the real pages."""
    force_login = Client.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="Tests", defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@dataclass
class Programme:
    dispositif: object
    adaff: Organisation
    habitat: Organisation
    alogea: Organisation
    hdm: Organisation
    afc: Organisation
    ddcspp: Organisation
    cg: Organisation
    ts_adaff: Utilisateur
    cesf_habitat: Utilisateur
    cesf_alogea: Utilisateur
    gardien_habitat: Utilisateur
    ts_hdm: Utilisateur
    tisf_afc: Utilisateur
    financeur: Utilisateur
    comite: Utilisateur
    admin: Utilisateur


@pytest.fixture
def programme(db):
    dispositif = DispositifFactory()
    orgs = {
        "adaff": OrganisationFactory(nom="ADAFF", sigle="ADAFF"),
        "habitat": OrganisationFactory(nom="Habitat Audois", bailleur=True),
        "alogea": OrganisationFactory(nom="ALOGEA", bailleur=True),
        "hdm": OrganisationFactory(nom="Habitat Développement Méditerranée", sigle="HDM", iml=True),
        "afc": OrganisationFactory(nom="AFC", tisf=True),
        "ddcspp": OrganisationFactory(nom="DDCSPP de l’Aude", financeur=True),
        "cg": OrganisationFactory(nom="Conseil Général de l’Aude", financeur=True),
    }
    return Programme(
        dispositif=dispositif,
        **orgs,
        ts_adaff=user_with_role(Role.TRAVAILLEUR_SOCIAL, orgs["adaff"], username="ts.adaff"),
        cesf_habitat=user_with_role(Role.CESF, orgs["habitat"], username="cesf.habitat"),
        cesf_alogea=user_with_role(Role.CESF, orgs["alogea"], username="cesf.alogea"),
        gardien_habitat=user_with_role(Role.GARDIEN, orgs["habitat"], username="gardien.habitat"),
        ts_hdm=user_with_role(Role.TRAVAILLEUR_SOCIAL, orgs["hdm"], username="ts.hdm"),
        tisf_afc=user_with_role(Role.TISF, orgs["afc"], username="tisf.afc"),
        financeur=user_with_role(Role.FINANCEUR, orgs["ddcspp"], username="financeur.ddcspp"),
        comite=user_with_role(Role.MEMBRE_COMITE, orgs["cg"], username="comite.cg"),
        admin=user_with_role(Role.ADMINISTRATEUR, orgs["adaff"], username="admin"),
    )


@pytest.fixture
def count_queries():
    """Run a callable and return how many SQL queries it made."""

    def run(func, *args, **kwargs):
        with CaptureQueriesContext(connection) as ctx:
            func(*args, **kwargs)
        return len(ctx.captured_queries)

    return run
