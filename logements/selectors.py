"""Reads on the stock beyond the QuerySet methods of models.py."""

from django.db.models import Count, Q

from comptes.selectors import dispositifs_of
from logements.enums import ModeMobilisation
from logements.models import ImportLogements


def mobilisation_progress(user) -> list[dict]:
    """For each programme of the user: dwellings mobilised (all landlords, a count only) against the
    programme's target, and the count by way of mobilisation."""
    dispositifs = dispositifs_of(user).annotate(mobilises=Count("mobilisations")).order_by("nom")
    return [
        {
            "dispositif": dispositif,
            "mobilises": dispositif.mobilises,
            "objectif": dispositif.objectif_logements_mobilises,
            "pourcentage": min(
                100, round(100 * dispositif.mobilises / dispositif.objectif_logements_mobilises)
            )
            if dispositif.objectif_logements_mobilises
            else 100,
        }
        for dispositif in dispositifs
    ]


def recent_imports(bailleur, limit=5):
    return ImportLogements.objects.filter(bailleur=bailleur).select_related("auteur")[:limit]


def mobilisations_by_mode(mobilisations):
    counts = mobilisations.aggregate(
        **{mode.value: Count("pk", filter=Q(mode=mode.value)) for mode in ModeMobilisation}
    )
    return [(mode.label, counts[mode.value]) for mode in ModeMobilisation]
