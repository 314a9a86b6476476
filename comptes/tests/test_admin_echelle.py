"""The admin site's forms never hold a select of every household, user or contact: relations to big
models are typed as ids (config.admin.sans_select_de_masse), so an add page keeps its size and its
queries whatever the number of rows."""

import pytest
from django.contrib import admin
from django.urls import reverse

from comptes.enums import Role
from comptes.tests.factories import UtilisateurFactory
from menages.tests.factories import MembreFactory, MenageFactory


@pytest.mark.parametrize(
    "page",
    [
        "admin:accompagnement_contact_add",
        "admin:menages_diagnostic_add",
        "admin:comites_pointordredujour_add",
        "admin:logements_reclamation_add",
        "admin:menages_menage_add",
    ],
)
def test_admin_add_pages_do_not_grow_with_households_and_users(client, programme, count_queries, page):
    def rows(n):
        for _ in range(n):
            menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
            MembreFactory(menage=menage)
            UtilisateurFactory(organisation=programme.adaff, roles=[Role.TRAVAILLEUR_SOCIAL])

    rows(1)  # the referentials a household needs (its commune) exist before the first count
    programme.admin.is_superuser = True  # the admin site is the technical staff's
    programme.admin.save()
    client.force_login(programme.admin)
    url = reverse(page)
    client.get(url)
    avant = client.get(url)
    assert avant.status_code == 200
    requetes = count_queries(client.get, url)
    rows(30)
    apres = client.get(url)
    assert apres.text.count("<option") == avant.text.count("<option")
    assert count_queries(client.get, url) == requetes


def test_relations_to_big_models_are_typed_as_ids_small_referentials_stay_selects():
    from accompagnement.models import Contact
    from menages.models import Diagnostic, Menage

    assert {"menage", "auteur", "membres", "professionnels"} <= set(
        admin.site._registry[Contact].raw_id_fields
    )
    assert "besoin_communes" not in admin.site._registry[Diagnostic].raw_id_fields
    menage_admin = admin.site._registry[Menage]
    assert "cree_par" in menage_admin.raw_id_fields
    assert not {"bailleur", "commune", "dispositif"} & set(menage_admin.raw_id_fields)
