"""Reads on programmes, organisations and users shared by the domain apps."""

from django.db.models import Exists, OuterRef, Q

from comptes.models import Dispositif, Invitation, Organisation, Utilisateur


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
