import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comptes.lecture import envoi_groupe
from comptes.tests.factories import CommuneFactory
from menages.enums import EtatParcours, LienMembre, Probleme, SourceOrientation
from menages.models import Menage
from menages.tests.factories import IntervenantFactory, MembreFactory, MenageFactory


def make_households(programme, n, **kwargs):
    menages = []
    for _ in range(n):
        menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, **kwargs)
        IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
        MembreFactory(menage=menage)
        MembreFactory(menage=menage, lien=LienMembre.ENFANT)
        menages.append(menage)
    return menages


def test_list_shows_visible_households_with_counts_by_step(client, programme):
    make_households(programme, 3)
    make_households(programme, 2, etat=EtatParcours.DIAGNOSTIC)
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("dossiers:liste"))
    assert response.status_code == 200
    assert "5 ménages correspondent" in response.text
    counts = {etat.value: n for etat, n in response.context["etats"]}
    assert counts["saisine"] == 3 and counts["diagnostic"] == 2
    # Filtering on a step keeps the counts of the other steps.
    response = client.get(reverse("dossiers:liste"), {"etat": "diagnostic"})
    assert "2 ménages correspondent" in response.text
    assert {e.value: n for e, n in response.context["etats"]}["saisine"] == 3


def test_counts_by_step_keep_the_other_filters(client, programme):
    make_households(programme, 2)
    make_households(programme, 1, etat=EtatParcours.DIAGNOSTIC)
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea)
    IntervenantFactory(menage=autre, utilisateur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    habitat = {"bailleur": programme.habitat.pk}
    response = client.get(reverse("dossiers:liste"), {**habitat, "etat": "diagnostic"})
    assert "1 ménage correspond " in response.text
    assert {e.value: n for e, n in response.context["etats"]}["saisine"] == 2
    # A step that does not exist: the list is not filtered, the counts still are by landlord.
    response = client.get(reverse("dossiers:liste"), {**habitat, "etat": "inconnue"})
    assert {e.value: n for e, n in response.context["etats"]}["saisine"] == 2


def test_a_landlords_list_reads_its_kept_counts_and_counts_what_is_filtered(client, programme):
    """Unfiltered or by step only, the CESF's counts are her landlord's kept counts
    (EffectifBailleur); with another filter, the matching households are counted. Both agree with
    what she sees: a household without consent to share with the landlord is in neither."""
    make_households(programme, 2)
    make_households(programme, 1, etat=EtatParcours.DIAGNOSTIC)
    MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, consentements=[])
    client.force_login(programme.cesf_habitat)
    for params, compte in (
        ({}, False),
        ({"etat": "diagnostic"}, False),
        ({"etat": "inconnue"}, False),
        ({"mes_menages": ""}, False),
        ({"q": "menage"}, True),
    ):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("dossiers:liste"), params)
        counts = {e.value: n for e, n in response.context["etats"]}
        assert (counts["saisine"], counts["diagnostic"], sum(counts.values())) == (2, 1, 3), params
        comptages = [q for q in ctx.captured_queries if 'COUNT("menages_menage"' in q["sql"]]
        assert bool(comptages) == compte, params
    assert "1 ménage correspond " in client.get(reverse("dossiers:liste"), {"etat": "diagnostic"}).text
    # A step that does not exist: every household she sees, counted once (no second COUNT).
    response = client.get(reverse("dossiers:liste"), {"etat": "inconnue"})
    assert "3 ménages correspondent" in response.text
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("dossiers:liste"), {"etat": "inconnue"})
    assert not [
        q
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "menages_menage"')
    ]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "menage"},
        {"etat": "saisine"},
        {"probleme": Probleme.IMPAYES},
        {"mes_menages": "on"},
        {"commune": "1", "source_orientation": SourceOrientation.SIAO},
    ],
)
def test_list_query_count_does_not_grow_with_households(client, programme, count_queries, params):
    client.force_login(programme.ts_adaff)
    make_households(programme, 1)
    one = count_queries(client.get, reverse("dossiers:liste"), params)
    make_households(programme, 49)
    fifty = count_queries(client.get, reverse("dossiers:liste"), params)
    assert one == fifty


