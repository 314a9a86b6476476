"""One confidentiality model for the whole programme.

Every model holding health, addiction or social-worker-only content declares it once, as a
class attribute `confidentiel = Classement(...)`: which fields hold that content, and at which
level (`comptes.enums.Confidentialite`) — a fixed level (the health part of a diagnostic is
always for social workers), or the record's own level (a contact's note, an objective, a
document, chosen when it is written). Everything that shows those fields asks this module:

- pages, PDFs and exports read records through the QuerySets' `visible_to` /
  `of_visible_menage`, which leave out the records a user may not read (`lisible`), and redact
  the fields classified at a fixed level (`champs_masques`, `valeur`);
- the audit journals show classified before/after values and the names of classified records as
  « contenu confidentiel » (`lignes_journal`);
- the admin site leaves classified fields out of its pages (`ConfidentielAdmin`);
- forms drop the classified fields a user may not read (`retirer_champs`);
- messages (emails, notifications) ask `lisible` / `valeur` before naming anything.

Only a role that may read a level reads it: the programme's administrator manages users and
settings and sees confidential content only as « contenu confidentiel »."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin
from django.db.models import Model, QuerySet

from comptes.enums import Confidentialite

MASQUE = "contenu confidentiel"


@dataclass(frozen=True)
class Classement:
    """The classified fields of a model, with their fixed `niveau` or the path to the record's own
    level (`niveau_via`, a field or a lookup such as "objectif__confidentialite")."""

    champs: tuple[str, ...]
    niveau: str | None = None
    niveau_via: str | None = None

    def __post_init__(self):
        if (self.niveau is None) == (self.niveau_via is None):
            raise ValueError("A classification has either a fixed level or the record's own level.")

    def niveau_de(self, obj) -> str:
        if self.niveau:
            return self.niveau
        value = obj
        for part in self.niveau_via.split("__"):
            value = getattr(value, part, None)
            if value is None:
                # Unknown (a record without its parent): treated as the most restrictive level.
                return Confidentialite.TRAVAILLEURS_SOCIAUX
        return value


def classement(model_or_obj) -> Classement | None:
    return getattr(model_or_obj, "confidentiel", None)


def modeles_classes() -> list:
    """Every model that declares classified fields."""
    return [m for m in apps.get_models() if isinstance(classement(m), Classement)]


def peut_lire(user, niveau) -> bool:
    """Whether `user`'s role allows reading content of confidentiality `niveau`."""
    if niveau == Confidentialite.PARTAGE:
        return True
    return bool(user and user.is_authenticated and user.has_perm("comptes.voir_confidentiel"))


def lisible(user, obj) -> bool:
    """Whether `user` may read the classified content of record `obj`."""
    c = classement(obj)
    return c is None or peut_lire(user, c.niveau_de(obj))


def champs_masques(user, model_or_obj) -> set[str]:
    """The classified fields `user` may not read: of a record, or of a model (fields at a fixed
    level only, the level of a record being unknown before it is written)."""
    c = classement(model_or_obj)
    if c is None:
        return set()
    if isinstance(model_or_obj, type):
        return set() if c.niveau is None or peut_lire(user, c.niveau) else set(c.champs)
    return set() if lisible(user, model_or_obj) else set(c.champs)


def lisibles(queryset, user):
    """The records of `queryset` (of a model whose records carry their own level) that `user` may
    read."""
    return lisibles_selon(queryset, lit_reserve(user))


def lit_reserve(user) -> bool:
    """Whether `user` may read content reserved to social workers: all that changes what
    `lisibles` keeps (a read compiled once per answer: comptes.lecture.Gabarit)."""
    return peut_lire(user, Confidentialite.TRAVAILLEURS_SOCIAUX)


def lisibles_selon(queryset, lit_reserve: bool):
    """The records of `queryset` that a reader who may (or may not) read content reserved to
    social workers may read."""
    c = classement(queryset.model)
    if c is None or c.niveau or lit_reserve:
        return queryset
    return queryset.exclude(**{c.niveau_via: Confidentialite.TRAVAILLEURS_SOCIAUX})


def valeur(user, obj, champ):
    """The value of `champ` for `user`: « contenu confidentiel » when classified beyond their role."""
    return MASQUE if champ in champs_masques(user, obj) else getattr(obj, champ)


def retirer_champs(form, user, instance=None):
    """Drop from `form` the classified fields `user` may not read (of `instance`, or of the model
    for a new record): they are neither shown nor changed."""
    for name in champs_masques(user, instance if instance is not None else form._meta.model):
        form.fields.pop(name, None)
    return form


