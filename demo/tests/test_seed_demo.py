import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from accompagnement.enums import OrigineChangementNiveau
from accompagnement.models import Accompagnement, ChangementNiveau
from comites import services
from comites.calendrier import est_jour_ouvre
from comites.enums import RoleMembre, StatutSeance, TypeInstance
from comites.models import Instance, PointOrdreDuJour, Seance
from comptes.models import Dispositif, Organisation, Utilisateur
from demo import comptes as demo
from logements.models import SoldeLocatif
from menages.models import Intervenant, Menage


def test_seed_demo_is_idempotent_and_creates_one_account_per_role(db):
    call_command("seed_demo")
    counts = (Organisation.objects.count(), Utilisateur.objects.count(), Menage.objects.count())
    call_command("seed_demo")
    assert (Organisation.objects.count(), Utilisateur.objects.count(), Menage.objects.count()) == counts
    for username, *_ in demo.COMPTES + demo.COMPTES_PO:
        user = Utilisateur.objects.get(username=username)
        assert user.est_demo
        assert user.check_password(demo.DEMO_PASSWORD)
        assert user.roles
        assert not user.is_superuser  # the programme's administrator too uses the French pages
    technicien = Utilisateur.objects.get(username=demo.TECHNICIEN[0])
    assert technicien.is_superuser and technicien.est_demo and not technicien.roles
    # The second programme: its own households, numbered with its prefix, at several steps, and
    # its own committee; HDM takes part in both.
    po = Menage.objects.filter(dispositif__code="asea-po")
    assert po.count() == 9 and all(r.startswith("ASEA-PO-") for r in po.values_list("reference", flat=True))
    assert po.values("etat").distinct().count() >= 6
    assert Instance.objects.filter(dispositif__code="asea-po").count() == 1
    assert Organisation.objects.get(sigle="HDM").dispositifs.count() == 2


def test_seed_demo_has_the_sheets_organisations(db):
    call_command("seed_demo")
    noms = set(Organisation.objects.values_list("sigle", flat=True))
    assert {"ADAFF", "Habitat Audois", "ALOGEA", "HDM", "AFC", "DDCSPP", "Conseil Général"} <= noms


def test_seed_demo_refused_outside_demo_mode(db):
    with override_settings(DEMO_MODE=False), pytest.raises(CommandError):
        call_command("seed_demo")


def test_demo_sessions_fall_on_working_days_and_none_is_left_planned_in_the_past(db):
    call_command("seed_demo")
    call_command("seed_demo")  # settling the past sessions is idempotent too
    seances = list(Seance.objects.all())
    assert seances
    assert all(est_jour_ouvre(timezone.localtime(s.date).date()) for s in seances)
    assert not Seance.objects.a_regulariser().exists()
    passees = [s for s in seances if s.date < timezone.now()]
    assert {s.statut for s in passees} == {StatutSeance.TENUE, StatutSeance.NON_TENUE}
    for s in passees:
        if s.statut == StatutSeance.TENUE and s.urgente:
            # An urgent consultation: each decision had its quorum of members' opinions.
            assert all(services.quorum(s, p)[2] for p in s.points.decides())
        elif s.statut == StatutSeance.TENUE:
            assert services.quorum(s)[2]
        else:
            assert s.motif_statut and not s.points.decides().exists()


def assert_every_level_comes_from_a_decision_or_a_correction(*, decisions_seulement):
    """Every level given (start, change, renewal, exit relay) links to the committee decision that
    made it, taken in a session or a consultation that was held, for the same household and dated
    by its day; or is an administrator's correction with its reason. Every end likewise."""
    changements = ChangementNiveau.objects.select_related("decision__seance", "accompagnement")
    assert changements.exists()
    for c in changements:
        if c.decision_id is None:
            assert not decisions_seulement, c
            assert c.origine == OrigineChangementNiveau.ADMINISTRATEUR and c.motif.strip()
            continue
        point = c.decision
        assert point.est_decide and point.menage_id == c.accompagnement.menage_id
        assert point.decision_niveau == c.nouveau_niveau
        assert point.seance.statut == StatutSeance.TENUE
        assert c.date_decision == timezone.localtime(point.seance.date).date()
        assert c.origine in (OrigineChangementNiveau.ENTREE, OrigineChangementNiveau.COMITE)
    for acc in Accompagnement.objects.filter(date_fin__isnull=False).select_related("decision_fin__seance"):
        if acc.decision_fin_id is None:
            assert not decisions_seulement, acc
            assert acc.correction_fin.strip()
        else:
            assert acc.decision_fin.menage_id == acc.menage_id
            assert acc.decision_fin.seance.statut == StatutSeance.TENUE
    # A household's current level is its running (or last) episode's; none without an episode.
    for menage in Menage.objects.prefetch_related("accompagnements"):
        episodes = sorted(menage.accompagnements.all(), key=lambda a: a.date_debut)
        assert menage.niveau == (episodes[-1].niveau if episodes else ""), menage.reference


