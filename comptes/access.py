"""The one way views load a record: among those the user may see, after the permission the page
needs."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def get_visible_or_404(queryset, user, *, perm=None, **lookup):
    """Load one record among those `user` may see (`queryset.visible_to(user)`); anything else is
    a 404, so that the existence of a household the user may not see is not revealed. With `perm`,
    a user without that permission gets a 403 first."""
    from comptes.journal_acces import journaliser

    if perm:
        require_perm(user, perm)
    record = get_object_or_404(queryset.visible_to(user), **lookup)
    journaliser(record, user)  # the access log: every record of a household loaded for a page
    return record


def require_perm(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied
