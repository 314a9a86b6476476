"""The period of the funders' figures: a period outside the programme's dates, reversed or not a
date is a form error in French on the page, a 400 that says why for the exports, never a 500."""

import datetime
import html

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comptes.models import Dispositif
from financement import services, tasks
from financement.enums import StatutRapport
from financement.forms import periode_par_defaut
from financement.models import IndicateursArretes, RapportFinanceur
from financement.tests.factories import RapportFinanceurFactory

D = datetime.date

COMMENCE = "Le dispositif commence le 1er janvier 2026\u00a0: la période ne peut pas commencer avant."
TERMINE = "Le dispositif se termine le 31 décembre 2028\u00a0: la période ne peut pas finir après."
INVERSEE = "La fin de la période doit suivre son début."
PAS_UNE_DATE = "Saisissez une date valide."

PERIODES_INVALIDES = [
    pytest.param({"debut": "0001-01-01", "fin": "9999-12-31"}, {"debut": [COMMENCE], "fin": [TERMINE]}, id="absurde"),
    pytest.param({"debut": "2026-06-30", "fin": "2026-01-01"}, {"fin": [INVERSEE]}, id="inversee"),
    pytest.param({"debut": "abc", "fin": "2026-06-30"}, {"debut": [PAS_UNE_DATE]}, id="pas-une-date"),
    pytest.param({"debut": "2025-12-31", "fin": "2026-03-31"}, {"debut": [COMMENCE]}, id="avant-le-dispositif"),
]  # fmt: skip


@pytest.fixture
def financeur(client, convention, programme):
    client.force_login(programme.financeur)
    return programme


def _url(programme, nom, *args):
    return reverse(f"financement:{nom}", args=[programme.dispositif.pk, *args])


@pytest.mark.parametrize(("periode", "erreurs"), PERIODES_INVALIDES)
def test_an_invalid_period_is_shown_next_to_its_field_with_the_default_figures(
    client, financeur, periode, erreurs
):
    response = client.get(_url(financeur, "tableau"), periode)
    assert response.status_code == 200
    assert response.context["form"].errors == erreurs
    page = response.content.decode()
    for champ, messages in erreurs.items():
        # The message is under its field, which points to it.
        assert f'aria-describedby="id_{champ}_error"' in page
        bloc = page.split(f'id="id_{champ}_error"')[1].split("</div>")[0]
        assert all(message in bloc for message in messages)
    assert "La période demandée n’est pas valide" in page
    defaut = response.context["i"]["periode"]
    assert (defaut.debut, defaut.fin) == (financeur.dispositif.date_debut, response.context["arretes"].fin)


@pytest.mark.parametrize("format_", ["csv", "xlsx"])
@pytest.mark.parametrize(("periode", "erreurs"), PERIODES_INVALIDES)
def test_an_invalid_period_is_a_400_that_says_why_for_the_exports(
    client, financeur, format_, periode, erreurs
):
    response = client.get(_url(financeur, "export", format_), periode)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Export impossible" in page
    for messages in erreurs.values():
        assert all(message in page for message in messages)
    assert reverse("financement:tableau", args=[financeur.dispositif.pk]) in page


@pytest.mark.parametrize(("periode", "_erreurs"), PERIODES_INVALIDES)
def test_refreshing_an_invalid_period_computes_nothing_and_goes_back_to_its_errors(
    client, financeur, periode, _erreurs
):
    response = client.post(
        _url(financeur, "actualiser") + "?" + "&".join(f"{k}={v}" for k, v in periode.items())
    )
    assert response.status_code == 302
    assert response.url.startswith(_url(financeur, "tableau") + "?")
    assert not IndicateursArretes.objects.exists()
    assert client.get(response.url).context["form"].errors


