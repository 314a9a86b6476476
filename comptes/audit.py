"""Which models keep an audit trail (who, when, before and after), and how a view is recorded.

Every domain model must be registered here or in its app's audit registration; the test
`test_every_domain_model_is_audited` fails when one is forgotten.
"""

from auditlog.registry import auditlog
from auditlog.signals import accessed
from django.apps import apps

from comptes.models import (
    AttributionRole,
    Commune,
    Dispositif,
    Invitation,
    NiveauAccompagnement,
    Organisation,
    Utilisateur,
)

AUDITED_APPS = (
    "comptes",
    "menages",
    "accompagnement",
    "logements",
    "comites",
    "financement",
    "rappels",
    "dossiers",
)
# Sessions change on every request; the login journal, the reminders and the dashboard visits are
# themselves logs; the funders' dashboard figures and the monthly arrears totals are derived data,
# computed again at will (the balances they sum are audited).
NOT_AUDITED = {
    "comptes.battementservice",
    "comptes.sessionutilisateur",
    "comptes.evenementconnexion",
    "financement.indicateursarretes",
    "logements.impayesmensuels",
    "menages.effectifbailleur",
    "rappels.rappel",
    "rappels.visitetableaudebord",
}

auditlog.register(Dispositif, m2m_fields={"financeurs_validation_requise"})
auditlog.register(NiveauAccompagnement)
auditlog.register(Organisation, m2m_fields={"dispositifs"})
auditlog.register(Commune)
auditlog.register(Utilisateur, exclude_fields=["password", "last_login"])
auditlog.register(AttributionRole)
# The token's hash is a secret's stand-in: the trail says who was invited, when, and what became of
# the link, not the hash.
auditlog.register(Invitation, exclude_fields=["jeton_hash"])


def register_app_models():
    """Register every model of the domain apps not registered explicitly above."""
    for app_label in AUDITED_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.label_lower in NOT_AUDITED or auditlog.contains(model):
                continue
            auditlog.register(model)


def record_view(instance):
    """Record that the current user opened `instance` (the actor comes from the request)."""
    accessed.send(sender=instance.__class__, instance=instance)


def purge_access_log(now=None) -> int:
    """Delete the records of openings older than ACCESS_LOG_RETENTION_DAYS; changes are kept."""
    import datetime

    from auditlog.models import LogEntry
    from django.conf import settings
    from django.utils import timezone

    limite = (now or timezone.now()) - datetime.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, timestamp__lt=limite).delete()
    return deleted
