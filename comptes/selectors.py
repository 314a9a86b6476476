"""Reads on programmes, organisations and users shared by the domain apps."""

from django.db.models import Exists, OuterRef, Q

from comptes.memo import en_requete, memoriser
from comptes.models import Dispositif, Invitation, Organisation, Utilisateur


def dispositifs_de(user):
    """The active programmes the user works on now (`dispositifs_courants`), administrators as
    anyone: a programme administrator works in her organisation's programmes, one at a time."""
    return Dispositif.objects.filter(pk__in=dispositifs_courants(user), actif=True)


# The session key of the programme a user works in now (chosen in the header), and the value the
# middleware gives `user.dispositif_courant_id` when none was chosen: the default programme.
DISPOSITIF_COURANT_SESSION_KEY = "dispositif_courant"
DISPOSITIF_PAR_DEFAUT = 0


def dispositifs_courants(user):
    """The programmes whose records `user` works on now, as a queryset of programmes meant to be
    used in a filter (`dispositif__in=…`): a subquery, no query of its own. Every `visible_to` goes
    through it, administrators' too, so that a programme is isolated in one place. A user without
    organisation (the technical staff's superuser) works in none: no business record.

    During a request (`comptes.middleware.DispositifCourantMiddleware` sets
    `user.dispositif_courant_id`): the current programme only, the one chosen in the header among
    those of the user's organisation, or by default the first of them (active first, by name).
    Elsewhere (reminders, emails, commands): every programme the organisation takes part in."""
    if user.organisation_id is None:
        return Dispositif.objects.none()
    courant = getattr(user, "dispositif_courant_id", None)
    if courant is None or not en_requete():
        return _dispositifs_courants(user.organisation_id, courant)
    # During a request, the programme's id is read once (a query of one row) and every access
    # rule of the page filters on it as a value: as a nested subquery, PostgreSQL planned it again
    # in each of the page's queries (1.5-3 ms of planning each, against under 1 ms with the id).
    return memoriser(
        ("dispositifs_courants", user.organisation_id, courant),
        lambda: list(_dispositifs_courants(user.organisation_id, courant).values_list("pk", flat=True)),
    )


def _dispositifs_courants(organisation_id, courant):
    siens = Dispositif.objects.filter(organisations=organisation_id)
    if courant is None:
        return siens
    if courant == DISPOSITIF_PAR_DEFAUT:
        return siens.filter(pk__in=siens.order_by("-actif", "nom", "pk").values("pk")[:1])
    return siens.filter(pk=courant)


def dans_le_dispositif_courant(user, champ="dispositif"):
    """A filter keeping, among records tied to a programme through `champ`, those of the current
    programme (`dispositifs_courants`) when the programme is one of the user's organisation, and
    those of programmes the organisation takes no part in (a committee member sitting in person, a
    funder funding a programme it is not a partner of): a choice among one's own programmes does
    not hide what one reaches by another right."""
    if user.organisation_id is None:
        return Q()
    siens = Dispositif.objects.filter(organisations=user.organisation_id)
    return Q(**{f"{champ}__in": dispositifs_courants(user)}) | ~Q(**{f"{champ}__in": siens})


# The session key of the header's list of the user's programmes, kept at login so that pages pay no
# query for it (the programmes' access is checked in the database by `dispositifs_courants`).
DISPOSITIFS_SESSION_KEY = "dispositifs"


def programmes_de(user) -> list[dict]:
    """The programmes of the user's organisation for the header, active first, by name (one
    query), administrators as anyone."""
    if user.organisation_id is None:
        return []
    return list(
        Dispositif.objects.filter(organisations=user.organisation_id)
        .order_by("-actif", "nom", "pk")
        .values("pk", "nom", "territoire", "actif")
    )


def memoriser_programmes(session, user) -> list[dict]:
    session[DISPOSITIFS_SESSION_KEY] = programmes = programmes_de(user)
    return programmes


def rechercher_utilisateurs(queryset, texte):
    """Users of `queryset` whose first name, last name or login contains every word of `texte`
    (case ignored), by name. For the autocompletes choosing a professional."""
    for mot in texte.split()[:5]:
        queryset = queryset.filter(
            Q(first_name__icontains=mot) | Q(last_name__icontains=mot) | Q(username__icontains=mot)
        )
    return queryset.order_by("last_name", "first_name", "pk")


def dispositifs_administres(user):
    """The programmes whose people `user` manages: those her organisation takes part in, for a
    programme administrator; all of them for a superuser (the technical staff)."""
    if not (user.is_authenticated and user.est_administrateur):
        return Dispositif.objects.none()
    if user.is_superuser:
        return Dispositif.objects.all()
    if user.organisation_id is None:
        return Dispositif.objects.none()
    return Dispositif.objects.filter(organisations=user.organisation_id)


def organisations_administrees(user):
    """The organisations taking part in a programme `user` administers."""
    if user.is_authenticated and user.is_superuser and user.is_active:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=Organisation.dispositifs.through.objects.filter(
            dispositif__in=dispositifs_administres(user)
        ).values("organisation_id")
    )


def utilisateurs_administrables(user):
    """The users `user` may manage on the administration pages: those of the organisations of her
    programmes (every user for a superuser). Anything else is a 404 on those pages."""
    if user.is_authenticated and user.is_superuser and user.is_active:
        return Utilisateur.objects.all()
    return Utilisateur.objects.filter(organisation__in=organisations_administrees(user))


def liste_utilisateurs(user):
    """The users list of the administration pages, in a constant number of queries whatever the
    number of users: organisation joined, roles prefetched, pending invitation and second factor
    annotated."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return (
        utilisateurs_administrables(user)
        .select_related("organisation")
        .prefetch_related("attributions_roles")
        .annotate(
            invitation_en_attente=Exists(Invitation.objects.en_attente().filter(utilisateur=OuterRef("pk"))),
            double_authentification_active=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
        )
        .order_by("last_name", "first_name", "pk")
    )
