import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.support.migrations import migrer

AVANT = [("rappels", "0003_dossier_locatif_et_visites")]
APRES = [("rappels", "0004_titres_sans_nom")]


@pytest.mark.django_db(transaction=True)
def test_stored_reminder_titles_lose_the_household_name_and_amounts():
    apps = migrer(AVANT)
    try:
        Dispositif = apps.get_model("comptes", "Dispositif")
        Utilisateur = apps.get_model("comptes", "Utilisateur")
        Menage = apps.get_model("menages", "Menage")
        Rappel = apps.get_model("rappels", "Rappel")
        dispositif = Dispositif.objects.create(
            nom="ASEA", code="asea", territoire="Aude", date_debut=datetime.date(2026, 1, 1)
        )
        user = Utilisateur.objects.create(username="ts")
        menage = Menage.objects.create(dispositif=dispositif, nom="Durand Hélène", reference="ASEA-2026-0001")
        impayes = Rappel.objects.create(
            cle="a", type="impayes", destinataire=user, menage=menage,
            titre="Durand Hélène : 1 200,00 € d’impayés en 10/2026, au-delà du seuil de 900,00 €.",
        )  # fmt: skip
        seance = Rappel.objects.create(cle="b", type="seance", destinataire=user, titre="Comité : en ligne.")

        apps = migrer(APRES)
        titres = dict(apps.get_model("rappels", "Rappel").objects.values_list("pk", "titre"))
        assert titres[impayes.pk] == "Dossier ASEA-2026-0001 : seuil d’impayés franchi."
        assert titres[seance.pk] == "Comité : en ligne."
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
