"""A session's calendar and states: proposed on working days, moved by whoever runs it, held
(attendance and quorum, through a confirmation page), not held or cancelled with a reason, and
flagged when left planned after its day."""

import datetime
import io

import holidays
import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from comites import services
from comites.enums import StatutSeance
from comites.models import Seance
from comites.tests.factories import InstanceFactory, PointOrdreDuJourFactory, SeanceFactory
from comptes.tests.factories import DispositifFactory


def all_present(seance):
    services.enregistrer_presences(seance=seance, presents=seance.instance.membres.all())


@pytest.mark.parametrize(
    "debut", [datetime.date(2026, 1, 1), datetime.date(2026, 12, 1), datetime.date(2027, 5, 1)]
)
@pytest.mark.parametrize("rythme", [1, 2])
def test_no_session_is_proposed_on_a_weekend_or_a_french_public_holiday_over_36_months(db, debut, rythme):
    dispositif = DispositifFactory(
        code=f"d-{debut:%Y%m}-{rythme}", date_debut=debut, rythme_comite_mois=rythme
    )
    instance = InstanceFactory(dispositif=dispositif)
    seances = services.proposer_seances(instance=instance, a_partir_du=debut)
    jours = [timezone.localtime(s.date).date() for s in seances]
    feries = holidays.France(years=range(debut.year, debut.year + 4))
    assert len(jours) == 36 // rythme - 1  # one per period after the start, to the convention's end
    assert [j for j in jours if j.weekday() >= 5 or j in feries] == []
    # Each falls on the first working day on or after its due date.
    for n, jour in enumerate(jours, start=1):
        echeance = debut + relativedelta(months=n * rythme)
        assert all(
            d.weekday() >= 5 or d in feries
            for d in (echeance + datetime.timedelta(k) for k in range((jour - echeance).days))
        )


def test_session_due_on_new_years_day_is_proposed_on_the_next_working_day(comite):
    jours = [
        timezone.localtime(s.date).date()
        for s in services.proposer_seances(instance=comite, a_partir_du=comite.dispositif.date_debut)
    ]
    assert datetime.date(2027, 1, 1) not in jours
    assert datetime.date(2027, 1, 4) in jours  # Friday 1st is a holiday, then a weekend


def test_the_rhythm_of_the_comite_de_suivi_is_the_programmes_setting(comite):
    comite.dispositif.rythme_comite_mois = 3
    comite.dispositif.save()
    seances = services.proposer_seances(instance=comite, a_partir_du=comite.dispositif.date_debut)
    assert len(seances) == 11


def test_proposing_again_keeps_the_sessions_already_moved_and_plans_no_past_one(comite):
    with_past = services.proposer_seances(instance=comite, a_partir_du=comite.dispositif.date_debut)
    premiere = with_past[0]
    services.deplacer_seance(seance=premiere, date=premiere.date + datetime.timedelta(days=1))
    assert services.proposer_seances(instance=comite, a_partir_du=comite.dispositif.date_debut) == []
    Seance.objects.all().delete()
    futures = services.proposer_seances(instance=comite)
    assert futures and all(timezone.localtime(s.date).date() >= timezone.localdate() for s in futures)


def test_secretary_moves_a_session_but_not_to_a_sunday_nor_a_holiday(client, programme, seance):
    client.force_login(programme.ts_adaff)
    url = reverse("comites:seance_deplacer", args=[seance.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"date": "2027-01-03T14:00"})  # a Sunday
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "Le dimanche 3 janvier 2027 tombe un week-end : choisissez un jour ouvré (du lundi au vendredi)."
    ]
    assert "tombe un week-end" in response.content.decode()
    response = client.post(url, {"date": "2026-12-25T14:00"})
    assert response.context["form"].errors["date"] == [
        "Le vendredi 25 décembre 2026 est un jour férié (Noël) : choisissez un jour ouvré."
    ]
    seance.refresh_from_db()
    assert timezone.localtime(seance.date).date() != datetime.date(2027, 1, 3)
    assert client.post(url, {"date": "2027-01-05T10:00"}).status_code == 302
    seance.refresh_from_db()
    assert timezone.localtime(seance.date) == timezone.make_aware(datetime.datetime(2027, 1, 5, 10))


