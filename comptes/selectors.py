"""Reads on programmes, organisations and users shared by the domain apps."""

from django.db.models import Q

from comptes.models import Dispositif


def dispositifs_de(user):
    """The active programmes the user's organisation takes part in (all of them for administrators)."""
    if user.est_administrateur:
        return Dispositif.objects.filter(actif=True)
    if user.organisation_id is None:
        return Dispositif.objects.none()
    return user.organisation.dispositifs.filter(actif=True)


def rechercher_utilisateurs(queryset, texte):
    """Users of `queryset` whose first name, last name or login contains every word of `texte`
    (case ignored), by name. For the autocompletes choosing a professional."""
    for mot in texte.split()[:5]:
        queryset = queryset.filter(
            Q(first_name__icontains=mot) | Q(last_name__icontains=mot) | Q(username__icontains=mot)
        )
    return queryset.order_by("last_name", "first_name", "pk")
