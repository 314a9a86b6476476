from comptes.memo import MemoParRequeteMiddleware, memoriser


def compteur():
    appels = []

    def calculer():
        appels.append(1)
        return len(appels)

    return appels, calculer


def test_outside_a_request_nothing_is_kept():
    appels, calculer = compteur()
    assert memoriser("question", calculer) == 1
    assert memoriser("question", calculer) == 2
    assert len(appels) == 2


def test_within_a_request_each_question_is_asked_once_and_forgotten_after():
    appels, calculer = compteur()
    autres, calculer_autre = compteur()

    def vue(request):
        premiere = memoriser(("question", 1), calculer)
        assert memoriser(("question", 1), calculer) == premiere
        memoriser(("question", 2), calculer_autre)
        return premiere

    assert MemoParRequeteMiddleware(vue)(object()) == 1
    assert len(appels) == 1 and len(autres) == 1
    # The next request, or code outside any request, asks again.
    assert MemoParRequeteMiddleware(vue)(object()) == 2
    assert memoriser(("question", 1), calculer) == 3


def test_current_programme_is_read_once_per_request_as_ids(programme, django_assert_num_queries):
    """Within a request the access rules filter on the current programme's id, read once; outside
    a request they keep the subquery (no query of its own, nothing kept)."""
    from django.db.models import QuerySet

    from comptes.selectors import DISPOSITIF_PAR_DEFAUT, dispositifs_courants
    from menages.models import Menage

    user = programme.ts_adaff
    user.dispositif_courant_id = DISPOSITIF_PAR_DEFAUT
    with django_assert_num_queries(0):
        assert isinstance(dispositifs_courants(user), QuerySet)

    def vue(request):
        with django_assert_num_queries(1):
            ids = dispositifs_courants(user)
            assert dispositifs_courants(user) is ids
        assert ids == [programme.dispositif.pk]
        # The household rule embeds the id, not a subquery on programmes.
        sql = str(Menage.objects.visible_to(user).query)
        assert "comptes_dispositif" not in sql
        return ids

    MemoParRequeteMiddleware(vue)(object())
