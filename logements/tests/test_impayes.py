"""The monthly arrears totals (ImpayesMensuels) stay equal to the sum of the balances, whatever
changes them, and each CESF reads her landlord's only."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from logements import impayes, selectors, services
from logements.enums import EtapeProcedure
from logements.models import EtapeExpulsion, ImpayesMensuels, SoldeLocatif
from logements.tasks import recalculer_impayes
from menages.tests.factories import MenageFactory

JANVIER = datetime.date(2026, 1, 1)
FEVRIER = datetime.date(2026, 2, 1)


def _en_direct():
    """The totals computed from the balances themselves."""
    return {
        (b, d, m): total
        for b, d, m, total in SoldeLocatif.objects.values_list(
            "menage__bailleur", "menage__dispositif", "mois"
        )
        .annotate(total=Sum("solde"))
        .values_list("menage__bailleur", "menage__dispositif", "mois", "total")
        .order_by()
    }


def _tenus():
    return {(r.bailleur_id, r.dispositif_id, r.mois): r.total for r in ImpayesMensuels.objects.all()}


@pytest.fixture
def locataires(programme):
    return [
        MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat),
        MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat),
        MenageFactory(dispositif=programme.dispositif, bailleur=programme.alogea),
    ]


def _saisir(programme, menage, mois, montant):
    return services.enregistrer_solde(
        menage=menage, mois=mois, solde=Decimal(montant), auteur=programme.cesf_habitat
    )


def test_balances_recorded_and_corrected_are_summed_per_landlord_programme_and_month(programme, locataires):
    a, b, c = locataires
    _saisir(programme, a, JANVIER, "100.50")
    _saisir(programme, b, JANVIER, "200")
    _saisir(programme, c, JANVIER, "40")
    _saisir(programme, a, FEVRIER, "150")
    d = programme.dispositif.pk
    assert _tenus() == {
        (programme.habitat.pk, d, JANVIER): Decimal("300.50"),
        (programme.habitat.pk, d, FEVRIER): Decimal("150.00"),
        (programme.alogea.pk, d, JANVIER): Decimal("40.00"),
    }
    _saisir(programme, a, JANVIER, "0")  # corrected: paid off
    assert _tenus()[(programme.habitat.pk, d, JANVIER)] == Decimal("200.00")
    assert _tenus() == _en_direct()


def test_deleted_balances_and_households_leave_the_totals(programme, locataires):
    a, b, c = locataires
    for menage in locataires:
        _saisir(programme, menage, JANVIER, "10")
    SoldeLocatif.objects.get(menage=a).delete()  # as from the admin
    assert _tenus() == _en_direct()
    c.delete()  # the cascade deletes its balances one by one, with their signals
    assert _tenus() == _en_direct()
    SoldeLocatif.objects.all().delete()
    assert _tenus() == {} == _en_direct()


def test_balance_moved_to_another_month_leaves_the_first_month(programme, locataires):
    solde = _saisir(programme, locataires[0], JANVIER, "80")
    solde.mois = FEVRIER
    solde.save()
    assert (
        _tenus()
        == _en_direct()
        == {(programme.habitat.pk, programme.dispositif.pk, FEVRIER): Decimal("80.00")}
    )


def test_household_moving_to_another_landlord_takes_its_balances_along(programme, locataires):
    a, _b, c = locataires
    _saisir(programme, a, JANVIER, "70")
    _saisir(programme, c, JANVIER, "30")
    a.bailleur = programme.alogea
    a.save()
    assert (
        _tenus()
        == _en_direct()
        == {(programme.alogea.pk, programme.dispositif.pk, JANVIER): Decimal("100.00")}
    )


def test_household_saves_that_do_not_move_it_cost_no_recomputation(programme, locataires):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a = locataires[0]
    _saisir(programme, a, JANVIER, "70")
    a.nom = "Nouveau nom"
    with CaptureQueriesContext(connection) as ctx:
        a.save()
    assert not [q["sql"] for q in ctx.captured_queries if "logements_" in q["sql"]]
    assert _tenus() == _en_direct()


def test_the_nightly_task_repairs_changes_made_behind_the_signals(programme, locataires):
    a, b, _c = locataires
    SoldeLocatif.objects.bulk_create(
        [
            SoldeLocatif(menage=a, mois=JANVIER, solde=Decimal("5")),
            SoldeLocatif(menage=b, mois=JANVIER, solde=1),
        ]
    )
    SoldeLocatif.objects.filter(menage=b).update(solde=Decimal("7"))
    assert _tenus() == {}
    recalculer_impayes()
    assert (
        _tenus()
        == _en_direct()
        == {(programme.habitat.pk, programme.dispositif.pk, JANVIER): Decimal("12.00")}
    )
    recalculer_impayes()  # idempotent
    assert _tenus() == _en_direct()


def test_recomputing_one_landlord_leaves_the_others(programme, locataires):
    for menage in locataires:
        _saisir(programme, menage, JANVIER, "10")
    avant = _tenus()
    impayes.recalculer(bailleur_id=programme.habitat.pk)
    assert _tenus() == avant


@pytest.mark.parametrize(
    "persona, bailleurs",
    [("cesf_habitat", {"habitat"}), ("cesf_alogea", {"alogea"}), ("admin", {"habitat", "alogea"}),
     ("ts_adaff", set()), ("gardien_habitat", set()), ("financeur", set())],
)  # fmt: skip
def test_each_cesf_reads_her_landlords_totals_only(programme, locataires, persona, bailleurs):
    for menage in locataires:
        _saisir(programme, menage, JANVIER, "10")
    visibles = set(
        ImpayesMensuels.objects.visible_to(getattr(programme, persona)).values_list("bailleur", flat=True)
    )
    assert visibles == {getattr(programme, b).pk for b in bailleurs}


def test_dashboard_trend_reads_the_totals(programme, locataires):
    from django.utils import timezone

    ce_mois = timezone.localdate().replace(day=1)
    _saisir(programme, locataires[0], ce_mois, "100.25")
    _saisir(programme, locataires[1], ce_mois, "200.50")
    _saisir(programme, locataires[2], ce_mois, "999")  # ALOGEA's
    tendance = dict(selectors.tableau_cesf(programme.cesf_habitat)["tendance"])
    assert len(tendance) == selectors.MOIS_TENDANCE
    assert tendance[ce_mois] == Decimal("300.75")


def test_procedures_show_each_households_last_step_latest_first(programme, locataires):
    a, b, c = locataires
    for menage, etape, jour in [
        (a, EtapeProcedure.COMMANDEMENT_PAYER, datetime.date(2026, 1, 5)),
        (a, EtapeProcedure.ASSIGNATION, datetime.date(2026, 3, 5)),
        (b, EtapeProcedure.COMMANDEMENT_PAYER, datetime.date(2026, 2, 1)),
        (c, EtapeProcedure.JUGEMENT, datetime.date(2026, 4, 1)),  # ALOGEA's tenant
    ]:
        EtapeExpulsion.objects.create(menage=menage, etape=etape, date=jour)
    # Two steps on the same day: the one entered last is the household's current step.
    EtapeExpulsion.objects.create(menage=b, etape=EtapeProcedure.ASSIGNATION, date=datetime.date(2026, 2, 1))
    procedures = selectors.tableau_cesf(programme.cesf_habitat)["procedures"]
    assert [(m.pk, etape, jour) for m, etape, jour in procedures] == [
        (a.pk, "Assignation", datetime.date(2026, 3, 5)),
        (b.pk, "Assignation", datetime.date(2026, 2, 1)),
    ]


def test_the_totals_being_derived_data_leave_no_audit_trail(programme, locataires):
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    _saisir(programme, locataires[0], JANVIER, "10")
    _saisir(programme, locataires[0], JANVIER, "20")  # the month's total is deleted and written again
    assert not LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ImpayesMensuels)
    ).exists()
    assert LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(SoldeLocatif)).exists()
