from decimal import Decimal

import pytest
from django.urls import reverse

from logements.models import Logement
from logements.selectors import RESULTATS_RAPPROCHEMENT, effort
from logements.tests.factories import LogementFactory
from menages.models import Membre, Ressource
from menages.tests.factories import DiagnosticFactory, MembreFactory, MenageFactory


def test_worked_example_with_housing_benefit():
    # 420 + 60 − 180 = 300 € paid; 300 ÷ 1 200 = 25 %; (1 200 − 300) ÷ 3 ÷ 30 = 10 € a day.
    e = effort(
        loyer=Decimal("420"),
        charges=Decimal("60"),
        ressources=Decimal("1200"),
        apl=Decimal("180"),
        personnes=3,
    )
    assert (e.depense_logement, e.taux_effort, e.reste_a_vivre) == (
        Decimal("300"),
        Decimal("25.0"),
        Decimal("10.00"),
    )


def test_worked_example_rounded():
    # 385.50 + 42.30 − 0 = 427.80; 427.80 ÷ 1 036.20 = 41.285… %; (1 036.20 − 427.80) ÷ 1 ÷ 30 = 20.28.
    e = effort(
        loyer=Decimal("385.50"),
        charges=Decimal("42.30"),
        ressources=Decimal("1036.20"),
        apl=Decimal("0"),
        personnes=1,
    )
    assert (e.taux_effort, e.reste_a_vivre) == (Decimal("41.3"), Decimal("20.28"))


def test_without_resources_there_is_no_rate_and_the_rest_is_negative():
    e = effort(
        loyer=Decimal("300"), charges=Decimal("0"), ressources=Decimal("0"), apl=Decimal("0"), personnes=2
    )
    assert e.taux_effort is None
    assert e.reste_a_vivre == Decimal("-5.00")


@pytest.fixture
def menage_diagnostique(programme, communes_aude):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    Membre.objects.filter(menage=menage).delete()
    MembreFactory.create_batch(3, menage=menage)
    Ressource.objects.create(menage=menage, type="rsa", montant_mensuel=Decimal("1000"))
    Ressource.objects.create(menage=menage, type="allocations_familiales", montant_mensuel=Decimal("200"))
    Ressource.objects.create(menage=menage, type="apl", montant_mensuel=Decimal("180"))
    diagnostic = DiagnosticFactory(
        menage=menage, auteur=programme.ts_adaff, besoin_typologie="T3", besoin_loyer_max=Decimal("500")
    )
    diagnostic.besoin_communes.set([communes_aude["narbonne"]])
    return menage


def test_matching_lists_fitting_available_dwellings_of_both_landlords(
    client, programme, communes_aude, menage_diagnostique
):
    narbonne = communes_aude["narbonne"]
    LogementFactory(bailleur=programme.habitat, commune=narbonne, vacant=True, adresse="1 rue A")
    LogementFactory(bailleur=programme.alogea, commune=narbonne, en_rotation=True, adresse="2 rue B")
    LogementFactory(bailleur=programme.habitat, commune=narbonne, adresse="3 rue occupée")
    LogementFactory(
        bailleur=programme.habitat, commune=narbonne, vacant=True, typologie="T2", adresse="4 rue T2"
    )
    LogementFactory(
        bailleur=programme.habitat, commune=narbonne, vacant=True, loyer=Decimal("450"), adresse="5 rue chère"
    )
    LogementFactory(
        bailleur=programme.habitat,
        commune=communes_aude["carcassonne"],
        vacant=True,
        adresse="6 rue ailleurs",
    )
    client.force_login(programme.cesf_habitat)
    text = client.get(reverse("logements:rapprochement", args=[menage_diagnostique.pk])).text
    assert "1 rue A" in text and "2 rue B" in text
    for absent in ("3 rue occupée", "4 rue T2", "5 rue chère", "6 rue ailleurs"):
        assert absent not in text
    # 420 + 60 − 180 = 300 € for 1 200 € of resources (APL apart), 3 people.
    assert "25,0\u00a0%" in text
    assert "10\u00a0€" in text
    assert "Taux d’effort = (loyer + charges − APL/AL) ÷ ressources mensuelles hors APL/AL" in text


