"""The household's composition in one go: several members added and others removed in the same
form, removals confirmed first and named again once saved, every change in the audit trail, and
nothing typed lost on an error or when a row is added."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from menages.enums import EtatParcours
from menages.models import Membre
from menages.tests.factories import IntervenantFactory, MembreFactory, MenageFactory


@pytest.fixture
def menage(programme):
    menage = MenageFactory(
        dispositif=programme.dispositif, bailleur=programme.habitat, etat=EtatParcours.DIAGNOSTIC
    )
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    return menage


def _gestion(total, initial):
    return {
        "membres-TOTAL_FORMS": str(total),
        "membres-INITIAL_FORMS": str(initial),
        "membres-MIN_NUM_FORMS": "0",
        "membres-MAX_NUM_FORMS": "1000",
    }


def _existant(i, membre, **extra):
    return {
        f"membres-{i}-id": membre.pk,
        f"membres-{i}-menage": membre.menage_id,
        f"membres-{i}-prenom": membre.prenom,
        f"membres-{i}-nom": membre.nom,
        f"membres-{i}-lien": membre.lien,
        **{f"membres-{i}-{k}": v for k, v in extra.items()},
    }


def _nouveau(i, prenom, nom="Martin", lien="enfant", **extra):
    return {
        f"membres-{i}-prenom": prenom,
        f"membres-{i}-nom": nom,
        f"membres-{i}-lien": lien,
        **{f"membres-{i}-{k}": v for k, v in extra.items()},
    }


def test_the_form_offers_several_empty_rows_each_named(client, programme, menage):
    MembreFactory(menage=menage, prenom="Léa", nom="Martin")
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("menages:composition", args=[menage.pk]))
    formset = response.context["formsets"]["membres"]
    assert len(formset.forms) == 1 + 3
    assert len(formset.extra_forms) == 3
    assert response.text.count(">Nouveau membre</legend>") == 3
    assert ">Membre : Léa Martin</legend>" in response.text


def test_members_added_and_removed_in_one_go_confirmed_then_audited(client, programme, menage):
    lea = MembreFactory(menage=menage, prenom="Léa", nom="Martin", lien="chef")
    paul = MembreFactory(menage=menage, prenom="Paul", nom="Martin", lien="conjoint")
    client.force_login(programme.ts_adaff)
    url = reverse("menages:composition", args=[menage.pk])
    data = {
        **_gestion(5, 2),
        **_existant(0, lea),
        **_existant(1, paul, DELETE="on"),
        **_nouveau(2, "Noé"),
        **_nouveau(3, "Inès"),
        # row 4 left empty: ignored
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["a_supprimer"] == ["Membre du ménage : Paul Martin"]
    assert "Supprimer 1 ligne et enregistrer" in response.text
    assert 'value="Noé"' in response.text and 'value="Inès"' in response.text  # kept
    assert set(Membre.objects.filter(menage=menage)) == {lea, paul}  # nothing saved yet

    response = client.post(url, {**data, "confirmer_suppression": "1"}, follow=True)
    assert sorted(m.prenom for m in Membre.objects.filter(menage=menage)) == ["Inès", "Léa", "Noé"]
    message = [str(m) for m in response.context["messages"]]
    assert message == [
        "Les modifications sont enregistrées. Supprimé du dossier : Membre du ménage : Paul Martin."
    ]

    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Membre))
    supprime = entries.get(action=LogEntry.Action.DELETE)
    assert supprime.object_pk == str(paul.pk) and supprime.actor == programme.ts_adaff
    crees = entries.filter(action=LogEntry.Action.CREATE, actor=programme.ts_adaff)
    assert sorted(e.object_repr for e in crees) == ["Inès Martin", "Noé Martin"]


def test_an_error_keeps_every_row_typed_and_deletes_nothing(client, programme, menage):
    lea = MembreFactory(menage=menage, prenom="Léa", nom="Martin")
    client.force_login(programme.ts_adaff)
    url = reverse("menages:composition", args=[menage.pk])
    data = {
        **_gestion(3, 1),
        **_existant(0, lea, DELETE="on"),
        **_nouveau(1, "Noé"),
        **_nouveau(2, "", nom="Sans-Prénom"),  # the first name is missing
        "confirmer_suppression": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["formsets"]["membres"].forms[2].errors["prenom"]
    assert 'value="Noé"' in response.text and 'value="Sans-Prénom"' in response.text
    assert list(Membre.objects.filter(menage=menage)) == [lea]


def test_add_a_row_works_without_javascript_and_saves_nothing(client, programme, menage):
    client.force_login(programme.ts_adaff)
    url = reverse("menages:composition", args=[menage.pk])
    data = {
        **_gestion(3, 0),
        **_nouveau(0, "Noé"),
        **_nouveau(1, "Inès"),
        **_nouveau(2, "Jade"),
        "ajouter_ligne": "membres",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    formset = response.context["formsets"]["membres"]
    assert len(formset.forms) == 4
    assert 'name="membres-TOTAL_FORMS" value="4"' in response.text
    assert all(f'value="{p}"' in response.text for p in ("Noé", "Inès", "Jade"))
    assert "autofocus" in str(formset.forms[3]["prenom"])
    assert not Membre.objects.filter(menage=menage).exists()

    data = {**data, **_gestion(4, 0), **_nouveau(3, "Lou")}
    del data["ajouter_ligne"]
    assert client.post(url, data).status_code == 302
    assert sorted(m.prenom for m in Membre.objects.filter(menage=menage)) == ["Inès", "Jade", "Lou", "Noé"]


def test_a_damaged_row_count_is_an_error_not_a_500(client, programme, menage):
    client.force_login(programme.ts_adaff)
    url = reverse("menages:composition", args=[menage.pk])
    response = client.post(url, {**_gestion("x", 0), "ajouter_ligne": "membres"})
    assert response.status_code == 200
    response = client.post(url, {**_gestion("x", 0)})
    assert response.status_code == 200
    assert not Membre.objects.filter(menage=menage).exists()


def test_composition_is_not_open_to_a_household_out_of_scope(client, programme, menage):
    client.force_login(programme.ts_hdm)
    assert client.get(reverse("menages:composition", args=[menage.pk])).status_code == 404


def test_composition_queries_are_bounded_and_do_not_grow_with_members(
    client, programme, menage, count_queries, django_assert_max_num_queries
):
    MembreFactory(menage=menage, prenom="Léa", nom="Martin")
    client.force_login(programme.ts_adaff)
    url = reverse("menages:composition", args=[menage.pk])
    client.get(url)
    with django_assert_max_num_queries(12):  # with the current programme's id, read once
        un = count_queries(client.get, url)
    MembreFactory.create_batch(6, menage=menage)
    response = client.get(url)
    assert count_queries(client.get, url) == un
    assert response.text.count('<div id="div_id_membres-6-prenom" class="mb-3">') == 1
