"""Data-migration tests: move the database to a migration and read the models as they were."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrer(cible):
    """Migrate to `cible` and return the models as the database now has them: migrating an app back
    also unapplies what depends on it in other apps, so the state is read from what is applied."""
    MigrationExecutor(connection).migrate(cible)
    executor = MigrationExecutor(connection)
    applied = [n for n in executor.loader.applied_migrations if n in executor.loader.graph.nodes]
    return executor.loader.project_state(applied).apps
