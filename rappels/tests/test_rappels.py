import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accompagnement.tests.factories import AccompagnementFactory, ContactFactory, ObjectifFactory
from comites.models import Instance, MembreInstance, Seance
from menages.enums import EtatParcours
from menages.models import ValidationFinanceur
from menages.tests.factories import IntervenantFactory, MenageFactory
from rappels import generation, services
from rappels.enums import StatutEnvoi, TypeRappel
from rappels.models import PreferenceNotification, Rappel

NOW = datetime.datetime(2026, 11, 29, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def suivi(programme, frozen):
    """A household in support followed by ADAFF's worker; its landlord's CESF on it too."""
    menage = MenageFactory(
        dispositif=programme.dispositif, bailleur=programme.habitat, etat=EtatParcours.ACCOMPAGNEMENT
    )
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff, date_debut=datetime.date(2026, 1, 1))
    IntervenantFactory(
        menage=menage, type="cesf", utilisateur=programme.cesf_habitat, date_debut=datetime.date(2026, 1, 1)
    )
    acc = AccompagnementFactory(
        menage=menage,
        rythme="hebdomadaire",
        date_debut=datetime.date(2026, 9, 1),
        date_fin_prevue=datetime.date(2027, 8, 31),
    )
    return acc


def generated(type_rappel):
    generation.generer()
    return set(Rappel.objects.filter(type=type_rappel).values_list("destinataire__username", flat=True))


def test_contact_overdue(programme, suivi):
    ContactFactory(menage=suivi.menage, auteur=programme.ts_adaff, date=NOW - datetime.timedelta(days=8))
    assert generated(TypeRappel.CONTACT_EN_RETARD) == set()  # 8 days: not yet for a weekly rythme
    ContactFactory(menage=suivi.menage, auteur=programme.ts_adaff, date=NOW - datetime.timedelta(days=20))
    Rappel.objects.all().delete()
    with time_machine.travel(NOW + datetime.timedelta(days=2), tick=False):
        assert generated(TypeRappel.CONTACT_EN_RETARD) == {"ts.adaff"}
        assert generation.generer() == 0  # already there: not twice


def test_level_end_30_15_and_0_days_before(programme, suivi):
    suivi.date_fin_prevue = datetime.date(2027, 1, 10)
    suivi.save()
    assert generated(TypeRappel.ECHEANCE_NIVEAU) == set()  # 42 days before
    for days in (30, 15, 0):
        with time_machine.travel(
            datetime.datetime(2027, 1, 10, 9, tzinfo=datetime.UTC) - datetime.timedelta(days=days), tick=False
        ):
            generation.generer()
            generation.generer()
    cles = sorted(Rappel.objects.filter(type=TypeRappel.ECHEANCE_NIVEAU).values_list("cle", flat=True))
    assert len(cles) == 6  # three thresholds × (référent + CESF), each once
    assert {c.split(":")[3] for c in cles} == {"30", "15", "0"}


def test_recipient_who_may_not_see_the_household_gets_nothing(programme, suivi):
    suivi.date_fin_prevue = datetime.date(2026, 12, 10)
    suivi.save()
    # The CESF of the other landlord is wrongly listed as an intervenant: she may not see it.
    IntervenantFactory(menage=suivi.menage, type="cesf", utilisateur=programme.cesf_alogea)
    assert generated(TypeRappel.ECHEANCE_NIVEAU) == {"ts.adaff", "cesf.habitat"}


def test_objective_review_due(programme, suivi):
    ObjectifFactory(menage=suivi.menage, date_revision=datetime.date(2026, 11, 30))
    assert generated(TypeRappel.REVUE_OBJECTIF) == set()
    ObjectifFactory(menage=suivi.menage, date_revision=datetime.date(2026, 11, 29))
    ObjectifFactory(menage=suivi.menage, date_revision=datetime.date(2026, 11, 1), statut="atteint")
    assert generated(TypeRappel.REVUE_OBJECTIF) == {"ts.adaff"}
    assert Rappel.objects.filter(type=TypeRappel.REVUE_OBJECTIF).count() == 1


