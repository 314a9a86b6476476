"""The programme administrator's French pages: organisations and programme settings, within the
programmes of the administrator's organisation; other roles get 403, another programme's records
404; every change is in the audit trail."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from comptes.enums import CodeNiveau, Role, TypeOrganisation
from comptes.models import Dispositif, NiveauAccompagnement, Organisation
from comptes.tests.factories import DispositifFactory, OrganisationFactory, UtilisateurFactory, user_with_role
from comptes.tests.niveaux import NIVEAUX


@pytest.fixture
def autre(programme):
    """Another département's programme on the same instance, with its own association."""
    dispositif = DispositifFactory(code="asea-herault", nom="ASEA Hérault", territoire="Hérault")
    return OrganisationFactory(nom="Association de l’Hérault", dispositifs=[dispositif])


def parametres(dispositif, **changes):
    """The settings form's data as the page sends it back, with `changes`."""
    data = {
        "nom": dispositif.nom,
        "territoire": dispositif.territoire,
        "date_debut": f"{dispositif.date_debut:%Y-%m-%d}",
        "duree_mois": dispositif.duree_mois,
        "objectif_menages_total": dispositif.objectif_menages_total,
        "objectif_menages_par_an": dispositif.objectif_menages_par_an,
        "objectif_menages_par_bailleur": dispositif.objectif_menages_par_bailleur,
        "objectif_logements_mobilises": dispositif.objectif_logements_mobilises,
        "rythme_comite_mois": dispositif.rythme_comite_mois,
        "validite_lien_validation_jours": dispositif.validite_lien_validation_jours,
        "rappel_validation_financeurs_jours": dispositif.rappel_validation_financeurs_jours,
        "rappel_diagnostic_jours": dispositif.rappel_diagnostic_jours,
        "rappel_seance_jours": dispositif.rappel_seance_jours,
        "rappel_avis_jours": dispositif.rappel_avis_jours,
        "renouvellement_information_mois": dispositif.renouvellement_information_mois,
        "retention_mois": dispositif.retention_mois,
        "seuil_impayes_mois": "2",
    }
    niveaux = list(dispositif.niveaux.order_by("ordre"))
    data.update(
        {
            "niveaux-TOTAL_FORMS": len(niveaux),
            "niveaux-INITIAL_FORMS": len(niveaux),
            "niveaux-MIN_NUM_FORMS": 0,
            "niveaux-MAX_NUM_FORMS": 1000,
        }
    )
    for i, niveau in enumerate(niveaux):
        data.update(
            {
                f"niveaux-{i}-id": niveau.pk,
                f"niveaux-{i}-libelle": niveau.libelle,
                f"niveaux-{i}-description": niveau.description,
                f"niveaux-{i}-duree_min_mois": niveau.duree_min_mois or "",
                f"niveaux-{i}-duree_max_mois": niveau.duree_max_mois or "",
            }
        )
    data.update(changes)
    return data


@pytest.fixture
def niveaux(programme):
    for niveau in NIVEAUX:
        NiveauAccompagnement.objects.create(dispositif=programme.dispositif, **niveau)


def test_only_administrators_open_the_programme_pages(client, programme):
    pages = [
        reverse("administration_organisations"),
        reverse("administration_organisation_creer"),
        reverse("administration_organisation_modifier", args=[programme.habitat.pk]),
        reverse("administration_dispositifs"),
        reverse("administration_dispositif", args=[programme.dispositif.pk]),
    ]
    for user in (programme.ts_adaff, programme.cesf_habitat, programme.financeur, programme.comite):
        client.force_login(user)
        assert {client.get(url).status_code for url in pages} == {403}, user
    client.force_login(programme.admin)
    assert {client.get(url).status_code for url in pages} == {200}


def test_another_programmes_records_are_404(client, programme, autre):
    client.force_login(programme.admin)
    assert client.get(reverse("administration_organisation_modifier", args=[autre.pk])).status_code == 404
    dispositif = autre.dispositifs.get()
    assert client.get(reverse("administration_dispositif", args=[dispositif.pk])).status_code == 404
    page = client.get(reverse("administration_organisations")).text
    assert "Association de l’Hérault" not in page and "Habitat Audois" in page
    assert "ASEA Hérault" not in client.get(reverse("administration_dispositifs")).text


