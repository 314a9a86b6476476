"""A committee body's settings (rhythm, quorum, usual place), edited by the programme's
administrator: other roles get 403, another programme's body 404; the change is in the audit trail
and the new quorum counts at once."""

from auditlog.models import LogEntry
from django.urls import reverse

from comites import services
from comites.enums import TypeInstance
from comites.tests.factories import InstanceFactory, MembreInstanceFactory
from comptes.tests.factories import DispositifFactory


def test_administrator_sets_the_quorum_recorded_in_the_trail(client, programme, comite, seance):
    client.force_login(programme.admin)
    url = reverse("comites:instance_parametrer", args=[comite.pk])
    response = client.post(
        url, {"nom": comite.nom, "quorum_pourcentage": "75", "lieu_habituel": "Carcassonne"}
    )
    assert response.status_code == 302
    comite.refresh_from_db()
    assert comite.quorum_pourcentage == 75
    assert services.quorum(seance)[1] == 3  # 75 % of the 4 voting members
    entry = LogEntry.objects.get_for_object(comite).get(action=LogEntry.Action.UPDATE)
    assert entry.actor == programme.admin and entry.changes_dict["quorum_pourcentage"] == ["50", "75"]


def test_quorum_out_of_range_is_said_in_french(client, programme, comite):
    client.force_login(programme.admin)
    url = reverse("comites:instance_parametrer", args=[comite.pk])
    response = client.post(url, {"nom": comite.nom, "quorum_pourcentage": "120"})
    assert "Le quorum ne peut pas dépasser 100 % des membres votants." in response.text
    response = client.post(url, {"nom": comite.nom, "quorum_pourcentage": "0"})
    assert "Le quorum est d’au moins 1 %." in response.text


def test_the_committees_rhythm_is_the_programmes_another_bodys_its_own(client, programme, comite):
    client.force_login(programme.admin)
    page = client.get(reverse("comites:instance_parametrer", args=[comite.pk])).text
    assert 'name="rythme_mois"' not in page and "paramètres du dispositif" in page
    autre = InstanceFactory(
        dispositif=programme.dispositif, type=TypeInstance.SUIVI_OPERATIONNEL, nom="Commission"
    )
    page = client.get(reverse("comites:instance_parametrer", args=[autre.pk])).text
    assert 'name="rythme_mois"' in page


def test_only_administrators_and_only_their_programmes_bodies(client, programme, comite):
    autre = InstanceFactory(dispositif=DispositifFactory(code="asea-herault", nom="ASEA Hérault"))
    pages = [reverse("comites:instances"), reverse("comites:instance_parametrer", args=[comite.pk])]
    for user in (programme.comite, programme.ts_adaff, programme.financeur):
        client.force_login(user)
        assert {client.get(url).status_code for url in pages} == {403}, user
    client.force_login(programme.admin)
    assert {client.get(url).status_code for url in pages} == {200}
    assert client.get(reverse("comites:instance_parametrer", args=[autre.pk])).status_code == 404


def test_list_of_bodies_does_not_grow_in_queries(client, programme, comite, count_queries):
    client.force_login(programme.admin)
    url = reverse("comites:instances")
    avant = count_queries(client.get, url)
    for n in range(3):
        instance = InstanceFactory(
            dispositif=programme.dispositif, type=TypeInstance.SUIVI_OPERATIONNEL, nom=f"C{n}"
        )
        MembreInstanceFactory(instance=instance, utilisateur=programme.comite)
    assert count_queries(client.get, url) == avant