def test_key_moment_tomorrow(programme, suivi):
    from accompagnement.models import TempsFort

    TempsFort.objects.create(
        menage=suivi.menage,
        type="signature_bail",
        modalite="cesf",
        date_prevue=NOW + datetime.timedelta(days=2),
    )
    assert generated(TypeRappel.TEMPS_FORT_DEMAIN) == set()
    TempsFort.objects.create(
        menage=suivi.menage,
        type="entree_lieux",
        modalite="cesf",
        date_prevue=NOW + datetime.timedelta(days=1),
    )
    assert generated(TypeRappel.TEMPS_FORT_DEMAIN) == {"ts.adaff", "cesf.habitat"}


def test_funder_validation_pending_too_long(programme, frozen):
    menage = MenageFactory(dispositif=programme.dispositif, etat=EtatParcours.VALIDATION_FINANCEURS)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    v = ValidationFinanceur.objects.create(
        menage=menage, numero_parcours=1, financeur=programme.ddcspp, demandee_par=programme.ts_adaff,
        demandee_le=NOW - datetime.timedelta(days=9),
    )  # fmt: skip
    assert generated(TypeRappel.VALIDATION_EN_ATTENTE) == set()
    ValidationFinanceur.objects.filter(pk=v.pk).update(demandee_le=NOW - datetime.timedelta(days=11))
    assert generated(TypeRappel.VALIDATION_EN_ATTENTE) == {"ts.adaff"}  # never the funder: no name for them


def test_diagnostic_not_done_after_validation(programme, frozen):
    from menages.models import EvenementParcours

    menage = MenageFactory(dispositif=programme.dispositif, etat=EtatParcours.DIAGNOSTIC)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    e = EvenementParcours.objects.create(
        menage=menage, numero_parcours=1, etat_avant="validation_financeurs", etat_apres="diagnostic",
        date=NOW - datetime.timedelta(days=29),
    )  # fmt: skip
    assert generated(TypeRappel.DIAGNOSTIC_EN_ATTENTE) == set()
    EvenementParcours.objects.filter(pk=e.pk).update(date=NOW - datetime.timedelta(days=31))
    assert generated(TypeRappel.DIAGNOSTIC_EN_ATTENTE) == {"ts.adaff"}


def test_follow_up_6_and_12_months_after_exit(programme, suivi):
    suivi.date_debut = datetime.date(2026, 1, 1)
    suivi.date_fin = datetime.date(2026, 6, 1)
    suivi.save()
    assert generated(TypeRappel.SUIVI_POST_SORTIE) == set()
    with time_machine.travel(datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC), tick=False):
        assert generated(TypeRappel.SUIVI_POST_SORTIE) == {"ts.adaff"}
    with time_machine.travel(datetime.datetime(2027, 6, 2, 9, tzinfo=datetime.UTC), tick=False):
        generation.generer()
    assert {
        c.split(":")[2]
        for c in Rappel.objects.filter(type=TypeRappel.SUIVI_POST_SORTIE).values_list("cle", flat=True)
    } == {"6", "12"}


def test_information_notice_to_renew(programme, suivi):
    menage = suivi.menage
    menage.date_information = datetime.date(2025, 12, 1)
    menage.save()
    assert generated(TypeRappel.CONSENTEMENT) == set()
    menage.date_information = datetime.date(2025, 11, 20)
    menage.save()
    assert generated(TypeRappel.CONSENTEMENT) == {"ts.adaff"}


