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


# A landlord's or an administrator's dashboard looks at the most recently active files only.
MAX_SUIVIS = 300


def my_households(user, limit=10):
    """The households the user follows (all visible ones for landlord staff and administrators),
    late ones first: late means the last contact is older than the household's rythme allows."""
    from accompagnement.selectors import annotate_suivi, en_retard

    menages = Menage.objects.visible_to(user)
    suivis = menages.followed_by(user)
    if not suivis.exists():
        suivis = menages
    rows = list(
        annotate_suivi(suivis.select_related("commune", "bailleur"))
        .exclude(etat__in=[EtatParcours.CLOS, EtatParcours.REFUSE])
        .order_by("-modifie_le")[:MAX_SUIVIS]
    )
    for menage in rows:
        menage.en_retard = en_retard(
            menage.rythme_actuel, menage.dernier_contact, menage.debut_accompagnement
        )
    rows.sort(key=lambda m: (not m.en_retard, m.nom))
    return {
        "total": menages.count(),
        "par_etat": counts_by_etat(menages),
        "en_retard": sum(1 for m in rows if m.en_retard),
        "suivis": rows[:limit],
        "nombre_suivis": len(rows),
    }


def admin_figures():
    return {
        "organisations": Organisation.objects.count(),
        "bailleurs": Organisation.objects.filter(type=TypeOrganisation.BAILLEUR).count(),
        "utilisateurs": Utilisateur.objects.filter(is_active=True).count(),
        "menages": Menage.objects.count(),
    }
