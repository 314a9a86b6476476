"""Reads of the funding pages."""

import datetime

from django.utils import timezone

from comptes.models import Dispositif
from comptes.selectors import dans_le_dispositif_courant
from financement.models import IndicateursArretes

# How long computed figures are shown before being computed again when the page is opened. The
# periodic task recomputes each programme's current period more often than that.
VALIDITE_INDICATEURS = datetime.timedelta(hours=1)


def dispositifs_finances(user):
    """Programmes whose funding figures `user` may read: all for administrators, those their
    organisation funds (a share in the convention) for a funder, in the current programme
    when it is one of the organisation's (`dans_le_dispositif_courant`)."""
    if not user.is_authenticated or not user.has_perm("financement.voir"):
        return Dispositif.objects.none()
    if user.est_administrateur:
        return Dispositif.objects.all()
    if user.organisation_id is None:
        return Dispositif.objects.none()
    return Dispositif.objects.filter(
        dans_le_dispositif_courant(user, "pk"), convention__parts__financeur=user.organisation_id
    ).distinct()


def indicateurs_arretes(dispositif, debut, fin, *, maintenant=None) -> IndicateursArretes | None:
    """The figures of the programme over [debut, fin] computed less than VALIDITE_INDICATEURS ago,
    if any."""
    maintenant = maintenant or timezone.now()
    return IndicateursArretes.objects.filter(
        dispositif=dispositif, debut=debut, fin=fin, calcule_le__gt=maintenant - VALIDITE_INDICATEURS
    ).first()