def test_moving_a_convened_session_asks_for_a_new_convocation(client, programme, comite):
    seance = SeanceFactory(instance=comite, convoquee=True)
    client.force_login(programme.ts_adaff)
    response = client.post(
        reverse("comites:seance_deplacer", args=[seance.pk]), {"date": "2027-01-05T10:00"}, follow=True
    )
    assert "envoyez-en une nouvelle" in response.content.decode()
    seance.refresh_from_db()
    assert seance.statut == StatutSeance.PLANIFIEE


def test_a_plain_member_cannot_move_a_session(client, programme, seance):
    client.force_login(programme.financeur)
    response = client.post(reverse("comites:seance_deplacer", args=[seance.pk]), {"date": "2027-01-05T10:00"})
    assert response.status_code == 403


def test_closing_without_quorum_is_refused(client, programme, comite):
    seance = SeanceFactory(instance=comite, passee=True)
    url = reverse("comites:seance_clore", args=[seance.pk])
    client.force_login(programme.ts_adaff)
    page = client.get(url).content.decode()
    assert "Les présences ne sont pas enregistrées." in page
    assert "Confirmer" not in page
    services.enregistrer_presences(seance=seance, presents=[comite.membres.get(utilisateur=programme.comite)])
    page = client.get(url).content.decode()
    assert "Le quorum n’est pas atteint : 1 membre votant présent sur 2 requis." in page
    response = client.post(url, follow=True)
    assert "Le quorum n’est pas atteint" in response.content.decode()
    seance.refresh_from_db()
    assert seance.statut == StatutSeance.PLANIFIEE and not seance.pv_en_cours


def test_a_session_is_not_held_before_its_day(programme, seance):
    all_present(seance)
    with pytest.raises(services.ActionImpossible, match="pas encore eu lieu"):
        services.clore_seance(seance=seance)


def test_closing_a_held_session_through_the_confirmation_page(
    client, programme, comite, django_capture_on_commit_callbacks
):
    precedente = SeanceFactory(instance=comite, tenue=True, date=timezone.now() - datetime.timedelta(days=60))
    seance = SeanceFactory(instance=comite, passee=True)
    decide = PointOrdreDuJourFactory(seance=seance, refuse=True)
    PointOrdreDuJourFactory(seance=seance)
    all_present(seance)
    url = reverse("comites:seance_clore", args=[seance.pk])
    client.force_login(programme.ts_adaff)

    page = client.get(url).content.decode()
    assert f"{decide.menage.reference} – Autre : refuser" in page
    assert "1 point sans décision" in page
    for membre in (programme.comite, programme.ts_adaff, programme.financeur, programme.cesf_habitat):
        assert membre.email in page
    assert f"approuve le procès-verbal de la séance du {timezone.localtime(precedente.date):%-d}" in page
    seance.refresh_from_db()
    assert seance.statut == StatutSeance.PLANIFIEE  # GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    seance.refresh_from_db()
    precedente.refresh_from_db()
    assert seance.statut == StatutSeance.TENUE and seance.close_le
    assert seance.pv and not seance.pv_en_cours
    assert mail.outbox[-1].subject == f"Procès-verbal : {seance}"
    assert not mail.outbox[-1].attachments  # the minutes are read after login, not emailed
    assert seance.get_absolute_url() in mail.outbox[-1].body
    with seance.pv.open("rb") as fichier:
        pdf = PdfReader(io.BytesIO(fichier.read()))
    assert "Le comité approuve le procès-verbal de la séance du" in " ".join(
        p.extract_text() for p in pdf.pages
    )
    assert precedente.pv_approuve_par == seance
    page = client.get(seance.get_absolute_url()).content.decode()
    assert "Procès-verbal à approuver lors de la prochaine séance." in page
    assert "Clore la séance" not in page
    page = client.get(precedente.get_absolute_url()).content.decode()
    assert "Procès-verbal approuvé lors de la" in page
    # Once held, it is not closed again, nor recorded as not held.
    with pytest.raises(services.ActionImpossible):
        services.clore_seance(seance=seance)
    with pytest.raises(services.ActionImpossible):
        services.constater_absence_de_seance(seance=seance, statut=StatutSeance.NON_TENUE, motif="x")