def _evenements(programme, menage):
    """A few records of each kind the file and its timeline show, by different authors."""
    from accompagnement.tests.factories import ContactFactory, ObjectifFactory
    from menages.tests.factories import DiagnosticFactory, PreDiagnosticFactory

    MembreFactory(menage=menage)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_hdm)
    ContactFactory(menage=menage, auteur=programme.ts_adaff)
    ContactFactory(menage=menage, auteur=programme.tisf_afc, type="tisf")
    ObjectifFactory(menage=menage, auteur=programme.ts_adaff)
    DiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    PreDiagnosticFactory(menage=menage, auteur=programme.cesf_habitat)


@pytest.mark.parametrize("page", ["dossiers:detail", "dossiers:chronologie"])
def test_file_and_timeline_query_counts_do_not_grow_with_records(client, programme, count_queries, page):
    client.force_login(programme.ts_adaff)
    (menage,) = make_households(programme, 1)
    _evenements(programme, menage)
    url = reverse(page, args=[menage.pk])
    one = count_queries(client.get, url)
    for _ in range(20):
        _evenements(programme, menage)
    assert count_queries(client.get, url) == one
    # The file, with a diagnostic: 31 queries when it also held the timeline, 30 when each part
    # read its records in its own queries; since then the parts' records go to the database in one
    # round trip (menages.parties.Lecture), then their authors in one query. The committee's open
    # item (for « Rédiger la synthèse pour le comité ») is read in that round trip, and only when
    # the household's step and the reader allow a summary: not for this household, at its referral.
    # Plus the current programme's id, read once for every access rule of the page.
    # Elsewhere than on PostgreSQL (SQLite), each part's records are a query of their own.
    if not envoi_groupe(connection):
        return
    assert page != "dossiers:detail" or one <= 13
    # The timeline: 27 queries before the round trip.
    assert page != "dossiers:chronologie" or one <= 13


def test_timeline_is_the_households_and_paginated(client, programme):
    (menage,) = make_households(programme, 1)
    for _ in range(12):
        _evenements(programme, menage)
    client.force_login(programme.ts_adaff)
    url = reverse("dossiers:chronologie", args=[menage.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Chronologie du ménage" in response.text
    assert "Page 1 sur 2" in response.text
    assert client.get(url, {"page": "2"}).context["page"].number == 2
    assert client.get(url, {"page": "n'importe"}).status_code == 200  # the first page
    # Linked from the file.
    assert url in client.get(menage.get_absolute_url()).text
    # Outside the user's scope: not found, like the file.
    client.force_login(programme.cesf_alogea)
    assert client.get(url).status_code == 404


def test_detail_lists_the_communes_wanted_in_the_diagnostic(client, programme):
    from menages.tests.factories import DiagnosticFactory

    (menage,) = make_households(programme, 1)
    diagnostic = DiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    assert "– communes non précisées.</p>" in client.get(menage.get_absolute_url()).text
    narbonne = CommuneFactory(nom="Narbonne", code_insee="11262", code_postal="11100")
    diagnostic.besoin_communes.set([narbonne, CommuneFactory()])
    assert "– Carcassonne, Narbonne.</p>" in client.get(menage.get_absolute_url()).text


def test_list_is_paginated_and_survives_bad_parameters(client, programme):
    make_households(programme, 30)
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("dossiers:liste"), {"page": 2})
    assert "Page 2 sur 2" in response.text
    for params in ({"page": "n’importe quoi"}, {"etat": "inconnu"}, {"commune": "abc"}, {"referent": "-1"}):
        assert client.get(reverse("dossiers:liste"), params).status_code == 200


def test_htmx_request_gets_only_the_results(client, programme):
    make_households(programme, 2)
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("dossiers:liste"), headers={"HX-Request": "true"})
    assert "<html" not in response.text
    assert "ménages correspondent" in response.text


