"""Several querysets read in one round trip to PostgreSQL.

A household's file reads a dozen small tables about one household: a few rows each, a query each.
At that size most of each query's cost is the round trip itself and, on a busy machine, waiting for
the database process to be scheduled, then for ours again. Django's PostgreSQL backend binds the
parameters on the client side (psycopg's `ClientCursor`, unless `server_side_binding` is set), so
several SELECTs can be sent as one string and their results read in turn (`nextset()`). Each
queryset is still built and compiled by the ORM, and its rows still become model instances through
its own iterable (select_related, annotations, known related objects, prefetches): only the sending
is shared. Elsewhere (another database, server-side binding) each queryset is read on its own.

Only reads: the querysets are evaluated as they are when given, each as `list(queryset)` would."""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def lire_ensemble(*querysets: QuerySet) -> list[list]:
    """The rows of each queryset, as `list(queryset)` would give them, read in one round trip."""
    if not querysets:
        return []
    db = querysets[0].db
    connection = connections[db]
    if len(querysets) == 1 or any(qs.db != db for qs in querysets) or not envoi_groupe(connection):
        return [list(qs.all()) for qs in querysets]
    clones, compilers, sqls, params = [], [], [], []
    for queryset in querysets:
        clone = queryset.all()
        compiler = clone.query.get_compiler(using=db)
        try:
            sql, sql_params = compiler.as_sql()
        except EmptyResultSet:
            sql = ""
        clones.append(clone)
        compilers.append(compiler if sql else None)
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
    resultats = []
    for clone, compiler in zip(clones, compilers, strict=True):
        if compiler is None:
            resultats.append([])
            continue
        rows = next(lignes)
        if compiler.has_extra_select:
            # As `SQLCompiler.execute_sql` does: extra columns selected for the ordering only.
            rows = [row[: compiler.col_count] for row in rows]
        # The queryset's own iterable turns the rows into its results: it asks its query for a
        # compiler and that compiler to execute; this clone's are the compiler that made the SQL
        # (its select and related-object layout) and the rows already read.
        compiler.execute_sql = lambda *args, _rows=rows, **kwargs: [_rows]
        clone.query.get_compiler = lambda *args, _compiler=compiler, **kwargs: _compiler
        resultats.append(list(clone))
    return resultats


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

    def requete(self, queryset: QuerySet) -> list:
        """The list that `lire()` fills with the rows of `queryset`."""
        lignes = []
        self._requetes.append((queryset, lignes))
        return lignes

    def precharger(self, instance, relations: dict[str, QuerySet | None]) -> dict[str, list]:
        """As `prefetch_related_objects([instance], ...)` for reverse foreign keys of `instance`
        (`relations`: accessor name → queryset of the related model, or None for its default
        manager), done by `lire()`; the records of each, as lists filled then."""
        accesseurs = {rel.get_accessor_name(): rel for rel in instance._meta.related_objects}
        listes = {}
        for nom, queryset in relations.items():
            champ = accesseurs[nom].field  # the related model's foreign key to `instance`
            base = queryset if queryset is not None else champ.model._default_manager.all()
            requete = base.filter(**{champ.name: instance})
            listes[nom] = self.requete(requete)
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
