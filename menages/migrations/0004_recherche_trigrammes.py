"""Trigram indexes for the accent-insensitive name search (LIKE '%…%') on PostgreSQL. SQLite,
used only by the zero set-up `make run`, needs none. The pg_trgm extension ships with PostgreSQL;
creating it needs a role allowed to (see the README's operations note)."""

from django.db import migrations

INDEXES = [
    ("menages_menage", "menage_nom_recherche_trgm"),
    ("menages_membre", "membre_nom_recherche_trgm"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (nom_recherche gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("menages", "0003_menage_anonymise_le")]

    operations = [migrations.RunPython(create, drop)]