def test_social_worker_creates_a_household_and_becomes_its_referent(client, programme):
    client.force_login(programme.ts_adaff)
    commune = CommuneFactory()
    response = client.post(
        reverse("menages:creer"),
        {
            "nom": "Rivière Agnès",
            "bailleur": programme.alogea.pk,
            "commune": commune.pk,
            "date_saisine": "2026-11-02",
            "source_orientation": SourceOrientation.CCAPEX,
            "problematique": "maintien",
            "situation_logement": "locataire_social",
            "problemes": [Probleme.IMPAYES, Probleme.TROUBLES_VOISINAGE],
        },
    )
    menage = Menage.objects.get(nom="Rivière Agnès")
    assert response.status_code == 302 and response.url == menage.get_absolute_url()
    assert menage.reference == "ASEA-2026-0001"
    assert menage.etat == EtatParcours.SAISINE
    assert menage.date_saisine == datetime.date(2026, 11, 2)
    assert set(menage.problemes.values_list("code", flat=True)) == {"impayes", "troubles_voisinage"}
    assert menage.intervenants.get().utilisateur == programme.ts_adaff
    assert menage.evenements.get().etat_apres == EtatParcours.SAISINE
    assert client.get(menage.get_absolute_url()).status_code == 200


def test_bad_input_keeps_what_was_typed_with_french_errors(client, programme):
    client.force_login(programme.ts_adaff)
    response = client.post(
        reverse("menages:creer"),
        {
            "nom": "Rivière Agnès",
            "telephone": "pas un numéro",
            "email": "pas-une-adresse",
            "date_saisine": "32/13/2026",
        },
    )
    assert response.status_code == 200
    assert 'value="Rivière Agnès"' in response.text
    assert "Saisissez un numéro de téléphone valide" in response.text
    assert "Saisissez une adresse de courriel valide" in response.text
    assert "Saisissez une date valide" in response.text
    assert "Ce champ est obligatoire" in response.text
    assert not Menage.objects.exists()


def test_landlord_staff_create_households_for_their_own_landlord_only(client, programme):
    client.force_login(programme.cesf_habitat)
    client.post(
        reverse("menages:creer"),
        {
            "nom": "Marty Léon",
            "bailleur": programme.alogea.pk,  # ignored: the field is not offered to landlord staff
            "date_saisine": "2026-11-02",
            "source_orientation": SourceOrientation.INTERNE_BAILLEUR,
            "problematique": "maintien",
            "situation_logement": "locataire_social",
        },
    )
    assert Menage.objects.get(nom="Marty Léon").bailleur == programme.habitat


@pytest.mark.parametrize("persona", ["financeur", "comite", "gardien_habitat", "tisf_afc"])
def test_roles_that_do_not_run_files_cannot_create_households(client, programme, persona):
    client.force_login(getattr(programme, persona))
    assert client.get(reverse("menages:creer")).status_code == 403


