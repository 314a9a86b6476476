"""Who may do what in the committees. Which sessions and items: Seance.objects.visible_to and
PointOrdreDuJour.objects.visible_to (membership of the body, or the household's file).

The object-level rules are django-rules predicates, `can_<verb>_<object>(user, obj)`.
Administrators run and chair every session; otherwise a member's role in the body decides
(MembreInstance, active today). Rules that also depend on the state of the session or the item are
called directly, not through `user.has_perm`, which grants everything to a superuser whatever the
state."""

import rules

from accompagnement.permissions import can_propose_level
from comites.enums import ROLES_ANIMATION, RoleMembre
from comptes.memo import connu, en_requete, memoriser
from comptes.permissions import is_administrateur, is_membre_comite
from menages.enums import ETATS_ACCOMPAGNEMENT, EtatParcours
from menages.permissions import is_travailleur_social


def mandat(user, instance):
    """The user's active membership of the body `instance`, or None. Read once per request
    (`comptes.memo`): an item's page asks it for the opinion form, the decision form and the rules
    of both."""
    return memoriser(("mandat", user.pk, instance.pk), lambda: mandat_actuel(user, instance))


def lire_mandat(user, instance, lot) -> None:
    """Have `mandat(user, instance)` read with the page's other records (`lot`, a
    `comptes.lecture.Lot`, read before the mandate is first asked), unless this request has it."""
    from comites.models import MembreInstance

    cle = ("mandat", user.pk, instance.pk)
    if not en_requete() or connu(cle):
        return  # outside a request nothing is kept: `mandat` reads it when asked
    lignes = lot.requete(
        MembreInstance.objects.actifs().filter(instance=instance, utilisateur=user).order_by("pk")[:1]
    )
    lot.ensuite(lambda: memoriser(cle, lambda: lignes[0] if lignes else None))


def mandat_actuel(user, instance):
    """The user's active membership of the body `instance`, or None, read now (services that
    write)."""
    from comites.models import MembreInstance

    # One membership at most per body and user: ordered by pk, not by the model's ordering (which
    # joins the body and the user for nothing).
    return MembreInstance.objects.actifs().filter(instance=instance, utilisateur=user).order_by("pk").first()


def roles_de_mandat(user) -> frozenset:
    """The roles (`RoleMembre`) of the user's active memberships of bodies, of any programme. Read
    once per request (`comptes.memo`): the menu, the committee pages' access rule and the dashboard
    all ask it."""
    from comites.models import MembreInstance

    if not user.is_authenticated:
        return frozenset()
    return memoriser(
        ("roles_de_mandat", user.pk),
        lambda: frozenset(
            MembreInstance.objects.actifs().filter(utilisateur=user).values_list("role", flat=True)
        ),
    )


@rules.predicate
def a_un_mandat(user):
    """Sits on a body (comité de suivi, follow-up meetings, working group) of a programme."""
    return bool(roles_de_mandat(user))


@rules.predicate
def anime_la_seance(user, seance):
    """Chair or secretary of the session's body."""
    m = mandat(user, seance.instance)
    return m is not None and m.role in ROLES_ANIMATION


@rules.predicate
def preside_la_seance(user, seance):
    m = mandat(user, seance.instance)
    return m is not None and m.role == RoleMembre.PRESIDENT


@rules.predicate
def seance_ouverte(user, seance):
    return not seance.close


@rules.predicate
def point_a_decider(user, point):
    return not point.est_decide


@rules.predicate
def seance_du_point_ouverte(user, point):
    return not point.seance.close


@rules.predicate
def vote_sur_le_point(user, point):
    """A voting member of the body examining the item."""
    m = mandat(user, point.seance.instance)
    return m is not None and m.voix_deliberative


@rules.predicate
def preside_la_seance_du_point(user, point):
    return preside_la_seance(user, point.seance)


# Running a session: building and ordering its agenda, attendance, convocation, closing it.
can_run_seance = is_administrateur | anime_la_seance
# What the session's page offers to change: only while the session is open.
can_change_seance = seance_ouverte & can_run_seance
# Deciding: the chair records the committee's decisions.
can_chair_seance = is_administrateur | preside_la_seance
# A voting member gives an opinion, which may change until the item is decided or the session
# closed (the cheap checks first: no query for a decided item).
can_give_avis = point_a_decider & seance_du_point_ouverte & vote_sur_le_point
can_decide_point = point_a_decider & (is_administrateur | preside_la_seance_du_point)

# Which sessions: Seance.objects.visible_to (membership). This only opens the section.
rules.add_perm("comites.voir", is_membre_comite | is_administrateur | a_un_mandat)
rules.add_perm("comites.demander", is_travailleur_social | is_administrateur)
rules.add_perm("comites.animer_seance", can_run_seance)


def can_ask_committee(user, menage) -> bool:
    """A referent asks the committee for a decision (level change, renewal, IML, exit) while the
    household is in support: an administrator, or a social worker of the household's referent
    organisation (an HDM worker does not ask for the level of an ADAFF household)."""
    if not (user.has_perm("comites.demander") and menage.etat in ETATS_ACCOMPAGNEMENT):
        return False
    return user.est_administrateur or can_propose_level(user, menage)


def can_write_summary(user, point) -> bool:
    """The referent writes the case summary of an item for the committee until the session is held
    and the item decided: an administrator, or a social worker of the household's referent
    organisation (the same people who ask the committee), for a household proposed or in support."""
    if point.seance.close or point.est_decide:
        return False
    return can_write_summary_for(user, point.menage)


def can_write_summary_for(user, menage) -> bool:
    """The part of `can_write_summary` that depends on the household only: the household file
    asks it before reading the household's open item."""
    if menage.etat not in ETATS_ACCOMPAGNEMENT | {EtatParcours.PROPOSITION_COMITE}:
        return False
    return user.is_authenticated and (user.est_administrateur or can_propose_level(user, menage))


# A body's settings (rhythm, quorum, usual place): the programme's administrators.
rules.add_perm("comites.parametrer_instance", is_administrateur)
