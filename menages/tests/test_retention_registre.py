"""Retention leaves nothing: every text field of every model has its rule in
`menages.retention.REGISTRE`, and after retention a marker written into every field of a household's
file that is not kept is nowhere in the database (audit trails included)."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as EntreeAdmin
from django.db import connection

from comptes.audit import record_view
from menages import retention
from menages.models import Menage, RattacheAuMenage
from tests.support.dossier_complet import dossier_complet, planter

MARQUE = "zqmarq"


def test_every_text_field_of_every_model_has_its_retention_rule():
    regles = {modele.label: modele.champs for modele in retention.REGISTRE}
    manquants = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in retention.champs_texte(model)
        if field.name not in regles.get(model._meta.label, {})
    ]
    assert manquants == [], "add their rule to menages.retention.REGISTRE"


def test_the_registry_names_only_fields_that_exist():
    for modele in retention.REGISTRE:
        model = apps.get_model(modele.label)
        noms = {field.name for field in retention.champs_texte(model)}
        assert set(modele.champs) <= noms, modele.label
        assert len([m for m in retention.REGISTRE if m.label == modele.label]) == 1, modele.label


def test_every_model_of_a_households_file_has_its_way_to_the_household(db):
    """Retention reaches the records (and their audit trail) through this lookup."""
    chemins = {modele.label: modele.menage for modele in retention.REGISTRE}
    for model in apps.get_models():
        du_dossier = issubclass(model, RattacheAuMenage) or any(
            getattr(f, "related_model", None) is Menage for f in model._meta.fields
        )
        if du_dossier:
            assert chemins.get(model._meta.label), f"{model._meta.label} needs its `menage` lookup"
            model._default_manager.filter(**{chemins[model._meta.label]: 0}).exists()


def test_a_field_kept_at_retention_says_why():
    with pytest.raises(ValueError):
        retention.Regle(retention.CONSERVER)
    for modele in retention.REGISTRE:
        for nom, regle in modele.champs.items():
            assert regle.action in {retention.ANONYMISER, retention.SUPPRIMER, retention.CONSERVER}
            assert regle.action != retention.CONSERVER or len(regle.raison) > 10, (modele.label, nom)


def _colonnes_texte():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND data_type IN ('text', 'character varying', 'json', 'jsonb')"
        )
        return cursor.fetchall()


def _occurrences(texte) -> list[str]:
    """Every column of every table of the database where `texte` appears."""
    trouve = []
    with connection.cursor() as cursor:
        for table, colonne in _colonnes_texte():
            cursor.execute(
                f'SELECT count(*) FROM "{table}" WHERE "{colonne}"::text ILIKE %s',  # noqa: S608 (names from the catalogue)
                [f"%{texte}%"],
            )
            if cursor.fetchone()[0]:
                trouve.append(f"{table}.{colonne}")
    return trouve


def _chiffres(dispositif):
    from financement import indicators

    data = indicators.calculer(dispositif, datetime.date(2023, 1, 1), datetime.date(2025, 12, 31))
    data.pop("periode")
    data.pop("convention")
    return data


def _compte(menage):
    return {
        modele.label: apps.get_model(modele.label)
        ._default_manager.filter(**{modele.menage: menage.pk})
        .count()
        for modele in retention.REGISTRE
        if modele.menage
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's catalogue of columns")
def test_after_retention_a_marker_planted_in_every_text_field_of_the_file_is_gone_from_the_database(
    programme,
):
    menage = dossier_complet(programme)
    plantes = planter(menage, MARQUE)
    # Every kind of text the registry lets go has been planted, in each app of the file.
    assert {label.split(".")[0] for label in plantes} == {
        "menages",
        "accompagnement",
        "logements",
        "comites",
        "rappels",
        "dossiers",
    }
    # The admin site's history and the access log name the household too.
    menage.refresh_from_db()
    EntreeAdmin.objects.log_actions(programme.admin.pk, [menage], CHANGE, change_message=MARQUE)
    record_view(menage)
    assert len(_occurrences(MARQUE)) > len(plantes) / 2  # the scan does find the marker
    avant = _compte(menage)
    chiffres_avant = _chiffres(programme.dispositif)
    assert chiffres_avant["contacts"]["nombre"] == 1  # the file is really counted

    with time_machine.travel(datetime.datetime(2026, 11, 29, 9, tzinfo=datetime.UTC), tick=False):
        assert menage in [m for m, _ in retention.a_anonymiser()]
        retention.anonymiser(menage)

    assert _occurrences(MARQUE) == []
    # The funder figures of the past periods, every app's records anonymised, do not move.
    assert _chiffres(programme.dispositif) == chiffres_avant
    # The records stay for the figures, but the documents, the reminders and the access requests.
    apres = _compte(menage)
    supprimes = {"accompagnement.Document", "rappels.Rappel", "dossiers.DemandeAcces", "dossiers.NoteRetenue"}
    assert {label: n for label, n in apres.items() if label not in supprimes} == {
        label: n for label, n in avant.items() if label not in supprimes
    }
    assert all(apres[label] == 0 for label in supprimes)
