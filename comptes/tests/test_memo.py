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
