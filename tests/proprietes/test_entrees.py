"""Property-based tests: whatever people type or put in a URL, the app answers with a page or a
clear refusal, never a server error (500)."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from menages.tests.factories import IntervenantFactory, MenageFactory

# Any text, including control characters, very long strings, quotes and Unicode oddities.
texte = st.text(max_size=300)
ENTREES = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def connecte(programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    client = Client(raise_request_exception=False)
    client.force_login(programme.ts_adaff)
    return client, menage


def no_server_error(response):
    assert response.status_code < 500, response.status_code


@ENTREES
@given(params=st.dictionaries(st.sampled_from(["q", "etat", "bailleur", "commune", "niveau", "referent",
                                               "source_orientation", "probleme", "mes_menages", "page"]),
                              texte, max_size=6))  # fmt: skip
def test_household_list_with_any_query_string(connecte, params):
    client, _ = connecte
    no_server_error(client.get(reverse("dossiers:liste"), params))


@ENTREES
@given(
    data=st.fixed_dictionaries(
        {
            "nom": texte,
            "telephone": texte,
            "email": texte,
            "date_saisine": texte,
            "source_orientation": texte,
            "problematique": texte,
            "situation_logement": texte,
            "date_information": texte,
            "bailleur": texte,
            "commune": texte,
            "problemes": st.lists(texte, max_size=3),
        }
    )
)
def test_household_form_with_any_input(connecte, data):
    client, _ = connecte
    no_server_error(client.post(reverse("menages:creer"), data))


@ENTREES
@given(
    data=st.fixed_dictionaries(
        {
            "type": texte,
            "date": texte,
            "duree_minutes": texte,
            "note": texte,
            "confidentialite": texte,
            "version": texte,
            "axes": st.lists(texte, max_size=3),
            "membres": st.lists(texte, max_size=2),
        }  # fmt: skip
    )
)
def test_contact_form_with_any_input(connecte, data):
    client, menage = connecte
    no_server_error(client.post(reverse("accompagnement:contact", args=[menage.pk]), data))


@ENTREES
@given(vers=texte, motif=texte, motif_sortie=texte)
def test_transition_with_any_input(connecte, vers, motif, motif_sortie):
    client, menage = connecte
    url = reverse("menages:transition", args=[menage.pk])
    no_server_error(client.post(url, {"vers": vers, "motif": motif, "motif_sortie": motif_sortie}))


@ENTREES
@given(
    token=st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/"),
        min_size=1,
        max_size=200,
    )
)
def test_public_links_with_any_token(connecte, token):
    client = Client(raise_request_exception=False)
    for name in ("menages:validation_publique", "rappels:desinscription", "comites:avis_par_lien"):
        no_server_error(client.get(reverse(name, args=[token])))
        no_server_error(client.post(reverse(name, args=[token]), {"commentaire": "x"}))


@ENTREES
@given(page=texte, initiales=texte)
def test_detail_pages_with_any_query_string(connecte, page, initiales):
    client, menage = connecte
    for url in (
        menage.get_absolute_url(),
        reverse("accompagnement:contacts", args=[menage.pk]),
        reverse("rappels:centre"),
    ):
        no_server_error(client.get(url, {"page": page, "initiales": initiales}))


@pytest.mark.parametrize(
    "value", ["\x00", "a\x00b", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"), "é" * 5000]
)
def test_awkward_characters_in_search_and_forms(connecte, value):
    client, menage = connecte
    no_server_error(client.get(reverse("dossiers:liste"), {"q": value, "commune": value}))
    no_server_error(client.post(reverse("menages:creer"), {"nom": value, "email": value}))
    no_server_error(
        client.post(
            reverse("accompagnement:contact", args=[menage.pk]), {"type": "vad", "note": value, "date": value}
        )
    )
