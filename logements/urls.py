from django.urls import path

from logements import views

app_name = "logements"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/mobiliser/", views.mobiliser, name="mobiliser"),
    path("importer/", views.importer_choix, name="importer_choix"),
    path("importer/modele.csv", views.modele, name="modele"),
    path("importer/<int:bailleur_pk>/", views.importer, name="importer"),
    path("mobilisations/", views.mobilisations, name="mobilisations"),
    path("menages/<int:pk>/rapprochement/", views.rapprochement, name="rapprochement"),
    path(
        "menages/<int:pk>/proposer/<int:logement_pk>/",
        views.attribution_nouvelle,
        name="attribution_nouvelle",
    ),
    path("attributions/", views.attributions, name="attributions"),
    path("attributions/<int:pk>/", views.attribution, name="attribution"),
    path("menages/<int:pk>/glissement-iml/", views.glissement_iml, name="glissement_iml"),
    path("locataires/signalement/", views.signalement, name="signalement"),
    path(
        "locataires/signalement/<int:logement_pk>/", views.signalement_logement, name="signalement_logement"
    ),
    path(
        "locataires/signalement/<int:logement_pk>/transmis/",
        views.signalement_transmis,
        name="signalement_transmis",
    ),
    path(
        "locataires/reclamations/<int:pk>/prise-en-charge/",
        views.reclamation_prendre_en_charge,
        name="reclamation_prendre_en_charge",
    ),
    path("locataires/<str:nature>/<int:pk>/clore/", views.clore, name="clore"),
    path("locataires/plans/<int:pk>/statut/", views.plan_statut, name="plan_statut"),
    path("locataires/fsl/<int:pk>/decision/", views.fsl_decision, name="fsl_decision"),
    path("locataires/entrees/<str:nature>/<int:pk>/corriger/", views.corriger, name="corriger"),
    path("locataires/entrees/<str:nature>/<int:pk>/supprimer/", views.supprimer, name="supprimer"),
    path("locataires/<int:pk>/", views.dossier_locatif, name="dossier_locatif"),
    path("locataires/<int:pk>/reclamation/", views.reclamation, name="reclamation"),
    path("locataires/<int:pk>/impaye/", views.solde, name="solde"),
    path("locataires/<int:pk>/<str:nature>/", views.entree, name="entree"),
]