def test_committee_session_and_awaited_opinions(programme, frozen):
    instance = Instance.objects.create(dispositif=programme.dispositif, type="comite_suivi", nom="Comité")
    MembreInstance.objects.create(
        instance=instance, utilisateur=programme.comite, date_debut=datetime.date(2026, 1, 1)
    )
    seance = Seance.objects.create(instance=instance, date=NOW + datetime.timedelta(days=8))
    assert generated(TypeRappel.SEANCE) == set()
    Seance.objects.filter(pk=seance.pk).update(date=NOW + datetime.timedelta(days=2))
    from comites.models import PointOrdreDuJour

    PointOrdreDuJour.objects.create(
        seance=seance, menage=MenageFactory(dispositif=programme.dispositif), type="autre"
    )
    assert generated(TypeRappel.SEANCE) == {"comite.cg"}
    assert set(
        Rappel.objects.filter(type=TypeRappel.AVIS_ATTENDU).values_list("destinataire__username", flat=True)
    ) == {"comite.cg"}


@pytest.mark.parametrize(
    ("heure_locale", "pas_avant", "rappel_a"),
    [
        # Sent at 10:00 (Paris) for 16:00 the same day: reminded at 13:00, halfway.
        (16, datetime.timedelta(hours=2), datetime.timedelta(hours=3)),
        # Sent at 10:00 for a consultation dated 08:00 that day: due by the end of the day,
        # reminded halfway, at 17:00.
        (8, datetime.timedelta(hours=6), datetime.timedelta(hours=7)),
    ],
)
def test_same_day_urgent_consultation_reminds_who_has_not_answered(
    programme, frozen, heure_locale, pas_avant, rappel_a
):
    from comites.models import AvisMembre, PointOrdreDuJour

    instance = Instance.objects.create(dispositif=programme.dispositif, type="comite_suivi", nom="Comité")
    mandats = [
        MembreInstance.objects.create(instance=instance, utilisateur=u, date_debut=datetime.date(2026, 1, 1))
        for u in (programme.comite, programme.financeur)
    ]
    paris = timezone.get_current_timezone()
    consultation = Seance.objects.create(
        instance=instance,
        urgente=True,
        date=datetime.datetime(2026, 11, 29, heure_locale, 0, tzinfo=paris),
    )
    point = PointOrdreDuJour.objects.create(
        seance=consultation, menage=MenageFactory(dispositif=programme.dispositif), type="autre"
    )
    assert generated(TypeRappel.AVIS_ATTENDU) == set()  # the members are not consulted yet
    Seance.objects.filter(pk=consultation.pk).update(statut="convoquee", convocation_envoyee_le=NOW)
    AvisMembre.objects.create(point=point, membre=mandats[1], avis="favorable")
    assert generated(TypeRappel.AVIS_ATTENDU) == set()  # just consulted by email: not at once
    with time_machine.travel(NOW + pas_avant, tick=False):
        assert generated(TypeRappel.AVIS_ATTENDU) == set()
    with time_machine.travel(NOW + rappel_a, tick=False):
        assert generated(TypeRappel.AVIS_ATTENDU) == {"comite.cg"}  # not who answered
        assert generation.generer() == 0  # once
    (rappel,) = Rappel.objects.filter(type=TypeRappel.AVIS_ATTENDU)
    assert "consultation urgente, 1 point(s)" in rappel.titre
    assert rappel.lien == consultation.get_absolute_url()


def test_urgent_consultation_days_ahead_is_reminded_at_the_usual_delay(programme, frozen):
    from comites.models import PointOrdreDuJour

    instance = Instance.objects.create(dispositif=programme.dispositif, type="comite_suivi", nom="Comité")
    MembreInstance.objects.create(
        instance=instance, utilisateur=programme.comite, date_debut=datetime.date(2026, 1, 1)
    )
    consultation = Seance.objects.create(
        instance=instance,
        urgente=True,
        statut="convoquee",
        convocation_envoyee_le=NOW,
        date=NOW + datetime.timedelta(days=10),
    )
    PointOrdreDuJour.objects.create(
        seance=consultation, menage=MenageFactory(dispositif=programme.dispositif), type="autre"
    )
    # Halfway would be in 5 days; the programme reminds 3 days before the deadline.
    with time_machine.travel(NOW + datetime.timedelta(days=6), tick=False):
        assert generated(TypeRappel.AVIS_ATTENDU) == set()
    with time_machine.travel(NOW + datetime.timedelta(days=7, minutes=15), tick=False):
        assert generated(TypeRappel.AVIS_ATTENDU) == {"comite.cg"}
    # Its day over, undecided: the secretary settles it; no more opinion reminders.
    Rappel.objects.all().delete()
    with time_machine.travel(NOW + datetime.timedelta(days=11), tick=False):
        assert generated(TypeRappel.AVIS_ATTENDU) == set()