def test_a_valid_period_and_no_period_still_export(client, financeur):
    assert (
        client.get(_url(financeur, "export", "csv"), {"debut": "2026-01-01", "fin": "2026-06-30"}).status_code
        == 200
    )
    response = client.get(_url(financeur, "export", "xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="indicateurs-{financeur.dispositif.code}-20260101-'
    )


def test_a_report_cannot_be_asked_for_outside_the_programme(client, financeur):
    response = client.post(
        reverse("financement:rapports"),
        {
            "dispositif": financeur.dispositif.pk,
            "financeur": financeur.ddcspp.pk,
            "debut": "0001-01-01",
            "fin": "9999-12-31",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"debut": [COMMENCE], "fin": [TERMINE]}
    assert not RapportFinanceur.objects.exists()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    debut=st.one_of(st.dates().map(str), st.text(max_size=20)),
    fin=st.one_of(st.dates().map(str), st.text(max_size=20)),
)
def test_any_period_gets_a_page_or_a_refusal_never_a_server_error(financeur, debut, fin):
    client = Client(raise_request_exception=False)
    client.force_login(financeur.financeur)
    for url in [
        _url(financeur, "tableau"),
        _url(financeur, "export", "csv"),
        _url(financeur, "export", "xlsx"),
    ]:
        assert client.get(url, {"debut": debut, "fin": fin}).status_code in (200, 400)


# The same rule where no form stands guard: the services and the scheduled tasks.

PERIODES_REFUSEES_PAR_LES_SERVICES = [
    pytest.param("0001-01-01", "9999-12-31", {"debut": [COMMENCE], "fin": [TERMINE]}, id="absurde"),
    pytest.param(D(2026, 6, 30), D(2026, 1, 1), {"fin": [INVERSEE]}, id="inversee"),
    pytest.param("abc", D(2026, 6, 30), {"debut": [PAS_UNE_DATE]}, id="pas-une-date"),
    pytest.param(D(2025, 12, 31), D(2026, 3, 31), {"debut": [COMMENCE]}, id="avant-le-dispositif"),
    pytest.param(None, D(2026, 3, 31), {"debut": [PAS_UNE_DATE]}, id="sans-debut"),
]


@pytest.mark.parametrize(("debut", "fin", "erreurs"), PERIODES_REFUSEES_PAR_LES_SERVICES)
def test_the_report_service_refuses_an_invalid_period_with_its_french_reason(
    convention, programme, debut, fin, erreurs
):
    with pytest.raises(services.DemandeInvalide) as refus:
        services.demander_rapport(
            dispositif=programme.dispositif, financeur=programme.ddcspp, date_debut=debut, date_fin=fin
        )
    assert refus.value.message_dict == erreurs
    assert not RapportFinanceur.objects.exists()


@pytest.mark.parametrize(("debut", "fin", "erreurs"), PERIODES_REFUSEES_PAR_LES_SERVICES)
def test_keeping_the_figures_of_an_invalid_period_is_refused(programme, debut, fin, erreurs):
    with pytest.raises(services.DemandeInvalide) as refus:
        services.arreter_indicateurs(dispositif=programme.dispositif, debut=debut, fin=fin)
    assert refus.value.message_dict == erreurs
    assert not IndicateursArretes.objects.exists()


def test_the_report_service_reads_a_period_given_as_iso_strings(convention, programme):
    rapport = services.demander_rapport(
        dispositif=programme.dispositif,
        financeur=programme.ddcspp,
        date_debut="2026-01-01",
        date_fin="2026-03-31",
    )
    assert (rapport.date_debut, rapport.date_fin) == (D(2026, 1, 1), D(2026, 3, 31))


def test_the_worker_fails_a_report_outside_its_programme_with_the_reason_and_no_retry(
    client, convention, programme
):
    # Asked for when the programme's dates were others: now it starts on 1 January 2026.
    rapport = RapportFinanceurFactory(
        dispositif=programme.dispositif,
        financeur=programme.ddcspp,
        date_debut=D(2025, 10, 1),
        date_fin=D(2025, 12, 31),
    )
    tasks.generer_rapport.apply(args=[rapport.pk]).get()  # no exception: nothing to retry
    rapport.refresh_from_db()
    assert rapport.statut == StatutRapport.ECHEC
    assert rapport.erreur == f"Période non valide\u00a0: {COMMENCE}"
    assert not rapport.fichier
    # The reason is shown in the report's row.
    client.force_login(programme.financeur)
    page = client.get(reverse("financement:rapports")).content.decode()
    assert html.escape(COMMENCE) in page


def test_scheduled_reports_keep_to_the_programme_s_dates(
    convention, programme, django_capture_on_commit_callbacks
):
    # The programme (and its convention) starts on 1 March 2026: its first annual report is from
    # then, not from 1 January; its first quarterly one runs from 1 March to 31 March.
    Dispositif.objects.filter(pk=programme.dispositif.pk).update(date_debut=D(2026, 3, 1))
    with django_capture_on_commit_callbacks(execute=False):
        services.planifier_rapports(aujourdhui=D(2027, 1, 10))
        services.planifier_rapports(aujourdhui=D(2026, 4, 2))
    periodes = set(RapportFinanceur.objects.values_list("periodicite", "date_debut", "date_fin"))
    assert periodes == {
        ("annuel", D(2026, 3, 1), D(2026, 12, 31)),
        ("trimestriel", D(2026, 10, 1), D(2026, 12, 31)),
        ("trimestriel", D(2026, 3, 1), D(2026, 3, 31)),
    }
    # Nothing of 2025, before the programme, is scheduled.
    assert services.planifier_rapports(aujourdhui=D(2026, 1, 5)) == []


def test_the_dashboard_of_a_programme_not_started_yet_is_its_first_day(convention, programme):
    Dispositif.objects.filter(pk=programme.dispositif.pk).update(date_debut=D(2099, 1, 1))
    programme.dispositif.refresh_from_db()
    # Never a reversed period (from its start to today, before its start).
    assert periode_par_defaut(programme.dispositif) == (D(2099, 1, 1), D(2099, 1, 1))
    arretes = services.arreter_indicateurs_courants()
    assert [(a.dispositif_id, a.debut, a.fin) for a in arretes] == [
        (programme.dispositif.pk, D(2099, 1, 1), D(2099, 1, 1))
    ]
