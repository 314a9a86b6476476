"""The administration pages in the app, for the programme administrator: the hub, and the users of
her programmes (invitation, roles and organisation, deactivation, second factor). The Django admin
is for the technical staff."""

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from comptes import services
from comptes.access import require_perm
from comptes.confidentialite import lignes_journal
from comptes.filters import UtilisateurFilter
from comptes.forms import UtilisateurForm
from comptes.middleware import two_factor_not_required
from comptes.models import Invitation, Organisation, Utilisateur
from comptes.selectors import liste_utilisateurs, utilisateurs_administrables

PAR_PAGE = 50


def _utilisateur(request, pk):
    """A user the administrator manages: 403 without the permission, 404 outside her programmes."""
    require_perm(request.user, "comptes.administrer_utilisateurs")
    return get_object_or_404(
        utilisateurs_administrables(request.user)
        .select_related("organisation")
        .prefetch_related("attributions_roles"),
        pk=pk,
    )


def _erreur(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for champ, erreurs in exc.error_dict.items():
            for erreur in erreurs:
                form.add_error(champ if champ in form.fields else None, erreur)
    else:
        form.add_error(None, exc)


@never_cache
def index(request):
    require_perm(request.user, "comptes.acceder_administration")
    return render(request, "comptes/administration/index.html")


@never_cache
def utilisateurs(request):
    require_perm(request.user, "comptes.administrer_utilisateurs")
    filtre = UtilisateurFilter(
        request.GET or None, queryset=liste_utilisateurs(request.user), administrateur=request.user
    )
    page = Paginator(filtre.qs, PAR_PAGE).get_page(request.GET.get("page"))
    template = (
        "comptes/administration/utilisateurs.html#resultats"
        if request.headers.get("HX-Request")
        else "comptes/administration/utilisateurs.html"
    )
    return render(
        request,
        template,
        {
            "filtre": filtre,
            "filtre_actif": any(value for key, value in request.GET.items() if key != "page"),
            "page": page,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def inviter(request):
    require_perm(request.user, "comptes.administrer_utilisateurs")
    form = UtilisateurForm(request.POST or None, administrateur=request.user)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            utilisateur = services.inviter_utilisateur(
                auteur=request.user,
                prenom=donnees["prenom"],
                nom=donnees["nom"],
                email=donnees["email"],
                organisation=donnees["organisation"],
                roles=donnees["roles"],
            )
        except OSError:
            form.add_error(
                None,
                "Le courriel d’invitation n’a pas pu être envoyé (serveur de messagerie indisponible) : "
                "le compte n’a pas été créé. Réessayez dans quelques minutes.",
            )
        else:
            messages.success(
                request,
                f"Invitation envoyée à {utilisateur.email}. Le lien est valable "
                f"{services.INVITATION_VALIDITE_HEURES} heures et ne sert qu’une fois.",
            )
            return redirect("administration:utilisateur", pk=utilisateur.pk)
    return render(
        request,
        "comptes/administration/utilisateur_form.html",
        {"form": form, "utilisateur": None, "validite_heures": services.INVITATION_VALIDITE_HEURES},
    )


@never_cache
def utilisateur(request, pk):
    cible = _utilisateur(request, pk)
    types = ContentType.objects.get_for_models(Utilisateur, Invitation)
    invitations = [str(pk) for pk in cible.invitations.values_list("pk", flat=True)]
    historique = (
        LogEntry.objects.filter(
            Q(content_type=types[Utilisateur], object_pk=str(cible.pk))
            | Q(content_type=types[Invitation], object_pk__in=invitations)
        )
        .exclude(action=LogEntry.Action.ACCESS)
        .select_related("content_type", "actor")
        .order_by("-timestamp")[:20]
    )
    return render(
        request,
        "comptes/administration/utilisateur.html",
        {
            "cible": cible,
            "invitation": cible.invitations.en_attente().first(),
            "derniere_invitation": cible.invitations.first(),
            "double_authentification_active": services.has_totp_device(cible),
            "historique": _lisibles(lignes_journal(historique, request.user)),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def modifier(request, pk):
    cible = _utilisateur(request, pk)
    form = UtilisateurForm(request.POST or None, administrateur=request.user, utilisateur=cible)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            services.modifier_utilisateur(
                auteur=request.user,
                utilisateur=cible,
                prenom=donnees["prenom"],
                nom=donnees["nom"],
                email=donnees["email"],
                organisation=donnees["organisation"],
                roles=donnees["roles"],
            )
        except ValidationError as exc:
            _erreur(form, exc)
        else:
            messages.success(request, "Les informations du compte sont enregistrées.")
            return redirect("administration:utilisateur", pk=cible.pk)
    return render(
        request, "comptes/administration/utilisateur_form.html", {"form": form, "utilisateur": cible}
    )


def _lisibles(lignes):
    """The account's history as an administrator reads it: the organisation by its name rather
    than its id (one query for all the lines), « oui »/« non », « – » for an empty value."""
    libelle_organisation = str(Utilisateur._meta.get_field("organisation").verbose_name)
    ids = {
        valeur
        for ligne in lignes
        for libelle, *valeurs in ligne.modifications
        if libelle == libelle_organisation
        for valeur in valeurs
        if valeur and str(valeur).isdigit()
    }
    noms = {str(pk): str(o) for pk, o in Organisation.objects.in_bulk(ids).items()} if ids else {}

    def lisible(libelle, valeur):
        if valeur in (None, "", "None"):
            return "–"
        if valeur in ("True", "False"):
            return "oui" if valeur == "True" else "non"
        return noms.get(str(valeur), valeur) if libelle == libelle_organisation else valeur

    for ligne in lignes:
        ligne.modifications = [
            (libelle, lisible(libelle, avant), lisible(libelle, apres))
            for libelle, avant, apres in ligne.modifications
        ]
    return lignes


# The actions with a confirmation page: GET shows what will happen, POST does it.
ACTIONS = {
    "desactiver": {
        "titre": "Désactiver le compte",
        "bouton": "Confirmer la désactivation",
        "classe": "btn-danger",
        "service": services.desactiver_utilisateur,
        "succes": "Le compte est désactivé : ses sessions ouvertes sont fermées.",
    },
    "reactiver": {
        "titre": "Réactiver le compte",
        "bouton": "Confirmer la réactivation",
        "classe": "btn-primary",
        "service": services.reactiver_utilisateur,
        "succes": "Le compte est réactivé.",
    },
    "reinitialiser-double-authentification": {
        "titre": "Réinitialiser la double authentification",
        "bouton": "Confirmer la réinitialisation",
        "classe": "btn-danger",
        "service": services.reinitialiser_double_authentification,
        "succes": "La double authentification est réinitialisée : une nouvelle activation sera "
        "demandée à la prochaine connexion.",
    },
    "renvoyer-invitation": {
        "titre": "Renvoyer l’invitation",
        "bouton": "Envoyer une nouvelle invitation",
        "classe": "btn-primary",
        "service": services.renvoyer_invitation,
        "succes": f"Nouvelle invitation envoyée : le lien est valable {services.INVITATION_VALIDITE_HEURES} "
        "heures ; le lien précédent ne fonctionne plus.",
    },
}


@never_cache
@require_http_methods(["GET", "POST"])
def action(request, pk, action):
    cible = _utilisateur(request, pk)
    if action not in ACTIONS:
        raise Http404
    details = ACTIONS[action]
    erreur = None
    if request.method == "POST":
        try:
            details["service"](auteur=request.user, utilisateur=cible)
        except ValidationError as exc:
            erreur = " ".join(exc.messages)
        except OSError:
            erreur = (
                "Le courriel n’a pas pu être envoyé (serveur de messagerie indisponible). Réessayez dans "
                "quelques minutes."
            )
        else:
            messages.success(request, details["succes"])
            return redirect("administration:utilisateur", pk=cible.pk)
    return render(
        request,
        "comptes/administration/confirmer.html",
        {
            "cible": cible,
            "action": action,
            "details": details,
            "erreur": erreur,
            "validite_heures": services.INVITATION_VALIDITE_HEURES,
        },
        status=400 if erreur else 200,
    )


@login_not_required
@two_factor_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, jeton):
    """The page reached from the invitation email (no login). GET only shows the form (mail
    scanners open links); the password is set on POST and spends the link. The new user is then
    logged in and sent to the second factor's enrolment, and from there to her dashboard."""
    try:
        invitation = services.charger_invitation(jeton)
    except services.InvitationInvalide as exc:
        return render(request, "registration/invitation.html", {"erreur": str(exc)}, status=400)
    utilisateur = invitation.utilisateur
    form = SetPasswordForm(utilisateur, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            utilisateur = services.accepter_invitation(
                jeton=jeton, mot_de_passe=form.cleaned_data["new_password1"]
            )
        except services.InvitationInvalide as exc:
            return render(request, "registration/invitation.html", {"erreur": str(exc)}, status=400)
        login(request, utilisateur, backend="comptes.backends.DemoAwareModelBackend")
        messages.success(
            request,
            "Votre mot de passe est enregistré. Dernière étape : activez la double authentification.",
        )
        suivant = reverse("tableau_de_bord")
        return redirect(f"{reverse('double_authentification_activer')}?next={suivant}")
    return render(
        request,
        "registration/invitation.html",
        {"form": form, "utilisateur": utilisateur},
    )
