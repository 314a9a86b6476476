"""The convention, the financing plan and the budget lines, edited by the programme's
administrator: the plan's shares total exactly 100 %, amounts and percentages are typed the French
way, other roles get 403 and another programme's records 404; every change is in the audit trail."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from comptes.tests.factories import DispositifFactory, OrganisationFactory
from financement.enums import StatutPart, TypeLigne
from financement.models import Convention, MontantAnnuel, PartFinanceur
from financement.tests.factories import (
    ConventionFactory,
    LigneBudgetaireFactory,
    MontantAnnuelFactory,
    PartFinanceurFactory,
    VersementFactory,
)


def plan(*parts, initiales=()):
    """The financing plan's formset data: `initiales` (existing shares) then new ones, each
    (financeur, pourcentage as typed, statut[, DELETE])."""
    data = {
        "parts-TOTAL_FORMS": len(initiales) + len(parts),
        "parts-INITIAL_FORMS": len(initiales),
        "parts-MIN_NUM_FORMS": 0,
        "parts-MAX_NUM_FORMS": 1000,
    }
    for i, (part, financeur, pourcentage, statut, *supprimer) in enumerate(
        [*initiales, *[(None, *p) for p in parts]]
    ):
        data.update(
            {
                f"parts-{i}-financeur": financeur.pk,
                f"parts-{i}-libelle": "Appel à projets",
                f"parts-{i}-pourcentage": pourcentage,
                f"parts-{i}-statut": statut,
            }
        )
        if part is not None:
            data[f"parts-{i}-id"] = part.pk
        if supprimer:
            data[f"parts-{i}-DELETE"] = "on"
    return data


@pytest.fixture
def convention(programme):
    return ConventionFactory(dispositif=programme.dispositif)


def test_shares_not_totalling_100_are_refused_with_the_total(client, programme, convention):
    client.force_login(programme.admin)
    url = reverse("financement:plan_financement", args=[programme.dispositif.pk])
    data = plan(
        (programme.ddcspp, "50", StatutPart.CONFIRMEE),
        (programme.cg, "33,33", StatutPart.A_CONFIRMER),
        (programme.habitat, "16,66", StatutPart.CONFIRMEE),
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert (
        "Les parts des financeurs totalisent 99,99\u00a0% : le plan de financement doit totaliser "
        "exactement 100 % (il manque 0,01\u00a0%)." in response.text
    )
    assert 'value="33,33"' in response.text  # what was typed is kept
    assert not PartFinanceur.objects.exists()


def test_shares_totalling_exactly_100_are_saved_with_their_status(client, programme, convention):
    client.force_login(programme.admin)
    url = reverse("financement:plan_financement", args=[programme.dispositif.pk])
    data = plan(
        (programme.ddcspp, "33,33", StatutPart.CONFIRMEE),
        (programme.cg, "33,33", StatutPart.A_CONFIRMER),
        (programme.habitat, "33.34", StatutPart.CONFIRMEE),
    )
    assert client.post(url, data).status_code == 302
    parts = {p.financeur: p for p in convention.parts.all()}
    assert {p.pourcentage for p in parts.values()} == {Decimal("33.33"), Decimal("33.34")}
    assert parts[programme.cg].statut == StatutPart.A_CONFIRMER
    entry = LogEntry.objects.get_for_object(parts[programme.cg]).get()
    assert entry.actor == programme.admin and entry.action == LogEntry.Action.CREATE


def test_changing_a_share_keeps_the_total_checked_and_a_paid_share_stays(client, programme, convention):
    ddcspp = PartFinanceurFactory(convention=convention, financeur=programme.ddcspp, pourcentage=60)
    cg = PartFinanceurFactory(
        convention=convention, financeur=programme.cg, pourcentage=40, statut=StatutPart.A_CONFIRMER
    )
    VersementFactory(part=ddcspp)
    client.force_login(programme.admin)
    url = reverse("financement:plan_financement", args=[programme.dispositif.pk])
    initiales = [
        (ddcspp, programme.ddcspp, "60", StatutPart.CONFIRMEE, "supprimer"),
        (cg, programme.cg, "40", StatutPart.CONFIRMEE),
    ]
    response = client.post(url, plan(initiales=initiales))
    assert "La part de DDCSPP de l’Aude a déjà reçu des versements" in response.text
    assert PartFinanceur.objects.filter(pk=ddcspp.pk).exists()
    # Confirming the funder's share, the total unchanged.
    initiales = [
        (ddcspp, programme.ddcspp, "60", StatutPart.CONFIRMEE),
        (cg, programme.cg, "40", StatutPart.CONFIRMEE),
    ]
    assert client.post(url, plan(initiales=initiales)).status_code == 302
    cg.refresh_from_db()
    assert cg.statut == StatutPart.CONFIRMEE
    entry = LogEntry.objects.get_for_object(cg).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == programme.admin
    assert entry.changes_dict["statut"] == [StatutPart.A_CONFIRMER.value, StatutPart.CONFIRMEE.value]


def test_a_share_typed_wrongly_is_said_in_french(client, programme, convention):
    client.force_login(programme.admin)
    url = reverse("financement:plan_financement", args=[programme.dispositif.pk])
    response = client.post(url, plan((programme.ddcspp, "cent", StatutPart.CONFIRMEE)))
    assert "Saisissez un nombre, par exemple 12,5 (au plus 2 chiffres après la virgule)." in response.text
    response = client.post(url, plan((programme.ddcspp, "120", StatutPart.CONFIRMEE)))
    assert "Une part ne peut pas dépasser 100 %." in response.text


def test_convention_is_created_then_budget_line_with_french_amounts(client, programme):
    client.force_login(programme.admin)
    dispositif = programme.dispositif
    url = reverse("financement:convention_modifier", args=[dispositif.pk])
    assert client.get(reverse("financement:plan_financement", args=[dispositif.pk])).status_code == 302
    response = client.post(
        url, {"intitule": "Convention 2026-2028", "date_debut": "2026-01-01", "duree_mois": "36"}
    )
    assert response.status_code == 302
    convention = Convention.objects.get(dispositif=dispositif)
    assert LogEntry.objects.get_for_object(convention).filter(actor=programme.admin).exists()

    response = client.post(
        reverse("financement:ligne_creer", args=[dispositif.pk]),
        {
            "type": TypeLigne.TISF, "libelle": "Interventions TISF", "porteur": programme.afc.pk, "ordre": "2",
            "montants-TOTAL_FORMS": "2", "montants-INITIAL_FORMS": "0",
            "montants-MIN_NUM_FORMS": "0", "montants-MAX_NUM_FORMS": "1000",
            "montants-0-annee": "2026", "montants-0-prevu": "12 345,50", "montants-0-realise": "",
            "montants-1-annee": "2031", "montants-1-prevu": "1000", "montants-1-realise": "",
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "L’année 2031 est en dehors de la convention (2026 à 2028)." in response.text
    assert 'value="12 345,50"' in response.text
    response = client.post(
        reverse("financement:ligne_creer", args=[dispositif.pk]),
        {
            "type": TypeLigne.TISF, "libelle": "Interventions TISF", "porteur": programme.afc.pk, "ordre": "2",
            "montants-TOTAL_FORMS": "1", "montants-INITIAL_FORMS": "0",
            "montants-MIN_NUM_FORMS": "0", "montants-MAX_NUM_FORMS": "1000",
            "montants-0-annee": "2026", "montants-0-prevu": "12 345,50", "montants-0-realise": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    montant = MontantAnnuel.objects.get(ligne__convention=convention)
    assert montant.prevu == Decimal("12345.50") and montant.realise == 0


def test_only_administrators_edit_the_convention(client, programme, convention):
    ligne = LigneBudgetaireFactory(convention=convention)
    pk = programme.dispositif.pk
    pages = [
        reverse("financement:conventions"),
        reverse("financement:convention_modifier", args=[pk]),
        reverse("financement:plan_financement", args=[pk]),
        reverse("financement:ligne_creer", args=[pk]),
        reverse("financement:ligne_modifier", args=[ligne.pk]),
    ]
    for user in (programme.financeur, programme.ts_adaff, programme.comite):
        client.force_login(user)
        assert {client.get(url).status_code for url in pages} == {403}, user
    client.force_login(programme.admin)
    assert {client.get(url).status_code for url in pages} == {200}


def test_another_programmes_convention_is_404(client, programme):
    herault = DispositifFactory(code="asea-herault", nom="ASEA Hérault")
    OrganisationFactory(nom="Association de l’Hérault", dispositifs=[herault])
    ligne = LigneBudgetaireFactory(convention=ConventionFactory(dispositif=herault, intitule="Hérault"))
    client.force_login(programme.admin)
    for url in (
        reverse("financement:convention_modifier", args=[herault.pk]),
        reverse("financement:plan_financement", args=[herault.pk]),
        reverse("financement:ligne_creer", args=[herault.pk]),
        reverse("financement:ligne_modifier", args=[ligne.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert "ASEA Hérault" not in client.get(reverse("financement:conventions")).text


def test_lists_do_not_grow_in_queries(
    client, programme, convention, count_queries, django_assert_max_num_queries
):
    client.force_login(programme.admin)
    urls = [
        reverse("financement:conventions"),
        reverse("financement:plan_financement", args=[programme.dispositif.pk]),
    ]
    PartFinanceurFactory(convention=convention, financeur=programme.ddcspp, pourcentage=100)
    avant = [count_queries(client.get, url) for url in urls]
    PartFinanceur.objects.update(pourcentage=50)
    PartFinanceurFactory(convention=convention, financeur=programme.cg, pourcentage=30)
    PartFinanceurFactory(convention=convention, financeur=programme.habitat, pourcentage=20)
    for n in range(3):
        MontantAnnuelFactory(ligne=LigneBudgetaireFactory(convention=convention, libelle=f"Ligne {n}"))
    for n in range(2):
        autre = DispositifFactory(code=f"autre-{n}", nom=f"Autre {n}")
        programme.adaff.dispositifs.add(autre)
        ConventionFactory(dispositif=autre, intitule=f"Convention {n}")
    assert [count_queries(client.get, url) for url in urls] == avant
    with django_assert_max_num_queries(13):  # with the current programme's id, read once
        client.get(urls[1])  # the financing plan: one form a share (a select, two fields, a radio group)
