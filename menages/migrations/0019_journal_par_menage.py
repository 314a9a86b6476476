"""The household's trail (its journal page, and the retention that anonymises it) selects the audit
entries carrying the household's id (`additional_data -> 'menage_id'`): without an index on that
key, each reading scanned the whole audit log, which every opening of a file makes longer. The
log is django-auditlog's table: the index is created here, on PostgreSQL (SQLite, `make run`'s
default, keeps a small demo log)."""

from django.db import migrations

INDEX = "auditlog_logentry_menage_id"


def creer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON auditlog_logentry ((additional_data -> 'menage_id'))"
        )


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("menages", "0018_effectifs_bailleurs"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(creer, supprimer)]
