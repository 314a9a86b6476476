"""Several querysets read in one round trip (comptes.lecture): the same rows as each queryset on its
own, in one query; a read compiled once (`Gabarit`): the same rows as the queryset the ORM builds
for each id."""

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, Window
from django.db.models.sql.compiler import SQLCompiler

from comptes.lecture import Gabarit, Lot, envoi_groupe, lire_ensemble, rattacher, rattacher_m2m
from comptes.models import Commune
from comptes.tests.factories import CommuneFactory, UtilisateurFactory
from menages.models import Diagnostic, Membre, Menage, Ressource
from menages.tests.factories import DiagnosticFactory, MembreFactory, MenageFactory, RessourceFactory

pytestmark = pytest.mark.django_db
GROUPE = envoi_groupe(connection)


@pytest.fixture
def menages():
    premier, second = MenageFactory(), MenageFactory()
    for nom in ("Zoé", "Adam", "Marc"):
        MembreFactory(menage=premier, prenom=nom)
    MembreFactory(menage=second)
    RessourceFactory(menage=premier, montant_mensuel=Decimal("12.34"))
    return premier, second


def test_reads_each_queryset_as_it_would_alone_in_one_query(menages, django_assert_num_queries):
    premier, _ = menages
    querysets = [
        Membre.objects.filter(menage=premier).order_by("prenom"),
        Membre.objects.select_related("menage__commune").order_by("-pk")[:2],
        Membre.objects.filter(menage=premier).annotate(total=Window(Count("pk"))).order_by("pk")[:1],
        Ressource.objects.filter(menage=premier).values("montant_mensuel"),
        Menage.objects.none(),
        Ressource.objects.filter(menage__isnull=True),
        Menage.objects.filter(nom__contains="%").order_by("pk"),
    ]
    # One round trip on PostgreSQL; elsewhere (SQLite) a query each, none() making none.
    with django_assert_num_queries(1 if GROUPE else len(querysets) - 1):
        ensemble = lire_ensemble(*querysets)
    # The querysets given are not evaluated (nor changed): read alone, each queries.
    with django_assert_num_queries(len(querysets) - 1):  # none() makes no query
        seuls = [list(queryset) for queryset in querysets]
    assert ensemble == seuls
    assert [m.prenom for m in ensemble[0]] == ["Adam", "Marc", "Zoé"]
    with django_assert_num_queries(0):
        # select_related and annotations are those of the queryset.
        assert ensemble[1][0].menage.commune.nom == seuls[1][0].menage.commune.nom
        assert ensemble[2][0].total == 3
    assert ensemble[3] == [{"montant_mensuel": Decimal("12.34")}]


def test_a_lot_fills_its_lists_and_the_prefetches_when_read(menages, django_assert_num_queries):
    premier, second = menages
    lot = Lot()
    with django_assert_num_queries(0):
        membres = lot.precharger(premier, {"membres": Membre.objects.order_by("prenom"), "ressources": None})
        autres = lot.requete(Membre.objects.filter(menage=second))
    assert membres["membres"] == [] and autres == []
    with django_assert_num_queries(1 if GROUPE else 3):
        lot.lire()
    with django_assert_num_queries(0):
        assert [m.prenom for m in premier.membres.all()] == ["Adam", "Marc", "Zoé"]
        assert membres["membres"] == list(premier.membres.all())
        assert all(m.menage is premier for m in premier.membres.all())
        assert [r.montant_mensuel for r in premier.ressources.all()] == [Decimal("12.34")]
        assert [m.menage_id for m in autres] == [second.pk]
    # Read: the lot is empty again.
    with django_assert_num_queries(0):
        lot.lire()


def test_what_follows_a_reading_sees_the_rows_and_runs_once(menages):
    premier, _ = menages
    lot = Lot()
    membres = lot.requete(Membre.objects.filter(menage=premier))
    vus = []
    lot.ensuite(lambda: vus.append(len(membres)))
    assert vus == []
    lot.lire()
    assert vus == [3]
    lot.lire()
    assert vus == [3]


def test_attaching_records_read_elsewhere_as_prefetches(menages, django_assert_num_queries):
    premier, second = menages
    diagnostic = DiagnosticFactory(menage=premier, auteur=UtilisateurFactory())
    narbonne = CommuneFactory(nom="Narbonne", code_insee="11262", code_postal="11100")
    diagnostic.besoin_communes.set([narbonne])
    menages = list(Menage.objects.filter(pk__in=[premier.pk, second.pk]))
    membres = list(Membre.objects.filter(menage__in=menages))
    diagnostic = Diagnostic.objects.get()
    with django_assert_num_queries(0):
        rattacher(menages, "membres", membres)
        rattacher_m2m(diagnostic, "besoin_communes", [narbonne])
        par_menage = {m.pk: [x.prenom for x in m.membres.all()] for m in menages}
        assert all(x.menage is m for m in menages for x in m.membres.all())
        assert list(diagnostic.besoin_communes.all()) == [narbonne]
    assert par_menage[premier.pk] == [m.prenom for m in premier.membres.all()]
    assert len(par_menage[second.pk]) == 1
    assert Commune.objects.filter(pk=narbonne.pk).exists()