def test_every_demo_level_comes_from_a_committee_decision(db):
    call_command("seed_demo")
    assert_every_level_comes_from_a_decision_or_a_correction(decisions_seulement=True)
    # Both ways the committee decides show in the demo: in session and by urgent consultation.
    decisions = PointOrdreDuJour.objects.decides()
    assert decisions.filter(seance__urgente=False).exists()
    assert decisions.filter(seance__urgente=True).exists()
    # The household's timeline dates each support step by the decision that made it.
    for entree in ChangementNiveau.objects.filter(origine=OrigineChangementNiveau.ENTREE):
        menage = entree.accompagnement.menage
        evenement = menage.evenements.get(etat_apres="accompagnement", etat_avant="proposition_comite")
        assert timezone.localtime(evenement.date).date() == entree.date_decision
        assert all(
            e.date <= evenement.date for e in menage.evenements.filter(etat_apres="proposition_comite")
        )
    # The supports in every step of the demo are there (starts, exit relays, ends).
    assert Accompagnement.objects.filter(date_fin__isnull=True, niveau="relais_sortant").exists()
    assert Accompagnement.objects.filter(date_fin__isnull=False, decision_fin__isnull=False).exists()


def test_every_scale_level_comes_from_a_decision_or_an_administrators_correction(db):
    call_command("seed_scale", menages=60, contacts=60)
    assert_every_level_comes_from_a_decision_or_a_correction(decisions_seulement=False)
    echelle = ChangementNiveau.objects.filter(accompagnement__menage__reference__startswith="ECH-")
    assert echelle.filter(decision__isnull=False).exists()
    # The households in exit relay are at that level, as their episodes.
    relais = Menage.objects.filter(reference__startswith="ECH-", etat="relais_sortant")
    assert relais.exists() and not relais.exclude(niveau="relais_sortant").exists()
    # By default every household is in the Aude programme.
    assert Menage.objects.filter(reference__startswith="ECH-").count() == 60
    assert (
        not Menage.objects.filter(reference__startswith="ECH-").exclude(dispositif__code="asea-aude").exists()
    )
    assert not Menage.objects.filter(reference__startswith="ECHPO-").exists()
    # A second programme is not added to a data set built for one, nor a third asked for.
    with pytest.raises(CommandError, match="une partie des dispositifs"):
        call_command("seed_scale", menages=60, contacts=60, dispositifs=2)
    with pytest.raises(CommandError, match="de 1 à 2"):
        call_command("seed_scale", menages=60, contacts=60, dispositifs=3)
    assert not Menage.objects.filter(reference__startswith="ECHPO-").exists()


def test_scale_data_on_two_programmes_keeps_each_households_within_its_programme(db):
    call_command("seed_scale", menages=40, contacts=200, dispositifs=2)
    programmes = [("ECH-", "asea-aude", "ts.adaff", "ts.araf"), ("ECHPO-", "asea-po", "ts.araf", "ts.adaff")]
    for prefixe, code, ts, ts_autre in programmes:
        dispositif = Dispositif.objects.get(code=code)
        menages = Menage.objects.filter(reference__startswith=prefixe)
        assert menages.count() == 20
        assert not menages.exclude(dispositif=dispositif).exists()
        assert not menages.exclude(bailleur__dispositifs=dispositif).exists()
        # Referents of the programme's association, CESF of the household's landlord.
        intervenants = Intervenant.objects.filter(menage__in=menages)
        referents = intervenants.filter(type="referent")
        assert referents.count() == 20
        assert not referents.exclude(organisation=Utilisateur.objects.get(username=ts).organisation).exists()
        cesf = intervenants.filter(type="cesf")
        assert cesf.exists() and not cesf.exclude(organisation=F("menage__bailleur")).exists()
        # The decisions are the programme's committee's, taken by its chair.
        instance = Instance.objects.get(dispositif=dispositif, type=TypeInstance.COMITE_SUIVI)
        president = instance.membres.get(role=RoleMembre.PRESIDENT).utilisateur
        points = PointOrdreDuJour.objects.filter(menage__in=menages)
        assert set(points.values_list("seance__instance", "decide_par").order_by().distinct()) == {
            (instance.pk, president.pk)
        }
        # The tenant files are kept by the landlord's staff.
        soldes = SoldeLocatif.objects.filter(menage__in=menages)
        assert soldes.exists() and not soldes.exclude(auteur__organisation=F("menage__bailleur")).exists()
        # The programme's social worker opens its households; the other programme's does not.
        menage = menages.first()
        assert Menage.objects.visible_to(Utilisateur.objects.get(username=ts)).filter(pk=menage.pk).exists()
        assert (
            not Menage.objects.visible_to(Utilisateur.objects.get(username=ts_autre))
            .filter(pk=menage.pk)
            .exists()
        )
    assert_every_level_comes_from_a_decision_or_a_correction(decisions_seulement=False)
    nombres = Menage.objects.count(), PointOrdreDuJour.objects.count()
    # Already there: nothing done, not even the next session's agenda prepared again with the
    # scale households whose level reaches its end.
    call_command("seed_scale", menages=40, contacts=200, dispositifs=2)
    assert (Menage.objects.count(), PointOrdreDuJour.objects.count()) == nombres


def test_the_next_session_shows_a_referents_summary(db):
    """Written by the household's referent through the service, as she would."""
    from comites.models import PointOrdreDuJour

    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    # One per programme: each has its committee and its next session.
    points = PointOrdreDuJour.objects.exclude(synthese_objectifs="").select_related(
        "seance__instance__dispositif"
    )
    assert sorted(p.seance.instance.dispositif.code for p in points) == ["asea-aude", "asea-po"]
    for point in points:
        assert point.menage.dispositif == point.seance.instance.dispositif
        assert point.synthese_par.organisation == point.menage.intervenants.get(type="referent").organisation