def test_past_session_left_planned_reminds_its_secretary_once(programme, frozen):
    instance = Instance.objects.create(dispositif=programme.dispositif, type="comite_suivi", nom="Comité")
    for user, role in (
        (programme.comite, "president"),
        (programme.ts_adaff, "secretaire"),
        (programme.financeur, "membre"),
    ):
        MembreInstance.objects.create(
            instance=instance, utilisateur=user, role=role, date_debut=datetime.date(2026, 1, 1)
        )
    seance = Seance.objects.create(instance=instance, date=NOW - datetime.timedelta(hours=2))
    Seance.objects.create(instance=instance, date=NOW - datetime.timedelta(days=30), statut="tenue")
    Seance.objects.create(instance=instance, date=NOW - datetime.timedelta(days=60), statut="non_tenue")
    assert generated(TypeRappel.SEANCE_A_REGULARISER) == set()  # its day is today
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert generated(TypeRappel.SEANCE_A_REGULARISER) == {"ts.adaff"}
        generation.generer()
    (rappel,) = Rappel.objects.filter(type=TypeRappel.SEANCE_A_REGULARISER)
    assert rappel.lien == seance.get_absolute_url()
    assert "toujours planifiée" in rappel.titre
    # Without a secretary, the chair is reminded.
    MembreInstance.objects.filter(role="secretaire").delete()
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        assert generated(TypeRappel.SEANCE_A_REGULARISER) == {"ts.adaff", "comite.cg"}


def test_immediate_email_then_never_again(programme, suivi):
    ContactFactory(menage=suivi.menage, auteur=programme.ts_adaff, date=NOW)  # not late
    ObjectifFactory(menage=suivi.menage, date_revision=datetime.date(2026, 11, 1))
    generation.generer()
    assert services.envoyer() == 1
    assert services.envoyer() == 0
    (message,) = mail.outbox
    assert message.to == [programme.ts_adaff.email]
    assert "à revoir" in message.body and "/notifications/desinscription/" in message.body
    assert message.extra_headers["Message-ID"].startswith("<rappel-")
    assert Rappel.objects.get().statut == StatutEnvoi.ENVOYE


def test_daily_digest_and_no_email_preferences(programme, suivi):
    ContactFactory(menage=suivi.menage, auteur=programme.ts_adaff, date=NOW)  # not late
    PreferenceNotification.objects.create(
        utilisateur=programme.ts_adaff, type=TypeRappel.REVUE_OBJECTIF, mode="resume"
    )
    PreferenceNotification.objects.create(
        utilisateur=programme.ts_adaff, type=TypeRappel.CONSENTEMENT, mode="aucun"
    )
    ObjectifFactory(menage=suivi.menage, date_revision=datetime.date(2026, 11, 1))
    ObjectifFactory(menage=suivi.menage, date_revision=datetime.date(2026, 11, 2))
    suivi.menage.date_information = datetime.date(2025, 1, 1)
    suivi.menage.save()
    generation.generer()
    assert services.envoyer() == 0 and mail.outbox == []
    assert services.envoyer_resumes() == 1
    (message,) = mail.outbox
    assert message.body.count("à revoir") == 2
    assert services.envoyer_resumes() == 0
    assert Rappel.objects.get(type=TypeRappel.CONSENTEMENT).statut == StatutEnvoi.SANS_COURRIEL


