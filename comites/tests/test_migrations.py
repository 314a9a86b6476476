import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.support.migrations import migrer

AVANT = [("comites", "0002_seance_close_le")]
APRES = [("comites", "0004_seances_closes_tenues")]


@pytest.mark.django_db(transaction=True)
def test_closed_sessions_are_held_when_the_record_shows_it_otherwise_to_regularise():
    apps = migrer(AVANT)
    try:
        Dispositif = apps.get_model("comptes", "Dispositif")
        Utilisateur = apps.get_model("comptes", "Utilisateur")
        Instance = apps.get_model("comites", "Instance")
        Seance = apps.get_model("comites", "Seance")
        dispositif = Dispositif.objects.create(
            nom="ASEA", code="asea", territoire="Aude", date_debut=datetime.date(2026, 1, 1)
        )
        instance = Instance.objects.create(dispositif=dispositif, type="comite_suivi", nom="Comité")
        membre = instance.membres.create(
            utilisateur=Utilisateur.objects.create(username="president"), date_debut=datetime.date(2026, 1, 1)
        )
        jour = timezone.now() - datetime.timedelta(days=30)
        avec_presences = Seance.objects.create(instance=instance, date=jour, statut="close", close_le=jour)
        avec_presences.presences.create(membre=membre, present=True)
        sans_presences = Seance.objects.create(instance=instance, date=jour, statut="close", close_le=jour)
        sans_presences.presences.create(membre=membre, present=False, excuse=True)
        urgente = Seance.objects.create(instance=instance, date=jour, statut="close", urgente=True)
        urgente.points.create(
            menage=apps.get_model("menages", "Menage").objects.create(
                dispositif=dispositif, nom="A", reference="R-1"
            ),
            type="autre",
            decision="ajourner",
        )
        planifiee = Seance.objects.create(instance=instance, date=jour + datetime.timedelta(days=60))

        apps = migrer(APRES)
        statuts = dict(apps.get_model("comites", "Seance").objects.values_list("pk", "statut"))
        assert statuts == {
            avec_presences.pk: "tenue",
            sans_presences.pk: "planifiee",
            urgente.pk: "tenue",
            planifiee.pk: "planifiee",
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
