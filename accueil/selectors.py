"""Reads for the home page of each role: the figures and lists the domain apps do not own."""

from django.db.models import Count, F, Q
from django.utils import timezone

from accompagnement.selectors import annoter_suivi, en_retard
from comptes.enums import Role, TypeOrganisation
from comptes.selectors import dispositifs_de, organisations_administrees, utilisateurs_administrables
from menages.enums import ETATS_TERMINES, EtatParcours
from menages.models import Intervenant, Menage
from menages.selectors import nombres_par_etat_visibles


def _par_etat(counts: dict[str, int]) -> list[tuple[str, int]]:
    """(label, count) for every step of the path, in the path's order, zeros included."""
    return [(etat.label, counts[etat.value]) for etat in EtatParcours]


def chiffres_dispositifs(user, dispositifs=None):
    """Aggregated figures of the programmes the user's organisation takes part in: no names. One
    query counts the households by step and landlord; the total and both breakdowns are summed
    from it. `dispositifs`: those programmes (`dispositifs_de`), if the caller has read them."""
    if dispositifs is None:
        dispositifs = dispositifs_de(user)
    lignes = (
        Menage.objects.filter(dispositif__in=dispositifs)
        .values_list("etat", "bailleur__nom")
        .annotate(n=Count("pk"))
        # Landlords in the database's order of their names (its collation), households without one
        # last (SQLite puts NULL first).
        .order_by(F("bailleur__nom").asc(nulls_last=True), "etat")
    )
    par_etat = dict.fromkeys(EtatParcours.values, 0)
    par_bailleur = {}
    for etat, bailleur, n in lignes:
        par_etat[etat] = par_etat.get(etat, 0) + n
        par_bailleur[bailleur] = par_bailleur.get(bailleur, 0) + n
    return {
        "total": sum(par_etat.values()),
        "par_etat": _par_etat(par_etat),
        "par_bailleur": [(nom or "Sans bailleur", n) for nom, n in par_bailleur.items()],
    }


# A landlord's or an administrator's dashboard looks at the most recently active files only.
MAX_SUIVIS = 300


def mes_menages(user, limit=10):
    """The households the user follows (all visible ones for landlord staff and administrators),
    late ones first: late means the last contact is older than the household's rythme allows."""

    def en_cours(suivis):
        # The most recently modified ones come from the index on modifie_le, without sorting
        # every visible household; only the values shown or needed for lateness are read.
        return list(
            annoter_suivi(suivis)
            .en_cours()
            .order_by("-modifie_le")
            .values_list("pk", "nom", "etat", "dernier_contact", "rythme_actuel", "debut_accompagnement")[
                :MAX_SUIVIS
            ]
        )

    menages = Menage.objects.visible_to(user)
    les_miens = menages.followed_by(user)
    # Whether she intervenes in person anywhere: social workers and TISF do by trade; anyone else
    # is asked from her own rows of the intervenants' index. For someone who does not (an
    # administrator, a landlord's allocation officer), looking for her households checked every
    # visible one, twice (4 ms at 10,000 households).
    intervient = (
        user.has_role(Role.TRAVAILLEUR_SOCIAL)
        or user.has_role(Role.TISF)
        or Intervenant.objects.actifs().filter(utilisateur=user).exists()
    )
    rows = en_cours(les_miens) if intervient else []
    # Someone who follows no household personally (landlord staff, administrators) sees all the
    # visible ones; one whose followed households are all closed sees none in progress.
    en_propre = bool(rows) or (intervient and les_miens.exists())
    if not en_propre:
        rows = en_cours(menages)
    today = timezone.localdate()
    lignes = sorted(
        ((en_retard(rythme, dernier, debut, le=today), nom, pk, etat, dernier) for pk, nom, etat, dernier, rythme, debut in rows),
        key=lambda ligne: (not ligne[0], ligne[1]),
    )  # fmt: skip
    # Households only for the lines shown: sorting a few hundred needs no model instances.
    suivis = []
    for retard, nom, pk, etat, dernier in lignes[:limit]:
        menage = Menage(pk=pk, nom=nom, etat=etat)
        menage.dernier_contact, menage.en_retard = dernier, retard
        suivis.append(menage)
    # Past MAX_SUIVIS households in progress, only the most recently modified were read, which the
    # page says: the late ones are among those read. The number in progress comes from the steps'
    # counts for all visible households; for those followed in person, it is « at least » the
    # number read (counting them all checked each of the landlord's households twice: +10 ms at
    # 10,000 households for a CESF who follows all her landlord's).
    partiel = len(rows) == MAX_SUIVIS
    counts = nombres_par_etat_visibles(user)  # one query for the total and the steps
    if not partiel:
        nombre_suivis = len(rows)
    elif en_propre:
        nombre_suivis = None
    else:
        nombre_suivis = sum(n for etat, n in counts.items() if etat not in ETATS_TERMINES)
    return {
        "total": sum(counts.values()),
        "par_etat": _par_etat(counts),
        "en_retard": sum(1 for ligne in lignes if ligne[0]),
        "suivis": suivis,
        "nombre_suivis": nombre_suivis,
        "en_propre": en_propre,
        # The late ones are counted among the `lus` most recently modified only.
        "partiel": partiel,
        "lus": len(rows),
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
