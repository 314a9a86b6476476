import pytest
from django.urls import reverse

from menages.models import Menage
from menages.search import normalize
from menages.tests.factories import IntervenantFactory, MembreFactory, MenageFactory


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("Hélène", "helene"),
        ("  LEFÈVRE  Éric ", "lefevre eric"),
        ("Maëlle", "maelle"),
        ("N’Diaye", "n'diaye"),
        ("", ""),
    ],
)
def test_normalize_removes_accents_case_and_extra_spaces(text, normalized):
    assert normalize(text) == normalized


@pytest.fixture
def menages(programme):
    helene = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Durand Hélène")
    eric = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Lefèvre Éric")
    MembreFactory(menage=eric, nom="Lefèvre", prenom="Maëlle")
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea, nom="Durand Noël")
    for menage in (helene, eric):
        IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    return helene, eric, autre


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("helene", {"Durand Hélène"}),
        ("HÉLÈNE", {"Durand Hélène"}),
        ("lefevre", {"Lefèvre Éric"}),
        ("maelle", {"Lefèvre Éric"}),  # a member's first name
        ("durand", {"Durand Hélène", "Durand Noël"}),
        ("ASEA-2026", {"Durand Hélène", "Lefèvre Éric", "Durand Noël"}),
        ("zzz", set()),
    ],
)
def test_search_ignores_accents_and_case(menages, query, expected):
    assert set(Menage.objects.search(query).values_list("nom", flat=True)) == expected


def test_search_page_respects_access_rules(client, programme, menages):
    client.force_login(programme.cesf_habitat)
    response = client.get(reverse("dossiers:liste"), {"q": "durand"})
    assert "Durand Hélène" in response.text
    assert "Durand Noël" not in response.text  # ALOGEA's household


def test_renaming_updates_the_search_form(programme, menages):
    helene, _, _ = menages
    helene.nom = "Dupré Hélène"
    helene.save(update_fields=["nom"])
    assert Menage.objects.search("dupre").get() == helene


def test_members_added_renamed_or_removed_update_the_search(programme, menages):
    helene, _, _ = menages
    membre = MembreFactory(menage=helene, nom="Ndiaye", prenom="Aïssatou")
    assert Menage.objects.search("aissatou").get() == helene
    membre.prenom = "Awa"
    membre.save()
    assert not Menage.objects.search("aissatou").exists()
    assert Menage.objects.search("ndiaye awa").get() == helene
    membre.delete()
    assert not Menage.objects.search("ndiaye").exists()


def test_a_query_never_runs_from_one_name_into_the_next(programme, menages):
    # "Lefèvre Éric" then member "Lefèvre Maëlle": "eric lefevre" spans the two names.
    assert not Menage.objects.search("eric lefevre").exists()


def test_bulk_loaded_households_are_found_after_a_refresh(programme):
    Menage.objects.bulk_create(
        [
            MenageFactory.build(
                dispositif=programme.dispositif, commune=None, nom="Garcia Inès", reference="VRAC-1"
            )
        ]
    )
    assert not Menage.objects.search("ines").exists()
    Menage.objects.filter(reference="VRAC-1").rafraichir_recherche()
    assert Menage.objects.search("ines").get().reference == "VRAC-1"
