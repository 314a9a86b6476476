import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.support.migrations import migrer

AVANT = [("accompagnement", "0003_index_changement_niveau_date")]
APRES = [("accompagnement", "0006_changement_niveau_decision")]


@pytest.mark.django_db(transaction=True)
def test_existing_committee_levels_are_linked_to_the_matching_decision_only():
    apps = migrer(AVANT)
    try:
        Dispositif = apps.get_model("comptes", "Dispositif")
        Menage = apps.get_model("menages", "Menage")
        Accompagnement = apps.get_model("accompagnement", "Accompagnement")
        ChangementNiveau = apps.get_model("accompagnement", "ChangementNiveau")
        Instance = apps.get_model("comites", "Instance")
        dispositif = Dispositif.objects.create(
            nom="ASEA", code="asea", territoire="Aude", date_debut=datetime.date(2026, 1, 1)
        )
        seance = Instance.objects.create(
            dispositif=dispositif, type="comite_suivi", nom="Comité"
        ).seances.create(date=timezone.now() - datetime.timedelta(days=300), statut="tenue")
        menage = Menage.objects.create(dispositif=dispositif, nom="A", reference="R-1")
        debut, change = datetime.date(2026, 2, 2), datetime.date(2026, 5, 4)
        acc = Accompagnement.objects.create(
            menage=menage,
            numero_parcours=1,
            niveau="niveau_1",
            date_debut=debut,
            date_fin_prevue=datetime.date(2026, 8, 3),
        )
        validation = seance.points.create(
            menage=menage, type="nouvelle_proposition", decision="valider", decision_niveau="niveau_2",
            decision_date_debut=debut,
        )  # fmt: skip
        changement = seance.points.create(
            menage=menage, type="changement_niveau", decision="changer_niveau", decision_niveau="niveau_1",
            decision_date_debut=change,
        )  # fmt: skip

        def ligne(niveau, date, origine):
            return ChangementNiveau.objects.create(
                accompagnement=acc, nouveau_niveau=niveau, date_effet=date, date_fin_prevue=date,
                origine=origine, motif="Comité",
            ).pk  # fmt: skip

        entree = ligne("niveau_2", debut, "entree")
        par_comite = ligne("niveau_1", change, "comite")
        tapee = ligne("niveau_2", datetime.date(2026, 6, 1), "comite")  # no decision of that day
        correction = ligne("niveau_1", change, "administrateur")

        apps = migrer(APRES)
        liens = dict(
            apps.get_model("accompagnement", "ChangementNiveau").objects.values_list("pk", "decision_id")
        )
        assert liens == {
            entree: validation.pk,
            par_comite: changement.pk,
            tapee: None,
            correction: None,
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
