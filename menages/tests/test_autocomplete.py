"""The household list's referent filter is searched (comptes.widgets), not a select of every social
worker: the page keeps its size and its queries as social workers are added; the search is scoped
to the user's programmes."""

from django.urls import reverse

from comptes.enums import Role
from comptes.tests.factories import DispositifFactory, OrganisationFactory, UtilisateurFactory
from menages.tests.factories import IntervenantFactory, MenageFactory
from menages.tests.test_views import make_households


def _travailleurs_sociaux(organisation, n):
    return [
        UtilisateurFactory(
            organisation=organisation,
            first_name="Sam",
            last_name=f"Référente {k:02d}",
            roles=[Role.TRAVAILLEUR_SOCIAL],
        )
        for k in range(n)
    ]


def test_list_page_does_not_grow_with_social_workers(client, programme, count_queries):
    make_households(programme, 3)
    client.force_login(programme.ts_adaff)
    url = reverse("dossiers:liste")
    client.get(url)
    avant = client.get(url)
    requetes_avant = count_queries(client.get, url)
    _travailleurs_sociaux(programme.adaff, 30)
    apres = client.get(url)
    assert count_queries(client.get, url) == requetes_avant
    assert apres.text.count("<option") == avant.text.count("<option")
    assert "Référente 00" not in apres.text
    assert 'aria-controls="id_referent_liste"' in apres.text and 'role="combobox"' in apres.text


def test_filter_on_a_chosen_referent(client, programme):
    (autre,) = _travailleurs_sociaux(programme.adaff, 1)
    siens = make_households(programme, 2)
    suivi = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Martin Léa")
    IntervenantFactory(menage=suivi, utilisateur=autre)
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("dossiers:liste"), {"referent": autre.pk, "referent_texte": str(autre)})
    assert response.status_code == 200
    assert "Martin Léa" in response.text
    assert all(m.nom not in response.text for m in siens)
    assert f'value="{autre.pk}"' in response.text and f'value="{autre}"' in response.text


def test_search_is_scoped_to_the_user_programmes_and_bounded(client, programme):
    _travailleurs_sociaux(programme.adaff, 20)
    ailleurs = OrganisationFactory(nom="Autre association", dispositifs=[DispositifFactory(code="autre")])
    UtilisateurFactory(
        organisation=ailleurs,
        first_name="Sam",
        last_name="Référente ailleurs",
        roles=[Role.TRAVAILLEUR_SOCIAL],
    )
    UtilisateurFactory(
        organisation=programme.adaff, first_name="Sam", last_name="Référente inactive", is_active=False
    )
    client.force_login(programme.ts_adaff)
    url = reverse("menages:referents")
    response = client.get(url, {"q": "référente"})
    assert response.status_code == 200
    assert response.text.count('data-value="') == 15
    assert "précisez votre recherche" in response.text
    assert "ailleurs" not in client.get(url, {"q": "ailleurs"}).text.replace("« ailleurs »", "")
    assert "inactive" not in client.get(url, {"q": "inactive"}).text.replace("« inactive »", "")


def test_search_needs_the_household_list_permission(client, programme):
    url = reverse("menages:referents")
    assert client.get(url, {"q": "a"}).status_code == 302  # anonymous: to the login page
    client.force_login(programme.financeur)
    assert client.get(url, {"q": "a"}).status_code == 403


def test_a_referent_of_another_programme_is_a_field_error_not_a_500(client, programme):
    ailleurs = OrganisationFactory(nom="Autre association", dispositifs=[DispositifFactory(code="autre")])
    etrangere = UtilisateurFactory(organisation=ailleurs, roles=[Role.TRAVAILLEUR_SOCIAL])
    make_households(programme, 2)
    client.force_login(programme.ts_adaff)
    for params in ({"referent": etrangere.pk}, {"referent": "abc"}, {"referent_texte": "zzz"}):
        response = client.get(reverse("dossiers:liste"), params)
        assert response.status_code == 200
        assert 'id="id_referent_error"' in response.text or "id_referent_error" in response.text


def test_search_queries_do_not_grow_with_social_workers(client, programme, count_queries):
    _travailleurs_sociaux(programme.adaff, 5)
    client.force_login(programme.ts_adaff)
    url = reverse("menages:referents")
    client.get(url, {"q": "sam"})
    requetes = count_queries(client.get, url, {"q": "sam"})
    _travailleurs_sociaux(programme.adaff, 30)
    assert count_queries(client.get, url, {"q": "sam"}) == requetes


def test_a_search_with_a_nul_byte_is_an_ordinary_search(client, programme):
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("menages:referents"), {"q": f"{programme.ts_adaff.last_name}\x00"})
    assert response.status_code == 200 and programme.ts_adaff.last_name in response.text
