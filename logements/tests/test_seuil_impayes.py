"""The arrears threshold from the tenant's own rent and charges, and the month's arrears typed the
French way with its plausibility check."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from logements import selectors
from logements.enums import DecisionCal
from logements.models import Attribution, SoldeLocatif
from logements.tests.factories import LogementFactory
from menages.tests.factories import MenageFactory


@pytest.fixture
def locataire(programme):
    return MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Famille Roux")


def _attribuer(menage, logement, auteur, **dates):
    return Attribution.objects.create(
        menage=menage,
        logement=logement,
        canal="rotation",
        decision_cal=DecisionCal.ACCEPTEE,
        auteur=auteur,
        **dates,
    )


def test_threshold_is_unknown_without_the_tenants_rent(programme, locataire):
    assert selectors.seuil_impayes(locataire) is None


def test_threshold_from_the_attributed_dwellings_rent_and_charges(programme, locataire):
    logement = LogementFactory(bailleur=programme.habitat, loyer=Decimal("512.40"), charges=Decimal("87.60"))
    _attribuer(locataire, logement, programme.cesf_habitat, date_bail=datetime.date(2026, 3, 10))
    programme.dispositif.seuil_impayes_mois = Decimal("1.5")
    programme.dispositif.save()
    locataire.refresh_from_db()
    assert selectors.seuil_impayes(locataire) == Decimal("900.00")  # 1.5 × 600 €


def test_a_proposal_not_pronounced_gives_no_rent(programme, locataire):
    logement = LogementFactory(bailleur=programme.habitat)
    Attribution.objects.create(
        menage=locataire, logement=logement, canal="rotation", auteur=programme.cesf_habitat
    )
    assert selectors.seuil_impayes(locataire) is None


def test_latest_of_recorded_rent_and_move_in_wins(programme, locataire):
    SoldeLocatif.objects.create(
        menage=locataire, mois=datetime.date(2026, 1, 1), solde=0, loyer_charges=Decimal("380")
    )
    assert selectors.seuil_impayes(locataire) == Decimal("760.00")  # 2 months of 380 €
    logement = LogementFactory(bailleur=programme.habitat, loyer=Decimal("450"), charges=Decimal("50"))
    _attribuer(locataire, logement, programme.cesf_habitat, date_entree=datetime.date(2026, 4, 2))
    assert selectors.seuil_impayes(locataire) == Decimal("1000.00")  # moved in since: 2 × 500 €
    SoldeLocatif.objects.create(
        menage=locataire, mois=datetime.date(2026, 6, 1), solde=0, loyer_charges=Decimal("510")
    )
    assert selectors.seuil_impayes(locataire) == Decimal("1020.00")  # the rent as revised


def test_thresholds_of_many_households_in_two_queries(programme, django_assert_num_queries):
    menages = [MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat) for _ in range(3)]
    for k, menage in enumerate(menages):
        SoldeLocatif.objects.create(
            menage=menage, mois=datetime.date(2026, 1, 1), solde=0, loyer_charges=Decimal(400 + k)
        )
    menages = list(
        type(menages[0]).objects.select_related("dispositif").filter(pk__in=[m.pk for m in menages])
    )
    with django_assert_num_queries(2):
        seuils = selectors.seuils_impayes(menages)
    assert sorted(seuils.values()) == [Decimal("800.00"), Decimal("802.00"), Decimal("804.00")]


def test_tenant_file_says_the_threshold_waits_for_the_rent(client, programme, locataire):
    SoldeLocatif.objects.create(menage=locataire, mois=datetime.date(2026, 1, 1), solde=Decimal("5000"))
    client.force_login(programme.cesf_habitat)
    response = client.get(reverse("logements:dossier_locatif", args=[locataire.pk]))
    assert response.status_code == 200
    assert "Seuil d’impayés franchi" not in response.text
    assert "loyer et les charges du ménage ne sont pas connus" in response.text


@pytest.mark.parametrize(
    ("saisi", "attendu"),
    [
        ("1 234,56", "1234.56"),
        ("1\u202f234,56\u00a0€", "1234.56"),
        ("1234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1.234,56", "1234.56"),
    ],
)
def test_cesf_types_the_months_arrears_the_french_way(client, programme, locataire, saisi, attendu):
    client.force_login(programme.cesf_habitat)
    response = client.post(
        reverse("logements:solde", args=[locataire.pk]),
        {"mois": "2026-03", "solde": saisi, "loyer_charges": "450"},
    )
    assert response.status_code == 302
    assert SoldeLocatif.objects.get().solde == Decimal(attendu)


def test_arrears_above_ten_months_of_rent_ask_for_confirmation(client, programme, locataire):
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:solde", args=[locataire.pk])
    response = client.post(url, {"mois": "2026-03", "solde": "123456", "loyer_charges": "450"})
    assert response.status_code == 200
    assert not SoldeLocatif.objects.exists()
    assert "dépasse dix fois le loyer et les charges (450\u00a0€)" in response.text
    assert 'type="checkbox" name="confirmer_montants"' in response.text
    assert 'value="123456"' in response.text  # nothing typed is lost

    response = client.post(
        url, {"mois": "2026-03", "solde": "123456", "loyer_charges": "450", "confirmer_montants": "on"}
    )
    assert response.status_code == 302
    assert SoldeLocatif.objects.get().solde == Decimal("123456")


def test_plausibility_uses_the_known_rent_when_none_is_typed(client, programme, locataire):
    SoldeLocatif.objects.create(
        menage=locataire, mois=datetime.date(2026, 1, 1), solde=0, loyer_charges=Decimal("400")
    )
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:solde", args=[locataire.pk])
    assert client.post(url, {"mois": "2026-03", "solde": "3999"}).status_code == 302
    response = client.post(url, {"mois": "2026-04", "solde": "4000,01"})
    assert response.status_code == 200
    assert "Je confirme ce montant" in response.text


def test_ambiguous_arrears_refused_with_the_reason(client, programme, locataire):
    client.force_login(programme.cesf_habitat)
    response = client.post(
        reverse("logements:solde", args=[locataire.pk]), {"mois": "2026-03", "solde": "1.234"}
    )
    assert response.status_code == 200
    assert "ambigu" in response.text
    assert not SoldeLocatif.objects.exists()


def test_admin_reads_the_rent_typed_the_french_way(client, programme, communes_aude):
    logement = LogementFactory(bailleur=programme.habitat, commune=communes_aude["narbonne"])
    programme.admin.is_superuser = True  # the admin site is the technical staff's
    programme.admin.save()
    client.force_login(programme.admin)
    url = reverse("admin:logements_logement_change", args=[logement.pk])
    page = client.get(url)
    assert 'value="420"' in page.text and 'inputmode="decimal"' in page.text
    data = {
        "bailleur": programme.habitat.pk,
        "reference_bailleur": logement.reference_bailleur,
        "adresse": logement.adresse,
        "commune": logement.commune_id,
        "typologie": "T3",
        "surface": "65.50",
        "loyer": "1 234,56 €",
        "charges": "60",
        "etage": "1",
        "statut": "vacant",
    }
    assert client.post(url, data).status_code == 302
    logement.refresh_from_db()
    assert logement.loyer == Decimal("1234.56")
