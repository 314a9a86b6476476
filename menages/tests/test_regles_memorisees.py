"""The access rules asked of `Menage.objects` are built once per request and handed out as copies:
what one caller filters or evaluates does not reach another, and each use reads the data as they
are when it runs."""

from comptes import memo
from menages.models import Intervenant, Menage, MenageQuerySet
from menages.tests.factories import IntervenantFactory, MenageFactory


def _dans_une_requete():
    return memo._memo.set({})


def test_built_once_per_request_and_copied_for_each_caller(programme, monkeypatch):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    appels = []
    construire = MenageQuerySet.visible_to

    def compter(self, user):
        appels.append(user.pk)
        return construire(self, user)

    monkeypatch.setattr(MenageQuerySet, "visible_to", compter)
    jeton = _dans_une_requete()
    try:
        a = Menage.objects.visible_to(programme.ts_adaff)
        b = Menage.objects.visible_to(programme.ts_adaff)
        assert a is not b
        assert list(a.filter(pk=-1)) == [] and list(b) == [menage]  # a filter on one is not on the other
        Menage.objects.visible_to(programme.cesf_habitat)
        assert appels == [programme.ts_adaff.pk, programme.cesf_habitat.pk]
        # Data changed within the request are read: the rule is a query, not its rows.
        Intervenant.objects.filter(menage=menage).delete()
        assert list(Menage.objects.visible_to(programme.ts_adaff)) == []
    finally:
        memo._memo.reset(jeton)
    # Outside a request, built each time.
    Menage.objects.visible_to(programme.ts_adaff)
    Menage.objects.visible_to(programme.ts_adaff)
    assert appels[-2:] == [programme.ts_adaff.pk, programme.ts_adaff.pk]


def test_tenants_are_memoised_apart_from_the_social_files(programme):
    sans_consentement = MenageFactory(
        dispositif=programme.dispositif, bailleur=programme.habitat, consentements=[]
    )
    jeton = _dans_une_requete()
    try:
        assert list(Menage.objects.visible_to(programme.cesf_habitat)) == []
        assert list(Menage.objects.locataires_visible_to(programme.cesf_habitat)) == [sans_consentement]
        assert list(Menage.objects.visible_to(programme.cesf_habitat)) == []
    finally:
        memo._memo.reset(jeton)
