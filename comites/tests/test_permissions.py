from comites import permissions
from comites.models import Instance, MembreInstance
from comites.tests.factories import PointOrdreDuJourFactory, SeanceFactory


def test_chair_and_secretary_run_the_session_plain_members_do_not(programme, seance):
    for persona in ("comite", "ts_adaff", "admin"):
        assert getattr(programme, persona).has_perm("comites.animer_seance", seance), persona
    for persona in ("financeur", "cesf_habitat", "cesf_alogea"):
        assert not getattr(programme, persona).has_perm("comites.animer_seance", seance), persona


def test_only_the_chair_and_administrators_decide(programme, seance):
    point = PointOrdreDuJourFactory(seance=seance)
    assert permissions.can_decide_point(programme.comite, point)
    assert permissions.can_decide_point(programme.admin, point)
    assert not permissions.can_decide_point(programme.ts_adaff, point)  # the secretary
    assert not permissions.can_decide_point(programme.financeur, point)
    assert permissions.can_chair_seance(programme.comite, seance)
    assert not permissions.can_chair_seance(programme.ts_adaff, seance)


def test_a_decided_item_is_neither_decided_again_nor_taken_off(programme, seance):
    point = PointOrdreDuJourFactory(seance=seance, ajourne=True)
    assert not permissions.can_decide_point(programme.comite, point)
    assert not permissions.can_give_avis(programme.financeur, point)
    assert not point.retirable


def test_a_closed_session_offers_no_change_but_still_belongs_to_who_runs_it(programme, seance):
    assert permissions.can_change_seance(programme.ts_adaff, seance)
    close = SeanceFactory(instance=seance.instance, tenue=True)
    assert not permissions.can_change_seance(programme.ts_adaff, close)
    assert permissions.can_run_seance(programme.ts_adaff, close)


def test_voting_members_give_an_opinion_members_without_a_vote_do_not(programme, seance):
    point = PointOrdreDuJourFactory(seance=seance)
    assert permissions.can_give_avis(programme.financeur, point)
    MembreInstance.objects.filter(utilisateur=programme.financeur).update(voix_deliberative=False)
    assert not permissions.can_give_avis(programme.financeur, point)
    assert not permissions.can_give_avis(programme.admin, point)  # not a member of the body


def test_bodies_run_by_a_user(programme, comite):
    assert list(Instance.objects.animees_par(programme.ts_adaff)) == [comite]
    assert list(Instance.objects.animees_par(programme.admin)) == [comite]
    assert not Instance.objects.animees_par(programme.financeur).exists()


def test_the_mandate_read_with_a_page_s_records_is_the_one_asked_after(
    programme, comite, django_assert_num_queries
):
    from django.db import connection

    from comptes.lecture import Lot, envoi_groupe
    from comptes.memo import MemoParRequeteMiddleware

    def vue(request):
        lot = Lot()
        permissions.lire_mandat(programme.comite, comite, lot)
        permissions.lire_mandat(programme.financeur, comite, lot)
        permissions.lire_mandat(programme.ts_hdm, comite, lot)  # not on the committee
        # In one round trip on PostgreSQL; elsewhere a query each (comptes.lecture).
        with django_assert_num_queries(1 if envoi_groupe(connection) else 3):
            lot.lire()
        with django_assert_num_queries(0):
            return [
                permissions.mandat(user, comite)
                for user in (programme.comite, programme.financeur, programme.ts_hdm)
            ]

    president, membre, aucun = MemoParRequeteMiddleware(vue)(object())
    assert president == permissions.mandat_actuel(programme.comite, comite) and president.role == "president"
    assert membre == permissions.mandat_actuel(programme.financeur, comite)
    assert aucun is None


def test_outside_a_request_the_mandate_is_not_added_to_a_page_s_records(programme, comite):
    from comptes.lecture import Lot

    lot = Lot()
    permissions.lire_mandat(programme.comite, comite, lot)
    assert lot._requetes == []
