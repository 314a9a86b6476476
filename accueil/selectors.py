"""Reads for the home page of each role: the figures and lists the domain apps do not own."""

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    Q,
)
from django.db.models.functions import Cast
from django.utils import timezone

from accompagnement.selectors import annoter_suivi, en_retard
from comptes.enums import TypeOrganisation
from comptes.selectors import dispositifs_de, organisations_administrees, utilisateurs_administrables
from menages.enums import EtatParcours
from menages.models import Menage
from menages.selectors import nombres_par_etat


def _par_etat(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(label, count) for every step of the path, in the path's order, zeros included."""
    return [(etat.label, counts[etat.value]) for etat in EtatParcours]


def chiffres_dispositifs(user):
    """Aggregated figures of the programmes the user's organisation takes part in: no names."""
    menages = Menage.objects.filter(dispositif__in=dispositifs_de(user))
    par_bailleur = (
        menages.order_by().values("bailleur__nom").annotate(n=Count("pk")).order_by("bailleur__nom")
    )
    return {
        "total": menages.count(),
        "par_etat": _par_etat(nombres_par_etat(menages)),
        "par_bailleur": [(row["bailleur__nom"] or "Sans bailleur", row["n"]) for row in par_bailleur],
    }


# A landlord's or an administrator's dashboard looks at the most recently active files only.
MAX_SUIVIS = 300


COLONNES_SUIVI = ("pk", "nom", "etat", "dernier_contact", "rythme_actuel", "debut_accompagnement")


def _colonnes_vides():
    """The columns of the households' lines that the count by step leaves empty, with their types."""
    return [
        ("pk", BigIntegerField()),
        ("nom", CharField()),
        ("dernier_contact", DateTimeField()),
        ("rythme_actuel", CharField()),
        ("debut_accompagnement", DateField()),
        ("modifie_le", DateTimeField()),
    ]


def mes_menages(user, limit=10):
    """The households the user follows (all visible ones for landlord staff and administrators),
    late ones first: late means the last contact is older than the household's rythme allows."""

    menages = Menage.objects.visible_to(user)

    def en_cours(suivis):
        # The most recently modified ones come from the index on modifie_le, without sorting
        # every visible household; only the values shown or needed for lateness are read.
        return (
            annoter_suivi(suivis)
            .en_cours()
            .order_by("-modifie_le")
            .annotate(nombre=Cast(None, BigIntegerField()))
            .values_list(*COLONNES_SUIVI, "modifie_le", "nombre")[:MAX_SUIVIS]
        )

    # One query (UNION ALL) for the households she follows in progress and the number of visible
    # households at each step (`nombre` set).
    suivis = menages.followed_by(user)
    par_etat = (
        menages.order_by()
        .values("etat")
        .annotate(
            nombre=Count("pk"),
            **{f"{nom}_": Cast(None, champ) for nom, champ in _colonnes_vides()},
        )
        .values_list("pk_", "nom_", "etat", "dernier_contact_", "rythme_actuel_", "debut_accompagnement_", "modifie_le_", "nombre")
    )  # fmt: skip
    rows, counts = [], dict.fromkeys(EtatParcours.values, 0)
    for *row, nombre in en_cours(suivis).union(par_etat, all=True).order_by():
        if nombre is None:
            rows.append(row)
        elif row[2] in counts:
            counts[row[2]] = nombre
    if not rows:
        # Someone who follows no household personally (landlord staff, administrators) sees all
        # the visible ones in progress; one whose followed households are all closed sees none.
        # Whether she follows any does not depend on the row: PostgreSQL evaluates it once.
        rows = [row for *row, _ in en_cours(menages.filter(~Exists(suivis)))]
    today = timezone.localdate()
    # Late ones first, then by name; among equal names, the most recently modified first.
    lignes = sorted(
        ((en_retard(rythme, dernier, debut, le=today), nom, pk, etat, dernier, modifie) for pk, nom, etat, dernier, rythme, debut, modifie in rows),
        key=lambda ligne: (not ligne[0], ligne[1], -ligne[5].timestamp()),
    )  # fmt: skip
    # Households only for the lines shown: sorting a few hundred needs no model instances.
    suivis = []
    for retard, nom, pk, etat, dernier, _ in lignes[:limit]:
        menage = Menage(pk=pk, nom=nom, etat=etat)
        menage.dernier_contact, menage.en_retard = dernier, retard
        suivis.append(menage)
    return {
        "total": sum(counts.values()),
        "par_etat": _par_etat(counts),
        "en_retard": sum(1 for ligne in lignes if ligne[0]),
        "suivis": suivis,
        "nombre_suivis": len(lignes),
    }


def chiffres_administration(user, nombre_menages: int | None = None):
    """An administrator's counts: the organisations and users she administers (those of her
    organisation's programmes), the households of the current programme. `nombre_menages`, when
    the caller has already counted the households visible to `user`, saves counting them again."""
    organisations = organisations_administrees(user).aggregate(
        organisations=Count("pk"), bailleurs=Count("pk", filter=Q(type=TypeOrganisation.BAILLEUR))
    )
    return {
        **organisations,
        "utilisateurs": utilisateurs_administrables(user).filter(is_active=True).count(),
        "menages": Menage.objects.visible_to(user).count() if nombre_menages is None else nombre_menages,
    }