def test_composition_and_budget_are_edited_with_formsets(client, programme):
    (menage,) = make_households(programme, 1)
    client.force_login(programme.ts_adaff)
    url = reverse("menages:budget", args=[menage.pk])
    data = {
        "ressources-TOTAL_FORMS": "1",
        "ressources-INITIAL_FORMS": "0",
        "ressources-0-type": "rsa",
        "ressources-0-montant_mensuel": "607,75",
        "dettes-TOTAL_FORMS": "1",
        "dettes-INITIAL_FORMS": "0",
        "dettes-0-creancier": "Habitat Audois",
        "dettes-0-montant": "-5",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # negative debt refused, nothing lost
    assert 'value="607,75"' in response.text
    assert "Un montant ne peut pas être négatif" in response.text
    data["dettes-0-montant"] = "1250"
    assert client.post(url, data).status_code == 302
    assert str(menage.ressources.get().montant_mensuel) == "607.75"


def test_funder_never_sees_a_name_on_any_household_page(client, programme):
    (menage,) = make_households(programme, 1)
    client.force_login(programme.financeur)
    for name in (
        "dossiers:detail",
        "menages:modifier",
        "menages:composition",
        "menages:budget",
        "menages:pre_diagnostic",
        "menages:diagnostic",
        "menages:journal",
    ):
        response = client.get(reverse(name, args=[menage.pk]))
        assert response.status_code in (403, 404), name
        assert menage.nom not in response.text
    for url in (reverse("dossiers:liste"), reverse("menages:creer"), reverse("tableau_de_bord")):
        assert menage.nom not in client.get(url).text


def test_health_observations_are_hidden_from_the_landlord(client, programme):
    from menages.tests.factories import DiagnosticFactory

    (menage,) = make_households(programme, 1)
    DiagnosticFactory(menage=menage, auteur=programme.ts_adaff, observations_sante="Suivi en addictologie")
    client.force_login(programme.ts_adaff)
    assert "Suivi en addictologie" in client.get(menage.get_absolute_url()).text
    client.force_login(programme.cesf_habitat)
    response = client.get(menage.get_absolute_url())
    assert response.status_code == 200
    assert "Suivi en addictologie" not in response.text
    assert "contenu confidentiel" in response.text


def test_filter_form_keeps_what_was_chosen_and_explains_a_bad_value(client, programme):
    make_households(programme, 2)
    client.force_login(programme.ts_adaff)
    response = client.get(
        reverse("dossiers:liste"),
        {"q": "Durand <Hélène>", "etat": "inconnu", "bailleur": programme.habitat.pk, "mes_menages": "on"},
    )
    text = response.text
    assert 'value="Durand &lt;Hélène&gt;"' in text
    assert f'<option value="{programme.habitat.pk}" selected>' in text
    assert 'id="id_mes_menages" checked' in text
    assert 'aria-describedby="id_etat_error"' in text
    assert 'id="id_etat_error"' in text and "inconnu n’en fait pas partie" in text
    # The same labels as before, tied to their fields.
    for name in ("q", "etat", "bailleur", "commune", "niveau", "referent", "source_orientation", "probleme"):
        assert f'<label for="id_{name}" class="form-label">' in text


def test_phone_field_opens_the_phone_keypad_without_the_workers_own_number(client, programme):
    client.force_login(programme.ts_adaff)
    page = client.get(reverse("menages:creer")).text
    champ = page[page.index('name="telephone"') - 200 : page.index('name="telephone"') + 200]
    assert 'type="tel"' in champ and 'autocomplete="off"' in champ
    assert 'type="text" name="telephone"' not in page


def test_the_landlord_filter_offers_only_the_landlords_of_the_users_programme(client, programme):
    from comptes.tests.factories import DispositifFactory, OrganisationFactory

    autre = OrganisationFactory(
        nom="Bailleur catalan",
        bailleur=True,
        dispositifs=[DispositifFactory(code="autre", nom="Autre dispositif")],
    )
    client.force_login(programme.ts_adaff)
    choix = client.get(reverse("dossiers:liste")).context["filtre"].form.fields["bailleur"].queryset
    assert programme.habitat in choix and autre not in choix


@pytest.mark.parametrize("seuil", [0, 500])
def test_list_order_and_pages_are_the_same_whether_few_or_many_results(client, programme, monkeypatch, seuil):
    """Up to PEU_DE_RESULTATS results the list sorts the matching ids; above, it walks the name
    order: both give the same rows, in the same order, on the same pages."""
    from dossiers import views

    monkeypatch.setattr(views, "PEU_DE_RESULTATS", seuil)
    noms = ["Zola", "Ábel", "Martin", "martin", "Bernard"] * 6
    for nom in noms:
        make_households(programme, 1, nom=nom)
    invisible = MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea, nom="Aaron")
    client.force_login(programme.ts_adaff)
    rows = []
    for page in (1, 2):
        response = client.get(reverse("dossiers:liste"), {"page": page})
        rows += [m.pk for m in response.context["page"]]
    attendu = list(
        Menage.objects.visible_to(programme.ts_adaff)
        .order_by("nom", "reference")
        .values_list("pk", flat=True)
    )
    assert len(rows) == 30 and rows == attendu
    assert invisible.pk not in rows
    assert response.context["page"].paginator.count == 30
