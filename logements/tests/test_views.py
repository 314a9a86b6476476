import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comptes.tests.factories import CommuneFactory
from logements.enums import StatutLogement
from logements.importation import typographie
from logements.models import ImportLogements, Logement, MobilisationLogement
from logements.tests.factories import LogementFactory, MobilisationLogementFactory, logements_en_masse


def test_list_query_count_does_not_grow_with_dwellings(client, programme, count_queries):
    client.force_login(programme.cesf_habitat)
    LogementFactory(bailleur=programme.habitat)
    one = count_queries(client.get, reverse("logements:liste"))
    for _ in range(40):
        LogementFactory(bailleur=programme.habitat)
    many = count_queries(client.get, reverse("logements:liste"))
    assert one == many


def test_list_query_count_at_the_scale_of_the_pooled_stock(client, programme, count_queries):
    commune = CommuneFactory()
    client.force_login(programme.ts_adaff)
    logements_en_masse(programme.habitat, commune, 1, statut=StatutLogement.VACANT)
    one = count_queries(client.get, reverse("logements:liste"))
    Logement.objects.all().delete()
    logements_en_masse(programme.habitat, commune, 5_000, statut=StatutLogement.VACANT)
    logements_en_masse(programme.alogea, commune, 5_000, statut=StatutLogement.EN_ROTATION)
    url = reverse("logements:liste")
    ten_thousand = count_queries(client.get, url, {"page": 400})
    print(f"\nliste des logements : {one} requêtes pour 1 logement, {ten_thousand} pour 10 000")
    assert one == ten_thousand
    response = client.get(url, {"page": 400})
    assert "10000 logements que vous pouvez consulter" in response.text
    assert "Page 400 sur 400" in response.text
    assert response.text.count('href="/logements/') - response.text.count('href="/logements/?') >= 25


def test_list_is_paginated_by_25(client, programme):
    for _ in range(30):
        LogementFactory(bailleur=programme.habitat)
    client.force_login(programme.cesf_habitat)
    response = client.get(reverse("logements:liste"))
    assert len(response.context["page"]) == 25
    response = client.get(reverse("logements:liste"), {"page": 2})
    assert "Page 2 sur 2" in response.text
    assert "Logements, page 2 sur 2" in response.text  # the table's caption: no filter is active
    assert len(response.context["page"]) == 5
    assert client.get(reverse("logements:liste"), {"page": "n’importe quoi"}).status_code == 200


def test_list_filters_and_keeps_them_across_pages(client, programme):
    narbonne = CommuneFactory(nom="Narbonne", code_insee="11262", code_postal="11100")
    for _ in range(30):
        LogementFactory(bailleur=programme.habitat, commune=narbonne, typologie="T2", loyer=300, vacant=True)
    LogementFactory(bailleur=programme.habitat, commune=narbonne, typologie="T2", loyer=600, vacant=True)
    LogementFactory(bailleur=programme.habitat, typologie="T2", loyer=300, vacant=True)
    LogementFactory(bailleur=programme.alogea, commune=narbonne, typologie="T2", loyer=300, vacant=True)
    LogementFactory(bailleur=programme.habitat, commune=narbonne, typologie="T4", loyer=300)
    client.force_login(programme.cesf_habitat)
    filtres = {
        "bailleur": programme.habitat.pk,
        "commune": narbonne.pk,
        "typologie": "T2",
        "statut": "vacant",
        "loyer_max": "450,50",
    }
    response = client.get(reverse("logements:liste"), filtres)
    assert response.context["page"].paginator.count == 30
    assert "loyer_max=450%2C50" in response.text and "page=2" in response.text
    assert "Logements correspondant aux filtres, page 1 sur 2" in response.text
    assert "30 logements correspondent aux filtres." in response.text
    search = client.get(reverse("logements:liste"), {"recherche": "REF-"}).context["page"].paginator.count
    assert search == 34


def test_htmx_filtering_returns_the_results_alone(client, programme):
    LogementFactory(bailleur=programme.habitat, adresse="9 rue du Four", vacant=True)
    LogementFactory(bailleur=programme.habitat, adresse="2 rue Voltaire", vacant=True)
    client.force_login(programme.cesf_habitat)
    response = client.get(reverse("logements:liste"), {"recherche": "four"}, headers={"HX-Request": "true"})
    assert "<html" not in response.text and "<form" not in response.text
    assert "1 logement correspond aux filtres." in response.text
    assert "9 rue du Four" in response.text and "2 rue Voltaire" not in response.text


def test_invalid_filter_is_shown_next_to_its_field(client, programme):
    client.force_login(programme.cesf_habitat)
    response = client.get(reverse("logements:liste"), {"loyer_max": "beaucoup"})
    assert response.status_code == 200
    assert "Saisissez un montant en chiffres" in response.text
    response = client.get(
        reverse("logements:liste"), {"loyer_max": "beaucoup"}, headers={"HX-Request": "true"}
    )
    assert "ignoré" in response.text and "Saisissez un montant en chiffres" in response.text


def test_detail_shows_the_dwelling_and_its_mobilisation(client, programme):
    logement = LogementFactory(bailleur=programme.habitat, vacant=True, etage=0)
    MobilisationLogementFactory(dispositif=programme.dispositif, logement=logement, mode="amenagement")
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("logements:detail", args=[logement.pk]))
    assert response.status_code == 200
    assert "Rez-de-chaussée" in response.text
    assert "Aménagement d’un logement existant" in response.text
    assert "Modifier la mobilisation" not in response.text  # a social worker does not mobilise


