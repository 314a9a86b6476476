"""The intervention form chooses a professional by search (comptes.widgets): the page does not grow
with the programme's users, the search is scoped to the household's programme, and a pk from
elsewhere is refused with a French message."""

import pytest
from django.urls import reverse

from comptes.enums import Role
from comptes.tests.factories import DispositifFactory, OrganisationFactory, UtilisateurFactory
from menages.models import Intervenant


def _professionnels(organisation, n, nom="Collègue"):
    # Logins of their own: the search also reads the login, and the factory's (« utilisateur1030 »)
    # made « Collègue 03 » find two colleagues, depending on how many users earlier tests created.
    return [
        UtilisateurFactory(
            organisation=organisation,
            first_name="Alex",
            last_name=f"{nom} {k:02d}",
            username=f"{nom}.{k:02d}",
        )
        for k in range(n)
    ]


def test_form_page_does_not_grow_with_the_programme_users(client, programme, menage, count_queries):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:intervenant", args=[menage.pk])
    client.get(url)
    avant = client.get(url)
    requetes_avant = count_queries(client.get, url)
    _professionnels(programme.adaff, 30)
    apres = client.get(url)
    assert count_queries(client.get, url) == requetes_avant
    assert apres.text.count("<option") == avant.text.count("<option")
    assert "Collègue 00" not in apres.text
    assert 'role="combobox"' in apres.text and 'aria-controls="id_utilisateur_liste"' in apres.text
    assert 'role="listbox"' in apres.text


def test_search_returns_a_bounded_page_of_the_programme_professionals(client, programme, menage):
    _professionnels(programme.adaff, 30)
    ailleurs = OrganisationFactory(nom="Autre programme", dispositifs=[DispositifFactory(code="autre")])
    UtilisateurFactory(organisation=ailleurs, first_name="Alex", last_name="Collègue ailleurs")
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:intervenant_professionnels", args=[menage.pk])
    response = client.get(url, {"q": "collègue"})
    assert response.status_code == 200
    assert response.text.count('role="option" class="list-group-item list-group-item-action"') == 15
    assert "précisez votre recherche" in response.text
    assert "Collègue ailleurs" not in response.text
    precise = client.get(url, {"q": "Collègue 07"})
    assert "Alex Collègue 07 (ADAFF)" in precise.text and "Collègue 08" not in precise.text
    assert "Aucun résultat pour « zzz »" in client.get(url, {"q": "zzz"}).text


def test_search_is_refused_outside_the_scope_and_without_the_permission(client, programme, menage):
    url = reverse("accompagnement:intervenant_professionnels", args=[menage.pk])
    client.force_login(programme.ts_hdm)  # not on this household: out of scope
    assert client.get(url, {"q": "a"}).status_code == 404
    client.force_login(programme.cesf_habitat)  # sees the household, may not add an intervention
    assert client.get(url, {"q": "a"}).status_code == 403


def test_chosen_professional_is_added(client, programme, menage):
    (collegue,) = _professionnels(programme.adaff, 1)
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:intervenant", args=[menage.pk])
    data = {"type": "referent", "utilisateur": collegue.pk, "utilisateur_texte": str(collegue)}
    response = client.post(url, {**data, "date_debut": "2026-03-02"})
    assert response.status_code == 302
    assert Intervenant.objects.filter(menage=menage, utilisateur=collegue).exists()


def test_a_user_of_another_programme_is_refused_with_a_french_message(client, programme, menage):
    ailleurs = OrganisationFactory(nom="Autre programme", dispositifs=[DispositifFactory(code="autre")])
    etranger = UtilisateurFactory(organisation=ailleurs, roles=[Role.TRAVAILLEUR_SOCIAL])
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:intervenant", args=[menage.pk])
    for pk in (etranger.pk, "abc", "99999999999999999999"):
        data = {
            "type": "referent",
            "utilisateur": pk,
            "utilisateur_texte": "Camille",
            "date_debut": "2026-03-02",
        }
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Ce choix n’est pas possible ici" in response.text
        assert 'value="Camille"' in response.text  # the typed text is kept
    assert not Intervenant.objects.filter(utilisateur=etranger).exists()


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [("Collègue 03", None), ("Collègue", "Plusieurs résultats pour « Collègue »"), ("zzz", "Aucun résultat")],
)
def test_without_javascript_the_typed_name_is_resolved(client, programme, menage, texte, attendu):
    collegues = _professionnels(programme.adaff, 5)
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:intervenant", args=[menage.pk])
    data = {"type": "referent", "utilisateur": "", "utilisateur_texte": texte, "date_debut": "2026-03-02"}
    response = client.post(url, data)
    if attendu is None:
        assert response.status_code == 302
        assert Intervenant.objects.filter(menage=menage, utilisateur=collegues[3]).exists()
    else:
        assert response.status_code == 200
        assert attendu in response.text and f'value="{texte}"' in response.text


def test_search_queries_do_not_grow_with_the_programme_users(client, programme, menage, count_queries):
    _professionnels(programme.adaff, 5)
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:intervenant_professionnels", args=[menage.pk])
    client.get(url, {"q": "alex"})
    requetes = count_queries(client.get, url, {"q": "alex"})
    _professionnels(programme.adaff, 30, nom="Renfort")
    assert count_queries(client.get, url, {"q": "alex"}) == requetes