def test_unsubscribe_link_works_without_logging_in(client, programme, suivi):
    url = services.lien_desinscription(programme.ts_adaff, TypeRappel.REVUE_OBJECTIF).removeprefix(
        "http://127.0.0.1:8000"
    )
    assert client.get(url).status_code == 200
    assert not PreferenceNotification.objects.exists()  # a GET changes nothing
    assert client.post(url).status_code == 200
    assert PreferenceNotification.objects.get().mode == "aucun"
    assert client.get("/notifications/desinscription/abc/").status_code == 400


def test_notification_centre_counts_unread_and_marks_read(client, programme, suivi):
    ContactFactory(menage=suivi.menage, auteur=programme.ts_adaff, date=NOW)  # not late
    ObjectifFactory(menage=suivi.menage, date_revision=datetime.date(2026, 11, 1))
    generation.generer()
    client.force_login(programme.ts_adaff)
    assert client.get(reverse("tableau_de_bord")).context["notifications_non_lues"] == 1
    rappel = Rappel.objects.get()
    response = client.post(reverse("rappels:lu", args=[rappel.pk]))
    assert response.status_code == 302 and response.url == rappel.lien
    assert client.get(reverse("rappels:centre")).context["notifications_non_lues"] == 0
    client.force_login(programme.cesf_alogea)  # someone else's notification
    assert client.post(reverse("rappels:lu", args=[rappel.pk])).status_code == 404


def test_notification_centre_query_count(client, programme, suivi, count_queries):
    client.force_login(programme.ts_adaff)
    Rappel.objects.create(
        cle="a", type="seance", destinataire=programme.ts_adaff, titre="x", du_le=timezone.now()
    )
    one = count_queries(client.get, reverse("rappels:centre"))
    Rappel.objects.bulk_create(
        [
            Rappel(
                cle=f"k{i}", type="seance", destinataire=programme.ts_adaff, titre="x", du_le=timezone.now()
            )
            for i in range(40)
        ]
    )
    assert count_queries(client.get, reverse("rappels:centre")) == one


def test_arrears_threshold_crossed_once_per_crossing(programme, suivi):
    from decimal import Decimal

    from logements.models import SoldeLocatif

    menage = suivi.menage  # threshold: 2 months of the tenant's 450 € rent and charges, 900 €
    SoldeLocatif.objects.create(
        menage=menage, mois=datetime.date(2026, 9, 1), solde=Decimal("899.99"), loyer_charges=Decimal("450")
    )
    assert generated(TypeRappel.IMPAYES) == set()  # not due
    SoldeLocatif.objects.create(menage=menage, mois=datetime.date(2026, 10, 1), solde=Decimal("900"))
    assert generated(TypeRappel.IMPAYES) == {"ts.adaff", "cesf.habitat"}  # due
    rappel = Rappel.objects.filter(type=TypeRappel.IMPAYES).first()
    assert rappel.lien == reverse("logements:dossier_locatif", args=[menage.pk])
    SoldeLocatif.objects.create(menage=menage, mois=datetime.date(2026, 11, 1), solde=Decimal("1200"))
    generation.generer()
    assert Rappel.objects.filter(type=TypeRappel.IMPAYES).count() == 2  # already sent, still above
    # Back below, then above again: a new crossing.
    SoldeLocatif.objects.filter(mois=datetime.date(2026, 11, 1)).update(solde=Decimal("100"))
    SoldeLocatif.objects.create(menage=menage, mois=datetime.date(2026, 12, 1), solde=Decimal("950"))
    with time_machine.travel(datetime.datetime(2026, 12, 2, 9, tzinfo=datetime.UTC), tick=False):
        generation.generer()
    assert Rappel.objects.filter(type=TypeRappel.IMPAYES).count() == 4


def test_arrears_reminder_goes_only_to_who_may_see_the_household(programme, suivi):
    from decimal import Decimal

    from logements.models import SoldeLocatif

    IntervenantFactory(
        menage=suivi.menage,
        type="cesf",
        utilisateur=programme.cesf_alogea,
        date_debut=datetime.date(2026, 1, 1),
    )
    SoldeLocatif.objects.create(
        menage=suivi.menage,
        mois=datetime.date(2026, 10, 1),
        solde=Decimal("5000"),
        loyer_charges=Decimal("500"),
    )
    assert generated(TypeRappel.IMPAYES) == {"ts.adaff", "cesf.habitat"}


