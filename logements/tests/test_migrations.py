import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.support.migrations import migrer

AVANT = [("logements", "0010_bail_temps_fort")]
APRES = [("logements", "0011_lier_baux_temps_forts")]


@pytest.mark.django_db(transaction=True)
def test_leases_recorded_from_a_key_moment_are_tied_to_the_key_moment_of_their_day():
    apps = migrer(AVANT)
    try:
        Dispositif = apps.get_model("comptes", "Dispositif")
        Menage = apps.get_model("menages", "Menage")
        TempsFort = apps.get_model("accompagnement", "TempsFort")
        Bail = apps.get_model("logements", "Bail")
        dispositif = Dispositif.objects.create(
            nom="ASEA", code="asea", territoire="Aude", date_debut=datetime.date(2026, 1, 1)
        )
        menage = Menage.objects.create(dispositif=dispositif, nom="A", reference="R-1")

        def moment(jour, heure, realise=True):
            quand = timezone.make_aware(datetime.datetime.combine(jour, datetime.time(heure)))
            return TempsFort.objects.create(
                menage=menage, type="signature_bail", date_prevue=quand, modalite="cesf", realise=realise
            )

        # Late in the evening, Paris time: the key moment of 4 May is the lease of 4 May.
        signe = moment(datetime.date(2026, 5, 4), 23)
        moment(datetime.date(2026, 9, 1), 10, realise=False)
        du_4_mai = Bail.objects.create(menage=menage, type="direct", date_signature=datetime.date(2026, 5, 4))
        # A lease whose key moment was moved since: no key moment of its day, left untied.
        deplace = Bail.objects.create(menage=menage, type="direct", date_signature=datetime.date(2025, 3, 3))

        apps = migrer(APRES)
        liens = dict(apps.get_model("logements", "Bail").objects.values_list("pk", "temps_fort_id"))
        assert liens == {du_4_mai.pk: signe.pk, deplace.pk: None}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
