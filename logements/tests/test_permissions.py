import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comptes.enums import Role
from comptes.tests.factories import DispositifFactory, OrganisationFactory, user_with_role
from logements.models import Logement, MobilisationLogement
from logements.tests.factories import LogementFactory, MobilisationLogementFactory

CSV = (
    "Référence;Adresse;Commune;Typologie;Surface;Loyer;Charges;Statut\n"
    "X-1;3 rue Voltaire;Carcassonne;T3;65;512,50;48;vacant\n"
)


@pytest.fixture
def stock(programme):
    """Per landlord: one occupied, one vacant, one in rotation dwelling."""
    logements = {}
    for bailleur in (programme.habitat, programme.alogea):
        for statut in ("occupe", "vacant", "en_rotation"):
            logements[(bailleur.nom, statut)] = LogementFactory(
                bailleur=bailleur, statut=statut, reference_bailleur=f"{bailleur.nom}-{statut}"
            )
    return logements


def visible(user):
    return set(Logement.objects.visible_to(user).values_list("reference_bailleur", flat=True))


TOUT_HABITAT = {"Habitat Audois-occupe", "Habitat Audois-vacant", "Habitat Audois-en_rotation"}
DISPONIBLES = {
    "Habitat Audois-vacant",
    "Habitat Audois-en_rotation",
    "ALOGEA-vacant",
    "ALOGEA-en_rotation",
}


def test_cesf_sees_her_landlords_stock_and_the_other_landlords_available_dwellings(programme, stock):
    assert visible(programme.cesf_habitat) == TOUT_HABITAT | DISPONIBLES
    assert "Habitat Audois-occupe" not in visible(programme.cesf_alogea)


def test_charge_attribution_sees_like_the_cesf(programme, stock):
    attribution = user_with_role(Role.CHARGE_ATTRIBUTION, programme.habitat)
    assert visible(attribution) == TOUT_HABITAT | DISPONIBLES


def test_gardien_sees_no_dwelling(client, programme, stock):
    assert visible(programme.gardien_habitat) == set()
    client.force_login(programme.gardien_habitat)
    assert client.get(reverse("logements:liste")).status_code == 403


@pytest.mark.parametrize("persona", ["ts_adaff", "ts_hdm"])
def test_social_workers_see_the_available_dwellings_of_both_landlords(programme, stock, persona):
    assert visible(getattr(programme, persona)) == DISPONIBLES


@pytest.mark.parametrize("persona", ["tisf_afc", "financeur", "comite", "gardien_habitat"])
def test_tisf_funders_and_committee_members_see_no_dwelling(programme, stock, persona):
    assert visible(getattr(programme, persona)) == set()


def test_administrator_sees_the_whole_stock(programme, stock):
    assert len(visible(programme.admin)) == 6


def test_landlord_outside_the_users_programmes_is_invisible(programme, stock):
    autre_dispositif = DispositifFactory(code="autre", nom="Autre dispositif")
    ailleurs = OrganisationFactory(nom="Bailleur d’ailleurs", bailleur=True, dispositifs=[autre_dispositif])
    LogementFactory(bailleur=ailleurs, vacant=True, reference_bailleur="AILLEURS")
    assert "AILLEURS" not in visible(programme.ts_adaff)
    assert "AILLEURS" not in visible(programme.cesf_habitat)


def test_inactive_or_unattached_users_see_nothing(programme, stock):
    programme.cesf_habitat.is_active = False
    assert visible(programme.cesf_habitat) == set()
    programme.ts_adaff.organisation = None
    assert visible(programme.ts_adaff) == set()


@pytest.mark.parametrize("persona", ["financeur", "comite", "tisf_afc"])
def test_funders_committee_members_and_tisf_get_403_on_the_stock_pages(client, programme, stock, persona):
    client.force_login(getattr(programme, persona))
    assert client.get(reverse("logements:liste")).status_code == 403
    assert client.get(reverse("logements:mobilisations")).status_code == 403
    logement = stock[("Habitat Audois", "vacant")]
    assert client.get(reverse("logements:detail", args=[logement.pk])).status_code == 404


def test_cesf_cannot_import_into_the_other_landlords_stock(client, programme, communes_aude):
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:importer", args=[programme.alogea.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"fichier": SimpleUploadedFile("p.csv", CSV.encode())})
    assert response.status_code == 403
    assert not Logement.objects.exists()


def test_cesf_imports_into_her_own_landlords_stock(client, programme, communes_aude):
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:importer", args=[programme.habitat.pk])
    response = client.post(url, {"fichier": SimpleUploadedFile("p.csv", CSV.encode())})
    assert response.status_code == 302
    assert Logement.objects.get().bailleur == programme.habitat


@pytest.mark.parametrize("persona", ["gardien_habitat", "ts_adaff", "financeur"])
def test_gardien_social_worker_and_funder_cannot_import(client, programme, persona):
    client.force_login(getattr(programme, persona))
    assert client.get(reverse("logements:importer", args=[programme.habitat.pk])).status_code == 403
    assert client.get(reverse("logements:importer_choix")).status_code == 403


def test_import_into_an_organisation_that_is_not_a_landlord_is_a_404(client, programme):
    client.force_login(programme.admin)
    assert client.get(reverse("logements:importer", args=[programme.adaff.pk])).status_code == 404


def test_administrator_may_import_for_any_landlord(client, programme):
    client.force_login(programme.admin)
    for bailleur in (programme.habitat, programme.alogea):
        assert client.get(reverse("logements:importer", args=[bailleur.pk])).status_code == 200
    assert programme.alogea.nom in client.get(reverse("logements:importer_choix")).text


def test_cesf_cannot_mobilise_the_other_landlords_dwelling(client, programme, stock):
    logement = stock[("ALOGEA", "vacant")]
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:mobiliser", args=[logement.pk])
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"mode": "sans_amenagement", "date_mobilisation": "2026-03-02"}).status_code == 403
    )
    assert not MobilisationLogement.objects.exists()


def test_social_worker_sees_mobilisations_of_available_dwellings_only(programme, stock):
    vacant = MobilisationLogementFactory(
        dispositif=programme.dispositif, logement=stock[("ALOGEA", "vacant")]
    )
    MobilisationLogementFactory(dispositif=programme.dispositif, logement=stock[("ALOGEA", "occupe")])
    assert list(MobilisationLogement.objects.visible_to(programme.ts_adaff)) == [vacant]
    assert MobilisationLogement.objects.visible_to(programme.cesf_alogea).count() == 2
    assert not MobilisationLogement.objects.visible_to(programme.financeur).exists()