def test_matching_without_diagnostic_says_so(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    client.force_login(programme.cesf_habitat)
    assert "pas encore de diagnostic" in client.get(reverse("logements:rapprochement", args=[menage.pk])).text


def test_matching_accessibility_need(client, programme, communes_aude, menage_diagnostique):
    menage_diagnostique.diagnostics.update(besoin_accessibilite=True)
    narbonne = communes_aude["narbonne"]
    LogementFactory(bailleur=programme.habitat, commune=narbonne, vacant=True, adresse="1 rue marches")
    LogementFactory(
        bailleur=programme.habitat,
        commune=narbonne,
        vacant=True,
        accessible_pmr=True,
        adresse="2 rue plain-pied",
    )
    client.force_login(programme.cesf_habitat)
    text = client.get(reverse("logements:rapprochement", args=[menage_diagnostique.pk])).text
    assert "2 rue plain-pied" in text and "1 rue marches" not in text


def test_other_landlords_cesf_cannot_match_this_household(client, programme, menage_diagnostique):
    client.force_login(programme.cesf_alogea)
    assert client.get(reverse("logements:rapprochement", args=[menage_diagnostique.pk])).status_code == 404


def test_matching_query_count_does_not_grow(
    client, programme, communes_aude, menage_diagnostique, count_queries, django_assert_max_num_queries
):
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:rapprochement", args=[menage_diagnostique.pk])
    LogementFactory(bailleur=programme.habitat, commune=communes_aude["narbonne"], vacant=True)
    # With the current programme's id, read once for the page; 18 when the dwellings were
    # counted apart.
    with django_assert_max_num_queries(17):
        one = count_queries(client.get, url)
    avant = client.get(url).context["nombre"]
    for _ in range(RESULTATS_RAPPROCHEMENT + 5):
        LogementFactory(bailleur=programme.alogea, commune=communes_aude["narbonne"], vacant=True)
    assert count_queries(client.get, url) == one
    # All that fit are counted, the cheapest shown.
    response = client.get(url)
    nombre = avant + RESULTATS_RAPPROCHEMENT + 5
    assert (
        response.context["nombre"] == nombre and len(response.context["logements"]) == RESULTATS_RAPPROCHEMENT
    )
    assert f"les {RESULTATS_RAPPROCHEMENT} moins chers sont affichés" in response.text


def test_matching_counts_none_when_nothing_fits(client, programme, menage_diagnostique):
    Logement.objects.all().delete()
    client.force_login(programme.cesf_habitat)
    response = client.get(reverse("logements:rapprochement", args=[menage_diagnostique.pk]))
    assert response.context["nombre"] == 0 and response.context["logements"] == []
    assert "0 logement disponible correspond aux besoins." in response.text


def test_household_page_links_the_matching(client, programme, menage_diagnostique):
    client.force_login(programme.cesf_habitat)
    text = client.get(reverse("dossiers:detail", args=[menage_diagnostique.pk])).text
    assert reverse("logements:rapprochement", args=[menage_diagnostique.pk]) in text


def test_matching_counts_only_the_members_present_today(
    client, programme, communes_aude, menage_diagnostique
):
    import datetime

    from django.utils import timezone

    from logements.selectors import membres_presents, rapprochement

    today = timezone.localdate()
    # Three present (fixture); one left yesterday, one arrives next month, one born tomorrow.
    MembreFactory(menage=menage_diagnostique, date_sortie=today - datetime.timedelta(days=1))
    MembreFactory(menage=menage_diagnostique, date_entree=today + datetime.timedelta(days=30))
    MembreFactory(menage=menage_diagnostique, date_naissance=today + datetime.timedelta(days=1))
    # One leaving today is still there today.
    partant = MembreFactory(menage=menage_diagnostique, date_sortie=today)
    assert membres_presents(menage_diagnostique, today).count() == 4
    assert partant not in membres_presents(menage_diagnostique, today + datetime.timedelta(days=1))

    LogementFactory(bailleur=programme.habitat, commune=communes_aude["narbonne"], vacant=True)
    resultat = rapprochement(menage_diagnostique, programme.cesf_habitat)
    assert resultat["personnes"] == 4
    # 420 + 60 − 180 = 300 € for 1 200 €: (1 200 − 300) ÷ 4 ÷ 30 = 7,50 € a day.
    assert resultat["logements"][0][1].reste_a_vivre == Decimal("7.50")
    client.force_login(programme.cesf_habitat)
    text = client.get(reverse("logements:rapprochement", args=[menage_diagnostique.pk])).text
    assert "4 personnes" in text and "7,50\u00a0€" in text
