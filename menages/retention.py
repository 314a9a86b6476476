"""Retention (CNIL, social and medico-social sector): a closed file with no activity for the
programme's retention period is anonymised. Names, contact details, free-text notes and documents
go; what the statistics need stays (dates, steps, levels, durations, scores, amounts), so that the
funder reports of past periods give the same figures."""

import datetime

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from menages.models import Menage
from menages.parties import parties


def derniere_activite(menage) -> datetime.date:
    """The latest activity of any app on the household (the referral at least)."""
    dates = [p.derniere_activite(menage) for p in parties() if p.derniere_activite]
    return max((d for d in dates if d), default=menage.date_saisine)


def a_anonymiser(now=None):
    """(household, last activity) for the closed files past the retention period."""
    today = timezone.localdate(now or timezone.now())
    resultat = []
    for menage in Menage.objects.termines().filter(anonymise_le__isnull=True).select_related("dispositif"):
        derniere = derniere_activite(menage)
        if derniere <= today - relativedelta(months=menage.dispositif.retention_mois):
            resultat.append((menage, derniere))
    return resultat


@transaction.atomic
def anonymiser(menage: Menage) -> None:
    """Each app removes what identifies the household or tells about it in its free text, and keeps
    the figures (`Partie.anonymiser`). The audit trail of the file, which holds the old values, goes
    too; the anonymisation itself is recorded."""
    with disable_auditlog():
        for partie in parties():
            if partie.anonymiser:
                partie.anonymiser(menage)
        _purge_audit(menage)
    Menage.objects.filter(pk=menage.pk).update(anonymise_le=timezone.now())
    LogEntry.objects.log_create(
        Menage.objects.get(pk=menage.pk),
        action=LogEntry.Action.UPDATE,
        changes={"anonymise_le": ["", "anonymisation (durée de conservation écoulée)"]},
    )


def _purge_audit(menage):
    LogEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Menage), object_id=menage.pk)
        | Q(additional_data__menage_id=menage.pk)
    ).delete()
