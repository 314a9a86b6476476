"""Reads of the funding pages."""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from comptes.enums import TypeOrganisation
from comptes.models import Dispositif
from comptes.selectors import dans_le_dispositif_courant, dispositifs_courants
from financement.enums import StatutPart
from financement.models import IndicateursArretes, LigneBudgetaire, PartFinanceur

# How long computed figures are shown before being computed again when the page is opened. The
# periodic task recomputes each programme's current period more often than that.
VALIDITE_INDICATEURS = datetime.timedelta(hours=1)


def dispositifs_finances(user):
    """Programmes whose funding figures `user` may read: the current programme for administrators,
    those their organisation funds (a share in the convention) for a funder, in the current
    programme when it is one of the organisation's (`dans_le_dispositif_courant`)."""
    if not user.is_authenticated or not user.has_perm("financement.voir"):
        return Dispositif.objects.none()
    if user.est_administrateur:
        return Dispositif.objects.filter(pk__in=dispositifs_courants(user))
    if user.organisation_id is None:
        return Dispositif.objects.none()
    return Dispositif.objects.filter(
        dans_le_dispositif_courant(user, "pk"), convention__parts__financeur=user.organisation_id
    ).distinct()


def dispositifs_consolides(user):
    """Programmes whose consolidated figures `user` may read: for administrators, every programme
    their organisation takes part in (consolidated figures span programmes; nothing without an
    organisation); for a national or regional funder, those its organisation (a funder) takes
    part in."""
    if not user.is_authenticated or not user.has_perm("financement.voir_consolide"):
        return Dispositif.objects.none()
    if user.est_administrateur:
        if user.organisation_id is None:
            return Dispositif.objects.none()
        return Dispositif.objects.filter(organisations=user.organisation_id)
    organisation = user.organisation
    if organisation is None or organisation.type != TypeOrganisation.FINANCEUR:
        return Dispositif.objects.none()
    return organisation.dispositifs.all()


def indicateurs_arretes(dispositif, debut, fin, *, maintenant=None) -> IndicateursArretes | None:
    """The figures of the programme over [debut, fin] computed less than VALIDITE_INDICATEURS ago,
    if any."""
    maintenant = maintenant or timezone.now()
    return IndicateursArretes.objects.filter(
        dispositif=dispositif, debut=debut, fin=fin, calcule_le__gt=maintenant - VALIDITE_INDICATEURS
    ).first()


def _par_dispositif(queryset, **agregat):
    """A subquery of one aggregate over `queryset` (records of a convention) per programme."""
    ((nom, expression),) = agregat.items()
    return Subquery(
        queryset.filter(convention__dispositif=OuterRef("pk"))
        .values("convention")
        .annotate(**{nom: expression})
        .values(nom)
    )


def conventions_administrees(user):
    """The programmes whose convention `user` manages (Dispositif.visible_to), each with its
    convention, the total of its funders' shares, how many shares are still to be confirmed and
    how many budget lines it has, in one query."""
    return (
        Dispositif.objects.visible_to(user)
        .select_related("convention")
        .annotate(
            total_parts=_par_dispositif(PartFinanceur.objects, t=Sum("pourcentage")),
            parts_a_confirmer=_par_dispositif(
                PartFinanceur.objects, n=Count("pk", filter=Q(statut=StatutPart.A_CONFIRMER))
            ),
            nb_lignes=_par_dispositif(LigneBudgetaire.objects, n=Count("pk", output_field=IntegerField())),
        )
        .order_by("nom")
    )
