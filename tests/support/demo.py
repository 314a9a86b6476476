"""The demo data set for tests, seeded once per test process and copied back for each test.

`seed_demo` takes seconds; the browser journeys and the access tests each need it on a clean
database. The first call seeds it and keeps a copy of every table of the project in tables of
its own (`instantane_<n>`, which Django's flush does not know and leaves alone); each later call
empties the project's tables and copies the rows back, ids included. Foreign keys are checked at
the end of the transaction (Django creates them deferrable), so the order of the copies does not
matter. Sequences are left as they are: they only grow, so new rows get ids above the copied ones.

Works in a transactional test (the copy is committed, the test's flush empties it afterwards) and
in a plain `db` test (the copy is rolled back with the test). The first call of a process must be
in a transactional test to keep the copy; otherwise it only seeds.
"""

import io

from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction

_copie: list[tuple[str, str, bool]] | None = None  # (table, its copy, whether it has rows)


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
                cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {nom})")  # noqa: S608
                copie.append((table, nom, bool(cursor.fetchone()[0])))
        _copie = copie
        return
    with transaction.atomic(), connection.cursor() as cursor:
        _vider(cursor, [table for table, _, _ in _copie])
        for table, nom, lignes in _copie:
            if lignes:
                cursor.execute(f"INSERT INTO {q(table)} SELECT * FROM {nom}")  # noqa: S608
    _oublier_les_caches()