def test_session_not_held_with_its_reason(client, programme, comite):
    seance = SeanceFactory(instance=comite, passee=True)
    point = PointOrdreDuJourFactory(seance=seance)
    url = reverse("comites:seance_sans_seance", args=[seance.pk])
    client.force_login(programme.ts_adaff)
    response = client.post(url, {"statut": "non_tenue", "motif": ""})
    assert response.context["form"].errors["motif"]
    response = client.post(url, {"statut": "non_tenue", "motif": "Quorum non atteint."}, follow=True)
    assert "La séance est enregistrée comme non tenue." in response.content.decode()
    seance.refresh_from_db()
    assert (seance.statut, seance.motif_statut) == (StatutSeance.NON_TENUE, "Quorum non atteint.")
    assert not seance.pv_en_cours and not seance.pv
    # Its undecided item is free for the next session's agenda.
    assert point not in type(point).objects.ouverts()


def test_a_future_session_is_cancelled_not_recorded_as_not_held(programme, seance):
    with pytest.raises(services.ActionImpossible, match="annulez-la"):
        services.constater_absence_de_seance(seance=seance, statut=StatutSeance.NON_TENUE, motif="Grève")
    services.constater_absence_de_seance(seance=seance, statut=StatutSeance.ANNULEE, motif="Grève")
    seance.refresh_from_db()
    assert seance.statut == StatutSeance.ANNULEE and seance.close


def test_a_session_with_decisions_was_held(programme, comite):
    seance = SeanceFactory(instance=comite, passee=True)
    PointOrdreDuJourFactory(seance=seance, refuse=True)
    with pytest.raises(services.ActionImpossible, match="elle s’est tenue"):
        services.constater_absence_de_seance(seance=seance, statut=StatutSeance.NON_TENUE, motif="x")


def test_past_planned_session_is_flagged_to_regularise(client, programme, comite):
    passee = SeanceFactory(instance=comite, passee=True)
    tenue = SeanceFactory(instance=comite, passee=True, tenue=True)
    assert list(Seance.objects.a_regulariser()) == [passee]
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("comites:seances"))
    assert response.context["a_regulariser"] == [passee]
    assert "Séances à régulariser" in response.content.decode()
    assert "à régulariser" in client.get(passee.get_absolute_url()).content.decode()
    assert "à régulariser" not in client.get(tenue.get_absolute_url()).content.decode()
    # The secretary's dashboard, and the chair's committee widget.
    assert client.get(reverse("tableau_de_bord")).context["a_regulariser"] == [passee]
    client.force_login(programme.comite)
    assert client.get(reverse("tableau_de_bord")).context["comite"]["a_regulariser"] == [passee]
    # A plain member does not run it: nothing to settle for them, and her dashboard does not look.
    client.force_login(programme.cesf_habitat)
    assert client.get(reverse("comites:seances")).context["a_regulariser"] == []
    assert "a_regulariser" not in client.get(reverse("tableau_de_bord")).context


def test_no_convocation_for_a_session_whose_day_has_passed(client, programme, comite):
    seance = SeanceFactory(instance=comite, passee=True)
    client.force_login(programme.ts_adaff)
    assert "Envoyer la convocation" not in client.get(seance.get_absolute_url()).content.decode()
    with pytest.raises(services.ActionImpossible, match="déplacez-la"):
        services.envoyer_convocation(seance=seance)


def test_a_session_of_today_is_not_yet_to_regularise(comite):
    SeanceFactory(instance=comite, date=timezone.now())
    assert not Seance.objects.a_regulariser().exists()
