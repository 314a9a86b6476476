"""The data migrations that give objectives and pre-diagnostics the confidentiality levels of notes."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.support.migrations import migrer

AVANT = [
    ("accompagnement", "0007_accompagnement_fin_decision"),
    ("menages", "0012_remplir_saisines_etapes_bdf"),
]
APRES = [
    ("accompagnement", "0008_objectif_confidentialite"),
    ("menages", "0013_pre_diagnostic_confidentialite"),
]


@pytest.mark.django_db(transaction=True)
def test_health_objectives_and_social_workers_pre_diagnostics_become_reserved():
    apps = migrer(AVANT)
    try:
        Dispositif = apps.get_model("comptes", "Dispositif")
        Organisation = apps.get_model("comptes", "Organisation")
        Utilisateur = apps.get_model("comptes", "Utilisateur")
        AttributionRole = apps.get_model("comptes", "AttributionRole")
        Menage = apps.get_model("menages", "Menage")
        PreDiagnostic = apps.get_model("menages", "PreDiagnostic")
        Objectif = apps.get_model("accompagnement", "Objectif")
        dispositif = Dispositif.objects.create(
            nom="ASEA", code="asea", territoire="Aude", date_debut=datetime.date(2026, 1, 1)
        )
        menage = Menage.objects.create(dispositif=dispositif, nom="A", reference="R-1")
        adaff = Organisation.objects.create(nom="ADAFF", type="association")
        bailleur = Organisation.objects.create(nom="Habitat", type="bailleur")
        ts = Utilisateur.objects.create(username="ts", organisation=adaff)
        AttributionRole.objects.create(utilisateur=ts, role="travailleur_social")
        cesf = Utilisateur.objects.create(username="cesf", organisation=bailleur)
        AttributionRole.objects.create(utilisateur=cesf, role="cesf")
        soins = Objectif.objects.create(menage=menage, axe="soins", libelle="Soins").pk
        budget = Objectif.objects.create(menage=menage, axe="budget", libelle="Budget").pk

        def pre(auteur):
            return PreDiagnostic.objects.create(
                menage=menage, numero_parcours=1, organisation=auteur.organisation, auteur=auteur,
                situation="s", difficultes="d", motif_orientation="m",
            ).pk  # fmt: skip

        du_ts, de_la_cesf = pre(ts), pre(cesf)

        apps = migrer(APRES)
        objectifs = dict(
            apps.get_model("accompagnement", "Objectif").objects.values_list("pk", "confidentialite")
        )
        assert objectifs == {soins: "travailleurs_sociaux", budget: "partage"}
        pres = dict(apps.get_model("menages", "PreDiagnostic").objects.values_list("pk", "confidentialite"))
        assert pres == {du_ts: "travailleurs_sociaux", de_la_cesf: "partage"}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
