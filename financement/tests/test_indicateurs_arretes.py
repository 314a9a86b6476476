"""The figures kept for the funders' dashboard (IndicateursArretes): the same as a fresh
computation, always shown with their date, computed again on demand, when too old, and by the
periodic task."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Contact
from comptes.models import NiveauAccompagnement
from comptes.tests.niveaux import NIVEAUX
from financement import indicators, services
from financement.forms import periode_par_defaut
from financement.models import IndicateursArretes
from financement.selectors import VALIDITE_INDICATEURS
from financement.tests.conftest import DEBUT, FIN, moment

PERIODE = "?debut=2026-01-01&fin=2026-06-30"


def _url(jeu, query=PERIODE):
    return reverse("financement:tableau", args=[jeu.dispositif.pk]) + query


def _nouveau_contact(jeu):
    menage = Contact.objects.filter(menage__dispositif=jeu.dispositif).first().menage
    Contact.objects.create(menage=menage, date=moment(2026, 3, 2), auteur=jeu.ts_adaff, duree_minutes=30)


def test_kept_figures_are_exactly_a_fresh_computation(jeu):
    for niveau in NIVEAUX:
        NiveauAccompagnement.objects.create(dispositif=jeu.dispositif, **niveau)
    services.arreter_indicateurs(dispositif=jeu.dispositif, debut=DEBUT, fin=FIN)
    kept = IndicateursArretes.objects.get(dispositif=jeu.dispositif, debut=DEBUT, fin=FIN).indicateurs
    fresh = indicators.calculer(jeu.dispositif, DEBUT, FIN)
    assert kept == indicators.chiffres(fresh)
    assert set(fresh) - set(kept) == set(indicators.NON_ARRETES)
    # Same types, not only equal values: tuples stay tuples, amounts stay decimals.
    assert kept["composition"][0] == ("1 personne", 2, 0)
    assert type(kept["budget"]["prevu"]) is type(fresh["budget"]["prevu"])
    assert kept["periode"] == indicators.Periode(DEBUT, FIN)


def test_json_round_trip_refuses_what_it_cannot_give_back():
    valeurs = {"a": [(1, "x", None)], "b": {"c": datetime.date(2026, 1, 2)}, "d": 1.5}
    assert indicators.depuis_json(indicators.vers_json(valeurs)) == valeurs
    with pytest.raises(TypeError):
        indicators.vers_json({"a": object()})
    with pytest.raises(TypeError):
        indicators.vers_json({1: "clé non textuelle"})


def test_dashboard_shows_the_date_of_its_figures_and_serves_them_until_refreshed(client, jeu):
    client.force_login(jeu.financeur)
    page = client.get(_url(jeu))
    arretes = page.context["arretes"]
    assert page.context["arretes"].indicateurs["contacts"]["nombre"] == 4
    assert "Chiffres arrêtés au" in page.content.decode()
    assert timezone.localtime(arretes.calcule_le).strftime("%H:%M") in page.content.decode()

    _nouveau_contact(jeu)
    # Within their validity, the figures kept are shown, with their date.
    page = client.get(_url(jeu))
    assert page.context["arretes"].indicateurs["contacts"]["nombre"] == 4
    assert page.context["arretes"].calcule_le == arretes.calcule_le

    # « Actualiser maintenant » computes them again at once.
    response = client.post(reverse("financement:actualiser", args=[jeu.dispositif.pk]) + PERIODE)
    assert response.status_code == 302 and response.url == _url(jeu)
    page = client.get(response.url)
    assert page.context["arretes"].indicateurs["contacts"]["nombre"] == 5
    assert page.context["arretes"].calcule_le > arretes.calcule_le
    assert "Les chiffres sont recalculés." in page.content.decode()


def test_figures_older_than_their_validity_are_computed_again_when_shown(client, jeu):
    client.force_login(jeu.financeur)
    client.get(_url(jeu))
    _nouveau_contact(jeu)
    IndicateursArretes.objects.update(calcule_le=timezone.now() - VALIDITE_INDICATEURS)
    page = client.get(_url(jeu))
    assert page.context["arretes"].indicateurs["contacts"]["nombre"] == 5
    assert page.context["arretes"].calcule_le > timezone.now() - datetime.timedelta(minutes=1)
    assert IndicateursArretes.objects.count() == 1


def test_each_period_has_its_own_figures(client, jeu):
    client.force_login(jeu.financeur)
    premier = client.get(_url(jeu, "?debut=2026-01-01&fin=2026-03-31")).context["i"]
    semestre = client.get(_url(jeu)).context["i"]
    assert premier["periode"].fin == datetime.date(2026, 3, 31)
    assert semestre["periode"].fin == FIN
    assert IndicateursArretes.objects.count() == 2


def test_periodic_task_computes_the_current_period_and_drops_old_figures(jeu):
    from financement.tasks import arreter_indicateurs

    ancien = services.arreter_indicateurs(dispositif=jeu.dispositif, debut=DEBUT, fin=FIN)
    IndicateursArretes.objects.filter(pk=ancien.pk).update(
        calcule_le=timezone.now() - VALIDITE_INDICATEURS - datetime.timedelta(minutes=1)
    )
    arreter_indicateurs.delay()
    debut, fin = periode_par_defaut(jeu.dispositif)
    courant = IndicateursArretes.objects.get()
    assert (courant.dispositif, courant.debut, courant.fin) == (jeu.dispositif, debut, fin)
    assert courant.indicateurs == indicators.chiffres(indicators.calculer(jeu.dispositif, debut, fin))
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    # Recomputed more often than the figures expire: the dashboard opens on figures ready.
    assert schedule["financement.tasks.arreter_indicateurs"] < VALIDITE_INDICATEURS.total_seconds()


def test_refresh_is_a_post_for_those_who_may_read_the_figures(client, jeu, programme):
    url = reverse("financement:actualiser", args=[jeu.dispositif.pk]) + PERIODE
    client.force_login(jeu.financeur)
    assert client.get(url).status_code == 405
    client.force_login(programme.ts_adaff)
    assert client.post(url).status_code == 403
    assert not IndicateursArretes.objects.exists()


def test_refresh_of_another_programme_is_a_404(client, jeu):
    from comptes.tests.factories import DispositifFactory

    autre = DispositifFactory(code="autre", nom="Autre dispositif")
    client.force_login(jeu.financeur)
    assert client.post(reverse("financement:actualiser", args=[autre.pk])).status_code == 404


def test_contacts_are_counted_by_local_day_at_the_period_bounds(jeu):
    avant = indicators.calculer(jeu.dispositif, DEBUT, FIN)["contacts"]["nombre"]
    menage = Contact.objects.filter(menage__dispositif=jeu.dispositif).first().menage
    paris = timezone.get_current_timezone()
    for jour, heure in [(DEBUT, (0, 5)), (FIN, (23, 55)), (DEBUT - datetime.timedelta(days=1), (23, 55))]:
        quand = datetime.datetime.combine(jour, datetime.time(*heure), tzinfo=paris)
        Contact.objects.create(menage=menage, date=quand, auteur=jeu.ts_adaff)
    Contact.objects.create(
        menage=menage, date=datetime.datetime(2026, 7, 1, 0, 5, tzinfo=paris), auteur=jeu.ts_adaff
    )
    # 1 January 00:05 and 30 June 23:55, Paris time, count (31 December 23:05 and 30 June 21:55 UTC).
    assert indicators.calculer(jeu.dispositif, DEBUT, FIN)["contacts"]["nombre"] == avant + 2