def test_administrator_creates_an_organisation_in_the_programme_recorded_in_the_trail(client, programme):
    client.force_login(programme.admin)
    response = client.post(
        reverse("administration_organisation_creer"),
        {"nom": "Soliha Aude", "sigle": "SOLIHA", "type": TypeOrganisation.PARTENAIRE_IML,
         "dispositifs": [programme.dispositif.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    organisation = Organisation.objects.get(nom="Soliha Aude")
    assert list(organisation.dispositifs.all()) == [programme.dispositif]
    entries = LogEntry.objects.get_for_object(organisation)
    assert entries.filter(action=LogEntry.Action.CREATE, actor=programme.admin).exists()
    assert entries.filter(changes__icontains="dispositifs").exists()


def test_an_organisations_part_in_other_programmes_is_kept(client, programme, autre):
    herault = autre.dispositifs.get()
    programme.hdm.dispositifs.add(herault)
    client.force_login(programme.admin)
    response = client.post(
        reverse("administration_organisation_modifier", args=[programme.hdm.pk]),
        {"nom": "HDM", "sigle": "HDM", "type": TypeOrganisation.PARTENAIRE_IML, "dispositifs": [programme.dispositif.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    assert set(programme.hdm.dispositifs.all()) == {programme.dispositif, herault}
    assert LogEntry.objects.get_for_object(programme.hdm).filter(actor=programme.admin).exists()


def test_organisation_form_errors_are_in_french_and_keep_what_was_typed(client, programme, autre):
    client.force_login(programme.admin)
    herault = autre.dispositifs.get()
    response = client.post(
        reverse("administration_organisation_creer"),
        {"nom": "ALOGEA", "sigle": "Sigle tapé", "type": TypeOrganisation.BAILLEUR, "dispositifs": [herault.pk]},
    )  # fmt: skip
    assert response.status_code == 200
    page = response.text
    assert "Une organisation porte déjà ce nom." in page
    assert "Sélectionnez un choix valide" in page  # a programme that is not the administrator's
    assert 'value="Sigle tapé"' in page


def test_organisation_list_does_not_grow_in_queries(client, programme, count_queries):
    client.force_login(programme.admin)
    url = reverse("administration_organisations")
    client.get(url)
    avant = count_queries(client.get, url)
    for n in range(5):
        org = OrganisationFactory(nom=f"Association {n}", dispositifs=[programme.dispositif])
        UtilisateurFactory(organisation=org)
    assert count_queries(client.get, url) == avant


def test_programme_list_does_not_grow_in_queries(client, programme, niveaux, count_queries):
    client.force_login(programme.admin)
    url = reverse("administration_dispositifs")
    client.get(url)
    avant = count_queries(client.get, url)
    for n in range(3):
        autre = DispositifFactory(code=f"autre-{n}", nom=f"Autre {n}")
        programme.adaff.dispositifs.add(autre)
        NiveauAccompagnement.objects.create(dispositif=autre, **NIVEAUX[0])
    assert count_queries(client.get, url) == avant


def test_settings_page_is_bounded_in_queries_and_its_funders_a_described_group(
    client, programme, niveaux, count_queries, django_assert_max_num_queries
):
    client.force_login(programme.admin)
    url = reverse("administration_dispositif", args=[programme.dispositif.pk])
    client.get(url)
    with django_assert_max_num_queries(12):
        avant = count_queries(client.get, url)
    for n in range(3):
        financeur = OrganisationFactory(nom=f"Financeur {n}", type=TypeOrganisation.FINANCEUR)
        financeur.dispositifs.add(programme.dispositif)
    response = client.get(url)
    assert count_queries(client.get, url) == avant
    # The check box list of funders: a fieldset named by its legend, one labelled box per funder.
    texte = response.text
    assert (
        '<fieldset aria-describedby="id_financeurs_validation_requise_helptext"><legend class="form-label fs-6">'
        in texte
    )
    assert 'for="id_financeurs_validation_requise_0" class="form-check-label"' in texte


def test_a_level_whose_minimum_exceeds_its_maximum_is_refused(client, programme, niveaux):
    client.force_login(programme.admin)
    dispositif = programme.dispositif
    data = parametres(dispositif, **{"niveaux-0-duree_min_mois": "6", "niveaux-0-duree_max_mois": "3"})
    response = client.post(reverse("administration_dispositif", args=[dispositif.pk]), data)
    assert response.status_code == 200
    assert "La durée maximale (3 mois) est inférieure à la durée minimale (6 mois)." in response.text
    assert (
        NiveauAccompagnement.objects.get(dispositif=dispositif, code=CodeNiveau.NIVEAU_1).duree_max_mois == 3
    )


def test_settings_are_saved_with_levels_and_recorded(client, programme, niveaux):
    client.force_login(programme.admin)
    dispositif = programme.dispositif
    data = parametres(
        dispositif, rythme_comite_mois="3", seuil_impayes_mois="2,5", **{"niveaux-1-duree_max_mois": "18"}
    )
    response = client.post(reverse("administration_dispositif", args=[dispositif.pk]), data)
    assert response.status_code == 302
    dispositif.refresh_from_db()
    assert dispositif.rythme_comite_mois == 3 and str(dispositif.seuil_impayes_mois) == "2.5"
    niveau_2 = dispositif.niveaux.get(code=CodeNiveau.NIVEAU_2)
    assert niveau_2.duree_max_mois == 18
    assert LogEntry.objects.get_for_object(dispositif).filter(actor=programme.admin).exists()
    assert LogEntry.objects.get_for_object(niveau_2).filter(actor=programme.admin).exists()


def test_objectives_are_checked_against_the_total(client, programme, niveaux):
    client.force_login(programme.admin)
    dispositif = programme.dispositif
    data = parametres(dispositif, objectif_menages_total="20", objectif_menages_par_an="30")
    response = client.post(reverse("administration_dispositif", args=[dispositif.pk]), data)
    assert "L’objectif annuel (30) dépasse l’objectif total de ménages (20)." in response.text


def test_shortening_retention_asks_for_confirmation(client, programme, niveaux):
    client.force_login(programme.admin)
    dispositif = programme.dispositif
    url = reverse("administration_dispositif", args=[dispositif.pk])
    response = client.post(url, parametres(dispositif, retention_mois="12"))
    assert response.status_code == 200
    assert "Raccourcir la conservation de 24 à 12 mois" in response.text
    assert 'type="checkbox" name="confirmer"' in response.text
    assert Dispositif.objects.get(pk=dispositif.pk).retention_mois == 24
    assert (
        "Un dossier clos est conservé au moins 6 mois"
        in client.post(url, parametres(dispositif, retention_mois="3")).text
    )

    response = client.post(url, parametres(dispositif, retention_mois="12", confirmer="on"))
    assert response.status_code == 302
    assert Dispositif.objects.get(pk=dispositif.pk).retention_mois == 12


def test_superuser_manages_every_programme(client, programme, autre):
    technicien = UtilisateurFactory(username="technicien", organisation=None, is_superuser=True)
    client.force_login(technicien)
    assert "ASEA Hérault" in client.get(reverse("administration_dispositifs")).text


def test_admin_site_is_for_the_technical_staff_only(client, programme):
    client.force_login(programme.admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    technicien = user_with_role(Role.ADMINISTRATEUR, programme.adaff, is_superuser=True, is_staff=True)
    client.force_login(technicien)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_superuser_holds_the_admin_sites_permissions_but_business_ones_by_role(programme):
    technicien = UtilisateurFactory(username="technicien", organisation=None, is_superuser=True)
    assert technicien.has_perm("menages.change_menage")  # the admin site's model permissions
    assert technicien.has_perm("comptes.administrer_dispositif")  # an administrator in the app
    assert not technicien.has_perm("comptes.voir_confidentiel")
    assert not technicien.has_perm("dossiers.relire_acces")
