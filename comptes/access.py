"""Helpers that views use to load records through the access rules."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def get_visible_or_404(queryset, user, **lookup):
    """Load one record among those `user` may see; anything else is a 404, so that the existence of
    a household the user may not see is not revealed."""
    return get_object_or_404(queryset.visible_to(user), **lookup)


def require_perm(user, perm, obj=None):
    if not user.has_perm(perm, obj):
        raise PermissionDenied
