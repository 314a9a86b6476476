from django.contrib.auth import views as auth_views
from django.urls import path

from comptes import views, views_administration
from comptes.forms import ConnexionForm
from comptes.middleware import two_factor_not_required

urlpatterns = [
    path("dispositif/", views.changer_dispositif, name="changer_dispositif"),
    path("utilisateurs/<int:pk>/journal/", views.journal_utilisateur, name="journal_utilisateur"),
    path("invitation/<str:jeton>/", views_administration.invitation, name="invitation"),
    path(
        "administration/organisations/",
        views.administration_organisations,
        name="administration_organisations",
    ),
    path(
        "administration/organisations/nouvelle/",
        views.administration_organisation_creer,
        name="administration_organisation_creer",
    ),
    path(
        "administration/organisations/<int:pk>/",
        views.administration_organisation_modifier,
        name="administration_organisation_modifier",
    ),
    path("administration/dispositifs/", views.administration_dispositifs, name="administration_dispositifs"),
    path(
        "administration/dispositifs/<int:pk>/",
        views.administration_dispositif,
        name="administration_dispositif",
    ),
    path(
        "connexion/",
        auth_views.LoginView.as_view(authentication_form=ConnexionForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("deconnexion/", two_factor_not_required(views.Deconnexion.as_view()), name="logout"),
    path("double-authentification/", views.double_authentification, name="double_authentification"),
    path(
        "double-authentification/activer/",
        views.double_authentification_activer,
        name="double_authentification_activer",
    ),
    path(
        "double-authentification/verifier/",
        views.double_authentification_verifier,
        name="double_authentification_verifier",
    ),
    path(
        "double-authentification/codes-de-secours/",
        views.double_authentification_codes,
        name="double_authentification_codes",
    ),
    path(
        "double-authentification/nouveaux-codes/",
        views.double_authentification_nouveaux_codes,
        name="double_authentification_nouveaux_codes",
    ),
    path("mot-de-passe/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("mot-de-passe/oubli/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/reinitialiser/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/reinitialise/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
