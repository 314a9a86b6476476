"""Several querysets read in one round trip to PostgreSQL.

A household's file reads a dozen small tables about one household: a few rows each, a query each.
At that size most of each query's cost is the round trip itself and, on a busy machine, waiting for
the database process to be scheduled, then for ours again. Django's PostgreSQL backend binds the
parameters on the client side (psycopg's `ClientCursor`, unless `server_side_binding` is set), so
several SELECTs can be sent as one string and their results read in turn (`nextset()`). Each
queryset is still built and compiled by the ORM, and its rows still become model instances through
its own iterable (select_related, annotations, known related objects, prefetches): only the sending
is shared. Elsewhere (another database, server-side binding) each queryset is read on its own.

Building and compiling are then what such a page costs most: a `Gabarit` is a read that is the same
on every page but for one record's id, compiled once per process and sent with the id of the page.

Only reads: the querysets are evaluated as they are when given, each as `list(queryset)` would."""

import copy
import operator

from django.conf import settings
from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet


def lire_ensemble(*lectures) -> list[list]:
    """The rows of each queryset (or `Gabarit` read), as `list(queryset)` would give them, read in
    one round trip."""
    if not lectures:
        return []
    db = lectures[0].db
    connection = connections[db]
    if len(lectures) == 1 or any(lu.db != db for lu in lectures) or not envoi_groupe(connection):
        return [_lire_seule(lu) for lu in lectures]
    preparees, sqls, params = [], [], []
    for lu in lectures:
        sql, sql_params, resultats = _preparer(lu)
        preparees.append(resultats if sql else None)
        if sql:
            sqls.append(sql)
            params.extend(sql_params)
    lignes = []
    if sqls:
        with connection.cursor() as cursor:
            cursor.execute(";\n".join(sqls), params)
            for i in range(len(sqls)):
                if i:
                    cursor.nextset()
                lignes.append(cursor.fetchall())
    lignes = iter(lignes)
    return [resultats(next(lignes)) if resultats else [] for resultats in preparees]


def _lire_seule(lu) -> list:
    if isinstance(lu, LectureFigee):
        sql, params, resultats = _preparer(lu)
        with connections[lu.db].cursor() as cursor:
            cursor.execute(sql, params)
            return resultats(cursor.fetchall())
    return list(lu.all())


