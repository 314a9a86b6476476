"""Reads on programmes, organisations and users shared by the domain apps."""

from comptes.models import Dispositif


def dispositifs_de(user):
    """The active programmes the user's organisation takes part in (all of them for administrators)."""
    if user.est_administrateur:
        return Dispositif.objects.filter(actif=True)
    if user.organisation_id is None:
        return Dispositif.objects.none()
    return user.organisation.dispositifs.filter(actif=True)