def test_import_page_reports_errors_by_line_and_column_and_imports_nothing(client, programme, communes_aude):
    client.force_login(programme.cesf_habitat)
    contenu = (
        "Référence;Adresse;Commune;Typologie;Surface;Loyer;Charges;Statut\n"
        "HA-1;3 rue Voltaire;Carcassonne;T3;65;512,50;48;vacant\n"
        "HA-2;4 rue Voltaire;Perpignan;T3;65;512,50;48;vacant\n"
        "HA-3;5 rue Voltaire;Narbonne;T3;65;douze;48;vacant\n"
    )
    response = client.post(
        reverse("logements:importer", args=[programme.habitat.pk]),
        {"fichier": SimpleUploadedFile("patrimoine.csv", contenu.encode())},
    )
    assert response.status_code == 200
    erreurs = response.context["form"].errors["fichier"]
    assert erreurs == [
        typographie(
            "Le fichier contient 2 erreurs : aucun logement n’a été importé. Corrigez les lignes "
            "signalées ci-dessous, puis déposez de nouveau le fichier."
        )
    ]
    text = response.text
    assert typographie("<td>3</td><td>Commune</td><td>Commune « Perpignan » inconnue") in text
    assert typographie("<td>4</td><td>Loyer</td><td>« douze » n’est pas un nombre") in text
    assert not Logement.objects.exists()


def test_successful_import_goes_back_to_the_list_with_a_message(client, programme, communes_aude):
    client.force_login(programme.cesf_habitat)
    contenu = (
        "Référence;Adresse;Commune;Typologie;Surface;Loyer;Charges;Statut\n"
        "HA-1;3 rue Voltaire;Carcassonne;T3;65;512,50;48;vacant\n"
    )
    response = client.post(
        reverse("logements:importer", args=[programme.habitat.pk]),
        {"fichier": SimpleUploadedFile("patrimoine.csv", contenu.encode())},
        follow=True,
    )
    assert typographie("Import réussi : 1 logement créé, 0 mis à jour.") in response.text
    assert "3 rue Voltaire" in response.text
    assert ImportLogements.objects.get().auteur == programme.cesf_habitat


def test_import_refuses_another_file_type(client, programme):
    client.force_login(programme.cesf_habitat)
    response = client.post(
        reverse("logements:importer", args=[programme.habitat.pk]),
        {"fichier": SimpleUploadedFile("patrimoine.pdf", b"%PDF-1.4")},
    )
    assert response.context["form"].errors["fichier"] == ["Déposez un fichier .csv ou .xlsx."]


def test_template_file_lists_the_columns_with_an_example(client, programme):
    client.force_login(programme.cesf_habitat)
    response = client.get(reverse("logements:modele"))
    lignes = response.content.decode("utf-8-sig").splitlines()
    assert lignes[0].startswith("référence;adresse;commune;typologie;surface;loyer;charges")
    assert lignes[1].startswith("HA-004217;")
    client.force_login(programme.ts_adaff)
    assert client.get(reverse("logements:modele")).status_code == 403


def test_template_file_imports_as_it_is(client, programme, communes_aude):
    client.force_login(programme.cesf_habitat)
    modele = client.get(reverse("logements:modele")).content
    client.post(
        reverse("logements:importer", args=[programme.habitat.pk]),
        {"fichier": SimpleUploadedFile("modele-import-logements.csv", modele)},
    )
    assert Logement.objects.get().reference_bailleur == "HA-004217"


def test_landlord_staff_go_straight_to_their_own_import(client, programme):
    client.force_login(programme.cesf_alogea)
    response = client.get(reverse("logements:importer_choix"))
    assert response.url == reverse("logements:importer", args=[programme.alogea.pk])


def test_cesf_mobilises_one_of_her_landlords_dwellings(client, programme):
    logement = LogementFactory(bailleur=programme.habitat, vacant=True)
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:mobiliser", args=[logement.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"mode": "reclassement_bas_loyer", "date_mobilisation": "2026-03-02", "commentaire": "Loyer baissé."},
    )
    assert response.status_code == 302
    mobilisation = MobilisationLogement.objects.get()
    assert (mobilisation.dispositif, mobilisation.mode) == (programme.dispositif, "reclassement_bas_loyer")
    assert mobilisation.auteur == programme.cesf_habitat

    response = client.get(reverse("logements:mobilisations"))
    assert "1 logement mobilisé sur un objectif de 25" in response.text
    assert "Reclassement en offre à bas loyer" in response.text


def test_mobilisation_form_reports_a_missing_mode(client, programme):
    logement = LogementFactory(bailleur=programme.habitat, vacant=True)
    client.force_login(programme.cesf_habitat)
    response = client.post(
        reverse("logements:mobiliser", args=[logement.pk]), {"date_mobilisation": "2026-03-02"}
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.text
    assert not MobilisationLogement.objects.exists()


def test_mobilisation_list_query_count_does_not_grow(client, programme, count_queries):
    client.force_login(programme.admin)
    MobilisationLogementFactory(dispositif=programme.dispositif)
    one = count_queries(client.get, reverse("logements:mobilisations"))
    for _ in range(30):
        MobilisationLogementFactory(dispositif=programme.dispositif)
    assert count_queries(client.get, reverse("logements:mobilisations")) == one


@pytest.mark.parametrize(
    ("persona", "shown"), [("cesf_habitat", True), ("ts_adaff", True), ("financeur", False)]
)
def test_navigation_shows_housing_to_those_who_may_see_it(client, programme, persona, shown):
    client.force_login(getattr(programme, persona))
    assert (reverse("logements:liste") in client.get(reverse("tableau_de_bord")).text) is shown