def _preparer(lu):
    """The SQL of a read, its parameters, and the function that turns its rows into its results;
    no SQL for a queryset Django knows to be empty."""
    if isinstance(lu, LectureFigee):
        return lu.sql, lu.params, lu.resultats
    clone = lu.all()
    compiler = clone.query.get_compiler(using=clone.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return "", [], None
    return sql, params, lambda rows: _resultats(clone, compiler, rows)


def _resultats(clone, compiler, rows) -> list:
    """The results of queryset `clone` (not evaluated yet) from `rows`, the rows of the SQL that
    `compiler` (its compiler) made."""
    if compiler.has_extra_select:
        # As `SQLCompiler.execute_sql` does: extra columns selected for the ordering only.
        rows = [row[: compiler.col_count] for row in rows]
    # The queryset's own iterable turns the rows into its results: it asks its query for a
    # compiler and that compiler to execute; this clone's are the compiler that made the SQL
    # (its select and related-object layout) and the rows already read.
    compiler.execute_sql = lambda *args, _rows=rows, **kwargs: [_rows]
    clone.query.get_compiler = lambda *args, _compiler=compiler, **kwargs: _compiler
    return list(clone)


class Gabarit:
    """A read about one record (a household's members, say) that every page builds the same way
    but for that record's id. The ORM builds and compiles it once per process and variant, for
    the database it reads from; each page then sends that SQL with its own id, as SQLAlchemy's compiled cache or a
    prepared statement would. A household's file makes a dozen such reads: building and compiling
    them cost the file more than PostgreSQL took to run them (docs/performance.md).

    `construire(pk, *variante)` returns the queryset for the record `pk`. `variante` holds what
    else gives the read its shape, as hashable values: whether the reader may read the notes
    reserved to social workers, say. The id may not change the shape: the first compilation of a
    variant builds the read for two ids no record has, and refuses it unless both give the same
    SQL with parameters that differ only where the id is. Nothing else may: `construire` takes all
    it uses from its arguments (no date of the day, no reader's programmes). That the first
    compilation cannot see; with `settings.VERIFIER_GABARITS` (the test suite), each use builds
    the read again with the ORM and fails unless it gives the same SQL and parameters."""

    SONDES = (-1, -2)

    def __init__(self, construire):
        self._construire = construire
        self._compilations = {}

    @classmethod
    def par(cls, queryset: QuerySet, champ: str) -> "Gabarit":
        """The records of `queryset` whose field `champ` (a foreign key, say) is the id."""
        return cls(lambda pk: queryset.filter(**{champ: pk}))

    def pour(self, pk, *variante) -> "LectureFigee":
        """The read for record `pk`, to give to `Lot.requete` (or `lire_ensemble`)."""
        compilation = self._compilations.get(variante)
        if compilation is None:
            compilation = self._compilations[variante] = self._compiler(variante)
        lu = LectureFigee(compilation, pk)
        if settings.VERIFIER_GABARITS:
            queryset = self._construire(pk, *variante)
            sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
            if sql != lu.sql or list(params) != lu.params:
                raise AssertionError(
                    f"The read of {queryset.model.__name__} compiled once is not the one the ORM "
                    f"builds now:\n{lu.sql} {lu.params}\n{sql} {list(params)}"
                )
        return lu

    def queryset(self, pk, *variante) -> QuerySet:
        """The queryset of the read, built by the ORM (for a page that reads it on its own)."""
        return self._construire(pk, *variante)

    def _compiler(self, variante) -> "_Compilation":
        compiles = []
        for sonde in self.SONDES:
            queryset = self._construire(sonde, *variante)
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            compiles.append((queryset, compiler, sql, list(params)))
        (queryset, compiler, sql, params), (_, _, sql_b, params_b) = compiles
        a, b = self.SONDES
        positions = [i for i, (x, y) in enumerate(zip(params, params_b, strict=False)) if x != y]
        if (
            sql != sql_b
            or len(params) != len(params_b)
            or not positions
            or any(params[i] != a or params_b[i] != b for i in positions)
        ):
            raise ImproperlyConfigured(
                f"The read of {queryset.model.__name__} changes its shape with the id: it cannot be "
                "compiled once for all ids."
            )
        return _Compilation(queryset, compiler, sql, params, positions)


class _Compilation:
    __slots__ = ("queryset", "compiler", "sql", "params", "positions")

    def __init__(self, queryset, compiler, sql, params, positions):
        self.queryset, self.compiler, self.sql, self.params, self.positions = (
            queryset,
            compiler,
            sql,
            params,
            positions,
        )


class LectureFigee:
    """A `Gabarit` read for one record: its SQL compiled once, its parameters with this id."""

    def __init__(self, compilation: _Compilation, pk):
        self._compilation = compilation
        self.params = list(compilation.params)
        pk = operator.index(pk)  # an id: a string would reach the SQL as text
        for i in compilation.positions:
            self.params[i] = pk

    @property
    def db(self) -> str:
        return self._compilation.queryset.db

    @property
    def sql(self) -> str:
        return self._compilation.sql

    def resultats(self, rows) -> list:
        # A copy of the compiled read and of its compiler for these rows: the compilation is
        # shared by the threads of the process, each with its own connection.
        compilation = self._compilation
        compiler = copy.copy(compilation.compiler)
        compiler.connection = connections[compilation.queryset.db]
        return _resultats(compilation.queryset._chain(), compiler, rows)


def union_tous(premiere: QuerySet, *autres: QuerySet) -> list:
    """The rows of UNION ALL of the querysets (each may have its own order and limit), in one
    query. Where the database does not take a limited or ordered selection in a compound statement
    (SQLite), each queryset's rows in turn. UNION keeps no order: the caller sorts what it needs.
    Django leaves out the selections known to be empty (a user who may see none): with a single one
    left, it is read as it is."""
    if not connections[premiere.db].features.supports_slicing_ordering_in_compound:
        return [ligne for queryset in (premiere, *autres) for ligne in queryset]
    union = premiere.union(*autres, all=True)
    return list(union.order_by() if union.query.combinator else union)


class Lot:
    """Querysets gathered from several places (the parts of a page), read in one round trip by
    `lire()`. The lists that `requete` and `precharger` return are filled then, not before."""

    def __init__(self):
        self._requetes = []  # (queryset, the list its rows go to)
        self._prefetches = []  # (instance, accessor name, foreign key, queryset, its rows)
        self._ensuite = []  # callables run once the rows are read

    def ensuite(self, fonction) -> None:
        """Call `fonction()` at the end of `lire()`, once every list is filled."""
        self._ensuite.append(fonction)

    def requete(self, queryset) -> list:
        """The list that `lire()` fills with the rows of `queryset` (or of a `Gabarit` read)."""
        lignes = []
        self._requetes.append((queryset, lignes))
        return lignes

    def precharger(self, instance, relations: dict) -> dict[str, list]:
        """As `prefetch_related_objects([instance], ...)` for reverse foreign keys of `instance`
        (`relations`: accessor name → queryset of the related model, None for its default
        manager, or a `Gabarit` of the related records of one instance), done by `lire()`; the
        records of each, as lists filled then."""
        accesseurs = {rel.get_accessor_name(): rel for rel in instance._meta.related_objects}
        listes = {}
        for nom, base in relations.items():
            champ = accesseurs[nom].field  # the related model's foreign key to `instance`
            if isinstance(base, Gabarit):
                # Read with the SQL compiled once; the cache holds the queryset the ORM builds, as
                # a prefetch's does, so that a further filter on it is right.
                lu, requete = base.pour(instance.pk), base.queryset(instance.pk)
            else:
                base = base if base is not None else champ.model._default_manager.all()
                lu = requete = base.filter(**{champ.name: instance})
            listes[nom] = self.requete(lu)
            self._prefetches.append((instance, nom, champ, requete, listes[nom]))
        return listes

    def lire(self) -> None:
        requetes, self._requetes = self._requetes, []
        prefetches, self._prefetches = self._prefetches, []
        for (_, lignes), lus in zip(requetes, lire_ensemble(*(q for q, _ in requetes)), strict=True):
            lignes[:] = lus
        for instance, nom, champ, requete, lignes in prefetches:
            for obj in lignes:
                # As the prefetch does: each record knows its parent without a query.
                champ.set_cached_value(obj, instance)
            requete._result_cache = lignes
            requete._prefetch_done = True
            instance.__dict__.setdefault("_prefetched_objects_cache", {})[nom] = requete
        ensuite, self._ensuite = self._ensuite, []
        for fonction in ensuite:
            fonction()


def rattacher(parents, accesseur: str, enfants) -> None:
    """As a prefetch of reverse foreign key `accesseur` on `parents`: each parent's records among
    `enfants` (read for all of them, in the related model's order), each knowing its parent."""
    parents = list(parents)
    if not parents:
        return
    rel = next(r for r in parents[0]._meta.related_objects if r.get_accessor_name() == accesseur)
    champ = rel.field
    par_parent = {parent.pk: [] for parent in parents}
    for enfant in enfants:
        par_parent.get(getattr(enfant, champ.attname), []).append(enfant)
    for parent in parents:
        objets = par_parent[parent.pk]
        for obj in objets:
            champ.set_cached_value(obj, parent)
        requete = getattr(parent, accesseur).all()
        requete._result_cache = objets
        requete._prefetch_done = True
        parent.__dict__.setdefault("_prefetched_objects_cache", {})[accesseur] = requete


def envoi_groupe(connection) -> bool:
    """Whether the connection's cursors bind on the client side, and so take several statements."""
    if connection.vendor != "postgresql":
        return False
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return is_psycopg3 and connection.settings_dict["OPTIONS"].get("server_side_binding") is not True


def rattacher_m2m(instance, champ: str, objets: list) -> None:
    """As a prefetch of many-to-many field `champ` on `instance`: `objets` are its related records
    (read with others), in the related model's order."""
    requete = getattr(instance, champ).all()
    requete._result_cache = list(objets)
    requete._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[champ] = requete
