from django.urls import path

from menages import views

app_name = "menages"
urlpatterns = [
    path("nouveau/", views.creer, name="creer"),
    path("referents/", views.referents, name="referents"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
    path("<int:pk>/composition/", views.composition, name="composition"),
    path("<int:pk>/budget/", views.budget, name="budget"),
    path("<int:pk>/etape/", views.transition, name="transition"),
    path("<int:pk>/pre-diagnostic/", views.pre_diagnostic, name="pre_diagnostic"),
    path("<int:pk>/pre-diagnostic/<int:pre_pk>/", views.pre_diagnostic, name="pre_diagnostic_modifier"),
    path("<int:pk>/validations/demander/", views.demander_validations, name="demander_validations"),
    path("<int:pk>/validations/saisir/", views.reponse_manuelle, name="reponse_manuelle"),
    path("<int:pk>/diagnostic/", views.diagnostic, name="diagnostic"),
    path("<int:pk>/journal/", views.journal, name="journal"),
    path("<int:pk>/consentements/", views.consentements, name="consentements"),
    path(
        "<int:pk>/consentements/<int:consentement_pk>/retirer/",
        views.consentement_retirer,
        name="consentement_retirer",
    ),
    path("validation/<str:token>/", views.validation_publique, name="validation_publique"),
]
