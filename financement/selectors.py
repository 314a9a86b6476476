"""Reads of the funding pages."""

from comptes.models import Dispositif


def dispositifs_finances(user):
    """Programmes whose funding figures `user` may read: all for administrators, those their
    organisation funds (a share in the convention) for a funder."""
    if not user.is_authenticated or not user.has_perm("financement.voir"):
        return Dispositif.objects.none()
    if user.est_administrateur:
        return Dispositif.objects.all()
    if user.organisation_id is None:
        return Dispositif.objects.none()
    return Dispositif.objects.filter(convention__parts__financeur=user.organisation_id).distinct()
