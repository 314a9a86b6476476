"""The access log: who opened which household's records, from one place.

Every record a view loads through `comptes.access.get_visible_or_404` (so every household page,
through `menages.selectors.charger_menage`) is recorded here when its model holds personal data:
a model says so with the class attribute `journaliser_acces = True` (the household, and every
record of its file through `menages.models.RattacheAuMenage`). The entry is django-auditlog's
*access* entry, carrying the household's id (`RattacheAuMenage.get_additional_data`), so that
the household's trail lists the openings of any of its records.

A page that loads the same record twice (a household, then the same household's record) logs it
once per request: the records already logged are remembered on the request's user object, which
lives as long as the request.
"""

from auditlog.registry import auditlog

from comptes.audit import record_view

_DEJA_JOURNALISES = "_acces_journalises"


def est_donnee_personnelle(instance) -> bool:
    """Whether opening `instance` must be recorded: its model declares that it holds personal data
    and keeps an audit trail."""
    model = type(instance)
    return bool(getattr(model, "journaliser_acces", False)) and auditlog.contains(model)


def journaliser(instance, user=None) -> bool:
    """Record that the current user (the request's actor) opened `instance`, once per request;
    returns whether an entry was written."""
    if instance is None or instance.pk is None or not est_donnee_personnelle(instance):
        return False
    cle = (instance._meta.label_lower, instance.pk)
    if user is not None:
        deja = getattr(user, _DEJA_JOURNALISES, None)
        if deja is None:
            deja = set()
            try:
                setattr(user, _DEJA_JOURNALISES, deja)
            except AttributeError:  # AnonymousUser-like objects without a __dict__
                deja = None
        if deja is not None:
            if cle in deja:
                return False
            deja.add(cle)
    record_view(instance)
    return True
