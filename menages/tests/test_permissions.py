import datetime

import pytest
from django.urls import reverse

from comptes.tests.factories import DispositifFactory, OrganisationFactory
from menages.enums import TypeIntervention
from menages.models import Menage
from menages.tests.factories import IntervenantFactory, MenageFactory


@pytest.fixture
def menages(programme):
    """One household of each landlord, followed by ADAFF; HDM and the TISF on the first only."""
    habitat = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Durand")
    alogea = MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea, nom="Bonnet")
    for menage in (habitat, alogea):
        IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    IntervenantFactory(
        menage=habitat, type=TypeIntervention.TRAVAILLEUR_SOCIAL_IML, utilisateur=programme.ts_hdm
    )
    IntervenantFactory(menage=habitat, type=TypeIntervention.TISF, utilisateur=programme.tisf_afc)
    return habitat, alogea


def visible(user):
    return set(Menage.objects.visible_to(user).values_list("nom", flat=True))


def test_cesf_sees_only_her_own_landlords_households(programme, menages):
    assert visible(programme.cesf_habitat) == {"Durand"}
    assert visible(programme.cesf_alogea) == {"Bonnet"}
    assert visible(programme.gardien_habitat) == set()  # a caretaker does not read the social file


def test_cesf_cannot_open_other_landlords_household(client, programme, menages):
    _, alogea = menages
    client.force_login(programme.cesf_habitat)
    assert client.get(reverse("dossiers:detail", args=[alogea.pk])).status_code == 404


def test_cesf_opens_her_own_landlords_household(client, programme, menages):
    habitat, _ = menages
    client.force_login(programme.cesf_habitat)
    assert client.get(reverse("dossiers:detail", args=[habitat.pk])).status_code == 200


def test_social_worker_sees_households_their_organisation_follows(programme, menages):
    assert visible(programme.ts_adaff) == {"Durand", "Bonnet"}
    assert visible(programme.ts_hdm) == {"Durand"}


def test_tisf_sees_only_households_she_is_assigned_to(programme, menages):
    assert visible(programme.tisf_afc) == {"Durand"}


def test_tisf_of_same_organisation_but_not_assigned_sees_nothing(programme, menages):
    from comptes.enums import Role
    from comptes.tests.factories import user_with_role

    autre_tisf = user_with_role(Role.TISF, programme.afc)
    assert visible(autre_tisf) == set()


@pytest.mark.parametrize("persona", ["financeur", "comite"])
def test_funders_and_committee_members_see_no_household(client, programme, menages, persona):
    user = getattr(programme, persona)
    assert visible(user) == set()
    client.force_login(user)
    for menage in menages:
        assert client.get(reverse("dossiers:detail", args=[menage.pk])).status_code == 404
    assert client.get(reverse("dossiers:liste")).status_code == 403


def test_administrator_sees_every_household(programme, menages):
    assert visible(programme.admin) == {"Durand", "Bonnet"}


def test_ended_intervention_no_longer_gives_access(programme, menages):
    habitat, _ = menages
    hier = datetime.date.today() - datetime.timedelta(days=1)
    habitat.intervenants.filter(utilisateur=programme.ts_hdm).update(
        date_debut=hier - datetime.timedelta(days=30), date_fin=hier
    )
    assert visible(programme.ts_hdm) == set()


def test_household_of_a_programme_the_organisation_is_not_part_of_is_invisible(programme, menages):
    autre = DispositifFactory(code="autre", nom="Autre dispositif")
    MenageFactory(dispositif=autre, bailleur=programme.habitat, nom="Ailleurs")
    assert "Ailleurs" not in visible(programme.cesf_habitat)


def test_user_without_organisation_or_inactive_sees_nothing(programme, menages):
    programme.ts_adaff.is_active = False
    assert visible(programme.ts_adaff) == set()
    sans_org = programme.cesf_habitat
    sans_org.organisation = None
    assert visible(sans_org) == set()


def test_landlord_role_in_a_non_landlord_organisation_gives_no_access(programme, menages):
    from comptes.enums import Role
    from comptes.tests.factories import user_with_role

    faux_cesf = user_with_role(Role.CESF, OrganisationFactory(nom="Autre association"))
    assert visible(faux_cesf) == set()


def test_anonymous_user_is_sent_to_login(client, menages):
    habitat, _ = menages
    response = client.get(reverse("dossiers:detail", args=[habitat.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
