"""Household references: each programme has its own prefix and its own numbering per year, taken
from a locked counter row, so that households created at once never share a reference."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.transaction import TransactionManagementError
from django.urls import reverse

from comptes.tests.factories import CommuneFactory, DispositifFactory
from menages import services
from menages.enums import SourceOrientation
from menages.models import CompteurReference, Menage
from tests.support.migrations import migrer


def _creer(dispositif, nom, date=datetime.date(2026, 3, 2)):
    return services.creer_menage(
        dispositif=dispositif,
        nom=nom,
        date_saisine=date,
        source_orientation=SourceOrientation.SIAO,
        problematique="acces",
        situation_logement="heberge_tiers",
    )


@pytest.mark.django_db
def test_each_programme_numbers_its_households_with_its_prefix_per_year():
    aude = DispositifFactory()
    herault = DispositifFactory(code="asea-herault", nom="ASEA Hérault", prefixe_reference="ASEA-34")
    assert _creer(aude, "A").reference == "ASEA-2026-0001"
    assert _creer(herault, "B").reference == "ASEA-34-2026-0001"
    assert _creer(aude, "C").reference == "ASEA-2026-0002"
    assert _creer(aude, "D", date=datetime.date(2027, 1, 4)).reference == "ASEA-2027-0001"
    assert _creer(herault, "E").reference == "ASEA-34-2026-0002"
    compteurs = set(CompteurReference.objects.values_list("dispositif__code", "annee", "dernier"))
    assert compteurs == {("asea-aude", 2026, 2), ("asea-aude", 2027, 1), ("asea-herault", 2026, 2)}


@pytest.mark.django_db
def test_a_number_already_held_by_a_household_is_skipped():
    aude = DispositifFactory()
    Menage.objects.create(dispositif=aude, nom="Saisi à la main", reference="ASEA-2026-0001")
    assert _creer(aude, "A").reference == "ASEA-2026-0002"


@pytest.mark.django_db
def test_references_reserved_at_once_follow_the_numbering_of_each_year():
    """An import numbers its households in one go: per year of referral, after the counter, numbers
    held by a household skipped, each counter moved past them all."""
    aude = DispositifFactory()
    _creer(aude, "A")  # ASEA-2026-0001
    Menage.objects.filter(nom="A").update(reference="ASEA-2026-0003")  # a number held by hand
    with transaction.atomic():
        references = services.reserver_references(dispositif=aude, annees=[2026, 2025, 2026, 2026])
    assert references == ["ASEA-2026-0002", "ASEA-2025-0001", "ASEA-2026-0004", "ASEA-2026-0005"]
    assert CompteurReference.objects.get(dispositif=aude, annee=2026).dernier == 5
    assert _creer(aude, "B").reference == "ASEA-2026-0006"


# The counter row is locked with SELECT … FOR UPDATE, which SQLite (`make run`'s default) has not:
# there, a single writer at a time holds the whole database.
LIGNES_VERROUILLEES = pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="SELECT … FOR UPDATE (PostgreSQL)"
)


@LIGNES_VERROUILLEES
@pytest.mark.django_db(transaction=True)
def test_numbering_outside_a_transaction_is_refused():
    with pytest.raises(TransactionManagementError):
        services.next_reference(DispositifFactory(), 2026)


def _en_parallele(taches):
    """Run each (dispositif, nom) creation in its own thread and connection, all starting at once."""
    depart = threading.Barrier(len(taches))
    erreurs = []

    def creer(dispositif, nom):
        try:
            depart.wait(timeout=10)
            _creer(dispositif, nom)
        except Exception as exc:  # noqa: BLE001 (reported to the test below)
            erreurs.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=creer, args=tache) for tache in taches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not erreurs, erreurs
    assert not any(thread.is_alive() for thread in threads)


@LIGNES_VERROUILLEES
@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_in_two_programmes_and_in_one_never_collide():
    aude = DispositifFactory()
    herault = DispositifFactory(code="asea-herault", nom="ASEA Hérault", prefixe_reference="ASEA-34")
    # Two programmes at once, twice over (the first creation of the year makes the counters).
    _en_parallele([(aude, "A1"), (herault, "H1"), (aude, "A2"), (herault, "H2")])
    # The same programme, four at once.
    _en_parallele([(aude, f"A{n}") for n in range(3, 7)])

    references = dict(Menage.objects.values_list("nom", "reference"))
    assert len(set(references.values())) == len(references) == 8
    aude_refs = sorted(r for n, r in references.items() if n.startswith("A"))
    herault_refs = sorted(r for n, r in references.items() if n.startswith("H"))
    assert aude_refs == [f"ASEA-2026-{n:04d}" for n in range(1, 7)]
    assert herault_refs == ["ASEA-34-2026-0001", "ASEA-34-2026-0002"]
    assert CompteurReference.objects.get(dispositif=aude, annee=2026).dernier == 6
    assert CompteurReference.objects.get(dispositif=herault, annee=2026).dernier == 2


AVANT = [
    ("comptes", "0010_remove_dispositif_loyer_reference"),
    ("menages", "0015_consentements_depuis_les_dates"),
]
APRES = [("menages", "0016_compteurreference")]


@pytest.mark.django_db(transaction=True)
def test_migration_gives_prefixes_and_starts_counters_after_existing_references():
    apps = migrer(AVANT)
    try:
        Dispositif = apps.get_model("comptes", "Dispositif")
        Menage_ = apps.get_model("menages", "Menage")
        aude = Dispositif.objects.create(
            nom="ASEA Aude", code="asea-aude", territoire="Aude", date_debut=datetime.date(2026, 1, 1)
        )
        herault = Dispositif.objects.create(
            nom="ASEA Hérault",
            code="asea-hérault",
            territoire="Hérault",
            date_debut=datetime.date(2026, 1, 1),
        )
        # The old global numbering: one sequence across programmes.
        for reference, dispositif in [
            ("ASEA-2025-0012", aude),
            ("ASEA-2026-0003", aude),
            ("ASEA-2026-0004", herault),
            ("ECH-000001", aude),
        ]:
            Menage_.objects.create(dispositif=dispositif, nom=reference, reference=reference)

        apps = migrer(APRES)
        Dispositif = apps.get_model("comptes", "Dispositif")
        prefixes = dict(Dispositif.objects.values_list("code", "prefixe_reference"))
        assert prefixes == {"asea-aude": "ASEA", "asea-hérault": "ASEA-HERAULT"}
        compteurs = set(
            apps.get_model("menages", "CompteurReference").objects.values_list(
                "dispositif__code", "annee", "dernier"
            )
        )
        # The first programme goes on after every ASEA- number, whoever holds it; the other starts afresh.
        assert compteurs == {("asea-aude", 2025, 12), ("asea-aude", 2026, 4)}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


# Creation form: the programme the household is created in.


def _donnees(programme, **extra):
    return {
        "nom": "Rivière Agnès",
        "bailleur": programme.alogea.pk,
        "commune": CommuneFactory().pk,
        "date_saisine": "2026-11-02",
        "source_orientation": SourceOrientation.CCAPEX,
        "problematique": "maintien",
        "situation_logement": "locataire_social",
        **extra,
    }


def test_with_one_programme_the_form_does_not_ask_which(client, programme):
    client.force_login(programme.ts_adaff)
    assert "dispositif" not in client.get(reverse("menages:creer")).context["form"].fields
    response = client.post(reverse("menages:creer"), _donnees(programme))
    assert response.status_code == 302
    assert Menage.objects.get(nom="Rivière Agnès").dispositif == programme.dispositif


def test_with_two_programmes_the_household_is_created_in_the_current_one(client, programme):
    herault = DispositifFactory(code="asea-herault", nom="ASEA Hérault", prefixe_reference="ASEA-34")
    programme.adaff.dispositifs.add(herault)
    programme.alogea.dispositifs.add(herault)
    client.force_login(programme.ts_adaff)

    # No choice in the form: the current programme, by default the first by name.
    assert "dispositif" not in client.get(reverse("menages:creer")).context["form"].fields
    assert client.post(reverse("menages:creer"), _donnees(programme)).status_code == 302
    assert Menage.objects.get(nom="Rivière Agnès").dispositif == programme.dispositif

    # Chosen in the header: the household goes there, numbered with its prefix.
    client.post(reverse("changer_dispositif"), {"dispositif": herault.pk})
    form = client.get(reverse("menages:creer")).context["form"]
    assert "dispositif" not in form.fields and list(form.fields["bailleur"].queryset) == [programme.alogea]
    response = client.post(reverse("menages:creer"), _donnees(programme, nom="Sunyer Anna"))
    menage = Menage.objects.get(nom="Sunyer Anna")
    assert response.status_code == 302
    assert menage.dispositif == herault and menage.reference == "ASEA-34-2026-0001"

    # A landlord of the other programme only: refused next to the field, what was typed kept.
    response = client.post(
        reverse("menages:creer"), _donnees(programme, nom="Ferrer Pau", bailleur=programme.habitat.pk)
    )
    assert response.status_code == 200 and response.context["form"].errors["bailleur"]
    assert "Ferrer Pau" in response.text and not Menage.objects.filter(nom="Ferrer Pau").exists()


def test_an_administrator_creates_the_household_in_her_current_programme(client, programme):
    """The administrator works in her organisation's programmes as anyone (issue #22): no choice
    among the instance's programmes; a programme her organisation takes no part in is out of reach,
    even asked for."""
    herault = DispositifFactory(code="asea-herault", nom="ASEA Hérault", prefixe_reference="ASEA-34")
    programme.alogea.dispositifs.add(herault)
    client.force_login(programme.admin)

    assert "dispositif" not in client.get(reverse("menages:creer")).context["form"].fields
    response = client.post(reverse("menages:creer"), _donnees(programme, dispositif=herault.pk))
    assert response.status_code == 302
    assert Menage.objects.get(nom="Rivière Agnès").dispositif == programme.dispositif
    response = client.post(reverse("changer_dispositif"), {"dispositif": herault.pk}, follow=True)
    assert "n’est pas l’un des vôtres" in response.text

    # Her organisation in the other programme too: chosen in the header, the household goes there.
    programme.adaff.dispositifs.add(herault)
    client.post(reverse("changer_dispositif"), {"dispositif": herault.pk})
    form = client.get(reverse("menages:creer")).context["form"]
    assert "dispositif" not in form.fields and list(form.fields["bailleur"].queryset) == [programme.alogea]
    response = client.post(reverse("menages:creer"), _donnees(programme, nom="Sunyer Anna"))
    menage = Menage.objects.get(nom="Sunyer Anna")
    assert response.status_code == 302
    assert menage.dispositif == herault and menage.reference == "ASEA-34-2026-0001"