# --- Records shown in pages, PDFs and exports ----------------------------------------------------


def masquer(obj, user, *, garder=False):
    """`obj` as `user` may read it, for display only: its fields classified beyond their role
    replaced by « contenu confidentiel » in memory; a record whose own level is beyond their role
    is left out (None), unless `garder` (a page that shows that the record exists). A masked
    record can no longer be saved (see `refuser_enregistrement_masque`)."""
    c = classement(obj)
    if c is None:
        return obj
    masques = champs_masques(user, obj)
    if not masques:
        return obj
    if c.niveau_via and not garder:
        return None
    for champ in masques:
        setattr(obj, champ, MASQUE)
    obj._confidentiel_masque = True
    return obj


def masquer_tout(records, user) -> list:
    """The records of `records` that `user` may read, masked as `masquer` does."""
    return [r for r in (masquer(r, user) for r in records) if r is not None]


def masquer_contexte(contexte: dict, user) -> dict:
    """A part of a PDF or an export (a dict of records and lists of records) as `user` may read
    it: every classified record goes through `masquer`, whatever part of the file it comes from."""

    def un(value):
        if isinstance(value, Model):
            return masquer(value, user)
        if isinstance(value, tuple):
            # A row (record, what is computed from it): the row goes with its record.
            row = tuple(un(v) for v in value)
            return None if value and isinstance(value[0], Model) and row[0] is None else row
        if isinstance(value, (list, QuerySet)):
            return [m for m in (un(v) for v in value) if m is not None]
        return value

    return {k: un(v) for k, v in contexte.items()}


def refuser_enregistrement_masque(sender, instance, **kwargs):
    """A record masked for display must never be written back with « contenu confidentiel »."""
    if getattr(instance, "_confidentiel_masque", False):
        raise RuntimeError(f"{sender.__name__} {instance.pk} was masked for display and cannot be saved.")


def retirer_choix_du_niveau(form, user, champ="confidentialite"):
    """Who may not read the reserved level does not choose it (they would not read back what they
    wrote, nor could they tell what they hid): the record takes its model's default level."""
    if not peut_lire(user, Confidentialite.TRAVAILLEURS_SOCIAUX):
        form.fields.pop(champ, None)
    return form


# --- The audit journals -------------------------------------------------------------------------


def _niveaux_actuels(entries) -> dict:
    """{(model, pk): level} of the records with their own level that the entries are about, read in
    one query per model."""
    pks = {}
    for e in entries:
        model = e.content_type.model_class() if e.content_type_id else None
        c = classement(model)
        if c is not None and c.niveau_via:
            pks.setdefault(model, set()).add(e.object_pk)
    niveaux = {}
    for model, ids in pks.items():
        via = classement(model).niveau_via
        for pk, niveau in model._default_manager.filter(pk__in=ids).values_list("pk", via):
            niveaux[(model, str(pk))] = niveau
    return niveaux


def _niveau_entree(model, entry, c, niveaux) -> str:
    if c.niveau:
        return c.niveau
    # The most restrictive of the record's current level and the levels the entry records: a note
    # once reserved stays reserved in its history.
    vus = {niveaux.get((model, str(entry.object_pk)))}
    if "__" not in c.niveau_via:
        vus.update(str(v) for v in (entry.changes_dict.get(c.niveau_via) or []))
    vus.discard(None)
    vus.discard("None")
    if not vus or Confidentialite.TRAVAILLEURS_SOCIAUX in vus:
        return Confidentialite.TRAVAILLEURS_SOCIAUX
    return Confidentialite.PARTAGE


@dataclass
class LigneJournal:
    entry: object
    objet: str
    modifications: list


def lignes_journal(entries, user) -> list[LigneJournal]:
    """The audit entries as `user` may read them: the before/after values of classified fields,
    and the names of records whose content is classified beyond their role, are « contenu
    confidentiel »."""
    entries = list(entries)
    niveaux = _niveaux_actuels(entries)
    personnes = _personnes(entries)
    lignes = []
    for e in entries:
        model = e.content_type.model_class() if e.content_type_id else None
        c = classement(model)
        masques, objet = set(), e.object_repr
        if c is not None and not peut_lire(user, _niveau_entree(model, e, c, niveaux)):
            masques = set(c.champs)
            if c.niveau_via:
                objet = MASQUE
        nom = e.content_type.name.capitalize() if e.content_type_id else ""
        modifications = []
        for champ, values in (e.changes_dict or {}).items():
            field = _champ(model, champ)
            if (field is not None and field.primary_key) or (
                field is None and _relation_inverse(model, champ)
            ):
                continue  # the record's own id, or « app.Model.None » for a reverse relation: nothing to read
            avant, apres = (values + [None, None])[:2] if isinstance(values, list) else (values, None)
            if champ in masques:
                avant = apres = MASQUE
            else:
                avant, apres = _lisible(field, avant, personnes), _lisible(field, apres, personnes)
            modifications.append((_libelle(model, champ), avant, apres))
        lignes.append(LigneJournal(e, f"{nom} : {objet}" if nom else objet, modifications))
    return lignes


