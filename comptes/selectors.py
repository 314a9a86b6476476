"""Reads for the landing dashboard of each role."""

from django.db.models import Count

from comptes.enums import TypeOrganisation
from comptes.models import Dispositif, Organisation, Utilisateur
from menages.enums import EtatParcours
from menages.models import Menage


def dispositifs_of(user):
    if user.est_administrateur:
        return Dispositif.objects.filter(actif=True)
    if user.organisation_id is None:
        return Dispositif.objects.none()
    return user.organisation.dispositifs.filter(actif=True)


def counts_by_etat(menages) -> list[tuple[str, int]]:
    """(label, count) for every step of the path, in the path's order, zeros included."""
    counts = dict(menages.order_by().values_list("etat").annotate(n=Count("pk")))
    return [(etat.label, counts.get(etat.value, 0)) for etat in EtatParcours]


def programme_figures(user):
    """Aggregated figures of the programmes the user's organisation takes part in: no names."""
    menages = Menage.objects.filter(dispositif__in=dispositifs_of(user))
    par_bailleur = (
        menages.order_by().values("bailleur__nom").annotate(n=Count("pk")).order_by("bailleur__nom")
    )
    return {
        "total": menages.count(),
        "par_etat": counts_by_etat(menages),
        "par_bailleur": [(row["bailleur__nom"] or "Sans bailleur", row["n"]) for row in par_bailleur],
    }


def my_households(user, limit=10):
    menages = Menage.objects.visible_to(user)
    return {
        "total": menages.count(),
        "par_etat": counts_by_etat(menages),
        "recents": list(menages.select_related("commune", "bailleur").order_by("-modifie_le")[:limit]),
    }


def admin_figures():
    return {
        "organisations": Organisation.objects.count(),
        "bailleurs": Organisation.objects.filter(type=TypeOrganisation.BAILLEUR).count(),
        "utilisateurs": Utilisateur.objects.filter(is_active=True).count(),
        "menages": Menage.objects.count(),
    }
