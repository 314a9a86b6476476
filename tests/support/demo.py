"""The demo data set for tests, seeded once per test process and copied back for each test.

`seed_demo` takes seconds; the browser journeys and the access tests each need it on a clean
database. The first call seeds it and keeps a copy of every table of the project in tables of
its own (`instantane_<n>`, which Django's flush does not know and leaves alone); each later call
empties the project's tables and copies the rows back, ids included. Foreign keys are checked at
the end of the transaction (Django creates them deferrable), so the order of the copies does not
matter. Sequences are then set past the copied ids: a migration test may have dropped and created
a table again (and its sequence with it) since the copy was made.

Works in a transactional test (the copy is committed, the test's flush empties it afterwards) and
in a plain `db` test (the copy is rolled back with the test). The first call of a process must be
in a transactional test to keep the copy; otherwise it only seeds.
"""

import io

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

# (table, its copy, its columns when it has rows, else None)
_copie: list[tuple[str, str, list[str] | None]] | None = None


def _tables():
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _vider(cursor, tables):
    q = connection.ops.quote_name
    if connection.vendor == "postgresql":
        cursor.execute("TRUNCATE " + ", ".join(q(t) for t in tables))
    else:
        for table in tables:
            cursor.execute(f"DELETE FROM {q(table)}")  # noqa: S608 (table names from introspection)


def _oublier_les_caches():
    """Ids held in memory may name rows of the emptied tables: content types, cached values."""
    ContentType.objects.clear_cache()
    for cache in caches.all():
        cache.clear()


def charger_demo():
    """Give the test the demo data set, as `seed_demo` leaves it."""
    global _copie
    q = connection.ops.quote_name
    if _copie is None:
        call_command("seed_demo", stdout=io.StringIO())
        if connection.in_atomic_block:
            return  # a `db` test: the copy would be rolled back with it
        copie = []
        with transaction.atomic(), connection.cursor() as cursor:
            for n, table in enumerate(_tables()):
                nom = f"instantane_{n}"
                cursor.execute(f"DROP TABLE IF EXISTS {nom}")
                cursor.execute(f"CREATE TABLE {nom} AS SELECT * FROM {q(table)}")  # noqa: S608
                cursor.execute(f"SELECT * FROM {nom} LIMIT 1")  # noqa: S608
                colonnes = [c[0] for c in cursor.description] if cursor.fetchone() else None
                copie.append((table, nom, colonnes))
        _copie = copie
        return
    with transaction.atomic(), connection.cursor() as cursor:
        _vider(cursor, [table for table, _, _ in _copie])
        for table, nom, colonnes in _copie:
            if colonnes:
                liste = ", ".join(q(c) for c in colonnes)
                cursor.execute(f"INSERT INTO {q(table)} ({liste}) SELECT {liste} FROM {nom}")  # noqa: S608
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(sql)
    _oublier_les_caches()