def test_arrears_without_a_known_rent_tell_the_cesf_the_rent_is_missing_once(client, programme, suivi):
    from decimal import Decimal

    from logements.models import SoldeLocatif

    SoldeLocatif.objects.create(menage=suivi.menage, mois=datetime.date(2026, 9, 1), solde=Decimal("0"))
    assert generated(TypeRappel.LOYER_INCONNU) == set()  # no arrears: nothing to check yet
    SoldeLocatif.objects.create(menage=suivi.menage, mois=datetime.date(2026, 10, 1), solde=Decimal("5000"))
    # The threshold cannot be computed: no crossing, but the CESF (who records the rent) is told.
    assert generated(TypeRappel.IMPAYES) == set()
    assert generated(TypeRappel.LOYER_INCONNU) == {"cesf.habitat"}
    rappel = Rappel.objects.get(type=TypeRappel.LOYER_INCONNU)
    assert "sans loyer connu" in rappel.titre and suivi.menage.nom not in rappel.titre
    assert rappel.lien == reverse("logements:dossier_locatif", args=[suivi.menage.pk])
    SoldeLocatif.objects.create(menage=suivi.menage, mois=datetime.date(2026, 11, 1), solde=Decimal("5400"))
    assert generation.generer() == 0  # once, not every month
    client.force_login(programme.cesf_habitat)
    assert rappel.titre in client.get(reverse("rappels:centre")).text
    # Rent recorded: the threshold applies again (2 × 450 € = 900 €, crossed).
    SoldeLocatif.objects.filter(mois=datetime.date(2026, 11, 1)).update(loyer_charges=Decimal("450"))
    assert generated(TypeRappel.IMPAYES) == {"ts.adaff", "cesf.habitat"}


def test_dated_next_step_reminds_who_takes_it_on_its_day_once_naming_no_household(programme, suivi):
    menage = suivi.menage
    menage.nom = "Marqueur-Zyx"
    menage.save()
    ContactFactory(
        menage=menage,
        auteur=programme.ts_adaff,
        prochaine_etape="Appeler la CAF avec Mme Marqueur-Zyx",
        prochaine_etape_le=datetime.date(2026, 11, 29),
        prochaine_etape_par=programme.cesf_habitat,
    )
    ContactFactory(
        menage=menage,
        auteur=programme.ts_adaff,
        prochaine_etape="Pas encore",
        prochaine_etape_le=datetime.date(2026, 11, 30),
        prochaine_etape_par=programme.ts_adaff,
    )
    assert generated(TypeRappel.PROCHAINE_ETAPE) == {"cesf.habitat"}
    rappel = Rappel.objects.get(type=TypeRappel.PROCHAINE_ETAPE)
    assert rappel.titre == f"Dossier {menage.reference} : prochaine étape prévue le 29/11/2026."
    assert "Marqueur" not in rappel.titre and "CAF" not in rappel.titre
    assert rappel.lien == reverse("accompagnement:contacts", args=[menage.pk])
    generation.generer()
    assert Rappel.objects.filter(type=TypeRappel.PROCHAINE_ETAPE).count() == 1


def test_next_step_long_past_or_taken_by_someone_who_lost_sight_gives_no_reminder(programme, suivi):
    ContactFactory(
        menage=suivi.menage,
        auteur=programme.ts_adaff,
        prochaine_etape="Oubliée",
        prochaine_etape_le=datetime.date(2026, 11, 1),
        prochaine_etape_par=programme.ts_adaff,
    )
    ContactFactory(
        menage=suivi.menage,
        auteur=programme.ts_adaff,
        prochaine_etape="Chez un autre bailleur",
        prochaine_etape_le=datetime.date(2026, 11, 29),
        prochaine_etape_par=programme.cesf_alogea,
    )
    assert generated(TypeRappel.PROCHAINE_ETAPE) == set()