def _champ(model, champ):
    """The model's own field named `champ` (not a reverse relation of the same name), if any."""
    try:
        field = model._meta.get_field(champ)
    except Exception:  # a field since removed, or a model no longer installed
        return None
    return field if getattr(field, "concrete", False) else None


def _relation_inverse(model, champ) -> bool:
    try:
        return not getattr(model._meta.get_field(champ), "concrete", True)
    except Exception:
        return False


def _personnes(entries) -> dict:
    """{str(pk): name} of the users the entries' changes point to (an author, a referent…), read in
    one query: the journal names them rather than showing their id."""
    from django.contrib.auth import get_user_model

    Utilisateur = get_user_model()
    pks = set()
    for e in entries:
        model = e.content_type.model_class() if e.content_type_id else None
        for champ, values in (e.changes_dict or {}).items():
            field = _champ(model, champ)
            if field is not None and field.is_relation and field.related_model is Utilisateur:
                pks.update(v for v in (values if isinstance(values, list) else [values]) if str(v).isdigit())
    return {str(u.pk): str(u) for u in Utilisateur.objects.filter(pk__in=pks)} if pks else {}


def _lisible(field, value, personnes) -> str:
    """A value as auditlog stored it (a string), as a reader expects it: nothing for « None », the
    label of a choice, oui/non, a French date, a person's name; otherwise unchanged."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import models
    from django.utils import dateparse, timezone
    from django.utils.formats import date_format

    if value is None or value == "None":
        return ""
    if field is None:
        return value
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return {"True": "oui", "False": "non"}.get(value, value)
    if isinstance(field, models.DateTimeField):
        moment = dateparse.parse_datetime(value)
        if moment is None:
            return value
        if timezone.is_naive(moment):  # auditlog stores datetimes in UTC, without their zone
            moment = timezone.make_aware(moment, dt.UTC)
        return date_format(timezone.localtime(moment), "d/m/Y H:i")
    if isinstance(field, models.DateField):
        jour = dateparse.parse_date(value)
        return date_format(jour, "d/m/Y") if jour else value
    if field.is_relation and field.related_model is get_user_model():
        return personnes.get(value, value)
    return value


def _libelle(model, champ) -> str:
    try:
        return str(model._meta.get_field(champ).verbose_name)
    except Exception:  # a field since removed, or a model no longer installed
        return champ


# --- The admin site ------------------------------------------------------------------------------


def _colonne(model, champ, user):
    """A list column showing `champ` as `user` may read it (the admin instance is shared between
    requests: the user is captured here, not stored on it)."""

    def colonne(obj):
        return valeur(user, obj, champ)

    colonne.short_description = _libelle(model, champ)
    return colonne


class ConfidentielAdmin(admin.ModelAdmin):
    """An admin page that leaves out the classified fields the user may not read (change, add and
    delete pages, list columns, search) and says so with « contenu confidentiel »."""

    def _masques(self, request, obj=None):
        return champs_masques(request.user, obj if obj is not None else self.model)

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *sorted(self._masques(request, obj))]

    def get_readonly_fields(self, request, obj=None):
        masques = self._masques(request, obj)
        fields = [f for f in super().get_readonly_fields(request, obj) if f not in masques]
        if not masques:
            return fields
        # Who may not read the record may not lower its level to read it either.
        via = classement(self.model).niveau_via
        return [*fields, *([via] if via and "__" not in via else []), "contenu_confidentiel"]

    @admin.display(description="Contenu")
    def contenu_confidentiel(self, obj):
        return MASQUE

    def get_list_display(self, request):
        c = classement(self.model)
        return [
            _colonne(self.model, champ, request.user) if champ in c.champs else champ
            for champ in super().get_list_display(request)
        ]

    def get_search_fields(self, request):
        c = classement(self.model)
        if not c or peut_lire(request.user, Confidentialite.TRAVAILLEURS_SOCIAUX):
            return super().get_search_fields(request)
        return [f for f in super().get_search_fields(request) if f.lstrip("^=@") not in c.champs]
