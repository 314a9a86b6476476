import pytest
from django.urls import reverse

from menages.tests.factories import IntervenantFactory, MenageFactory


@pytest.fixture
def menage(programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Durand Hélène")
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    return menage


@pytest.mark.parametrize(
    ("persona", "expected", "absent"),
    [
        ("ts_adaff", ["Mes ménages", "Durand Hélène"], ["Le dispositif en chiffres", "Administration</h2>"]),
        ("cesf_habitat", ["Mes ménages", "Durand Hélène"], ["Le dispositif en chiffres"]),
        ("cesf_alogea", ["Mes ménages", "Aucun ménage ne vous est confié"], ["Durand Hélène"]),
        ("financeur", ["Le dispositif en chiffres", "Par bailleur"], ["Mes ménages", "Durand Hélène"]),
        ("comite", ["Comité de suivi", "Le dispositif en chiffres"], ["Mes ménages", "Durand Hélène"]),
        ("admin", ["Ménages du dispositif", "Paramétrer le dispositif"], ["Le dispositif en chiffres"]),
    ],
)
def test_each_role_gets_its_dashboard(client, programme, menage, persona, expected, absent):
    client.force_login(getattr(programme, persona))
    response = client.get(reverse("tableau_de_bord"))
    assert response.status_code == 200
    for text in expected:
        assert text in response.text
    for text in absent:
        assert text not in response.text


def test_funder_dashboard_masks_small_counts(client, programme, menage):
    client.force_login(programme.financeur)
    response = client.get(reverse("tableau_de_bord"))
    assert "&lt; 3 ménage" in response.text


def test_navigation_follows_roles(client, programme, menage):
    client.force_login(programme.financeur)
    assert reverse("menages:liste") not in client.get(reverse("tableau_de_bord")).text
    client.force_login(programme.ts_adaff)
    assert reverse("menages:liste") in client.get(reverse("tableau_de_bord")).text


@pytest.mark.parametrize("persona", ["ts_adaff", "financeur", "admin"])
def test_dashboard_query_count_does_not_grow_with_households(client, programme, count_queries, persona):
    client.force_login(getattr(programme, persona))
    for _ in range(2):
        m = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
        IntervenantFactory(menage=m, utilisateur=programme.ts_adaff)
    few = count_queries(client.get, reverse("tableau_de_bord"))
    for _ in range(30):
        m = MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea)
        IntervenantFactory(menage=m, utilisateur=programme.ts_adaff)
    many = count_queries(client.get, reverse("tableau_de_bord"))
    assert few == many