def _compilations(monkeypatch) -> list:
    """The models of the queries the ORM compiles from now on."""
    compilees = []
    as_sql = SQLCompiler.as_sql

    def compter(compiler, *args, **kwargs):
        compilees.append(compiler.query.model)
        return as_sql(compiler, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", compter)
    return compilees


def test_a_template_read_gives_the_rows_of_its_queryset_for_each_id(menages, monkeypatch, settings):
    settings.VERIFIER_GABARITS = False  # what production compiles: the test suite's check compiles each use
    premier, second = menages
    vide = MenageFactory()
    gabarit = Gabarit(
        lambda pk, fenetre: (
            Membre.objects.filter(menage=pk)
            .select_related("menage__commune")
            .annotate(total=Window(Count("pk")))
            .order_by("prenom" if fenetre else "-prenom")
        )
    )
    premier_lu = lire_ensemble(gabarit.pour(premier.pk, True))[0]
    compilees = _compilations(monkeypatch)
    for menage in (premier, second, vide):
        for fenetre in (True, False):
            lus = lire_ensemble(gabarit.pour(menage.pk, fenetre), Ressource.objects.filter(menage=menage))[0]
            attendus = list(gabarit.queryset(menage.pk, fenetre))
            assert lus == attendus
            assert [(m.prenom, m.total, m.menage.commune.nom) for m in lus] == [
                (m.prenom, m.total, m.menage.commune.nom) for m in attendus
            ]
    assert [m.prenom for m in premier_lu] == ["Adam", "Marc", "Zoé"]
    # Compiled once per variant (the first, `True`, before counting; `False` here): the ORM
    # compiled only the other reads, and the querysets built to compare.
    assert compilees.count(Membre) == 2 + 6  # the variant's two probes, the six `queryset()`
    assert compilees.count(Ressource) == 6


def test_a_template_read_fills_a_lot_and_its_prefetches(menages, django_assert_num_queries):
    premier, second = menages
    membres = Gabarit.par(Membre.objects.order_by("prenom"), "menage")
    Lot().precharger(premier, {"membres": membres})  # compiled on first use
    lot = Lot()
    with django_assert_num_queries(0):
        lus = lot.precharger(premier, {"membres": membres})
        autres = lot.requete(membres.pour(second.pk))
    with django_assert_num_queries(1 if GROUPE else 2):
        lot.lire()
    with django_assert_num_queries(0):
        assert (
            [m.prenom for m in premier.membres.all()]
            == ["Adam", "Marc", "Zoé"]
            == [m.prenom for m in lus["membres"]]
        )
        assert all(m.menage is premier for m in premier.membres.all())
        assert [m.menage_id for m in autres] == [second.pk]
    # The prefetch holds the queryset the ORM builds: a further filter reads this household's.
    assert [m.prenom for m in premier.membres.all().filter(prenom__startswith="M")] == ["Marc"]


@pytest.mark.parametrize(
    "construire",
    [
        # The id changes the SQL: a list of ids of its length, say.
        lambda pk: Membre.objects.filter(menage__in=range(-pk)),
        # The id is not a parameter of the read.
        lambda pk: Membre.objects.all(),
        # A value derived from the id, not the id.
        lambda pk: Membre.objects.filter(menage=pk + 100),
    ],
)
def test_a_read_whose_shape_depends_on_the_id_is_refused(construire):
    with pytest.raises(ImproperlyConfigured):
        Gabarit(construire).pour(1)


def test_with_the_check_of_the_test_suite_a_read_taking_more_than_its_id_fails(settings):
    # `construire` reads a value from elsewhere than its arguments: the first compilation bakes it.
    autour = {"prenom": "Adam", "nombre": 1}
    gabarit = Gabarit(
        lambda pk: Membre.objects.filter(menage=pk, prenom=autour["prenom"])[: autour["nombre"]]
    )
    assert settings.VERIFIER_GABARITS
    gabarit.pour(1)
    autour["prenom"] = "Zoé"
    with pytest.raises(AssertionError, match="compiled once is not the one the ORM builds now"):
        gabarit.pour(1)
    autour["prenom"], autour["nombre"] = "Adam", 2
    with pytest.raises(AssertionError):
        gabarit.pour(1)
    # Without the check (production), the read is sent as first compiled: what the check is for.
    settings.VERIFIER_GABARITS = False
    autour["prenom"] = "Zoé"
    assert gabarit.pour(1).params == [1, "Adam"]
