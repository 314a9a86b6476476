from django.urls import path

from accompagnement import views

app_name = "accompagnement"
urlpatterns = [
    path("<int:pk>/accompagnement/demarrer/", views.demarrer, name="demarrer"),
    path("<int:pk>/accompagnement/niveau/", views.niveau, name="niveau"),
    path("<int:pk>/accompagnement/rythme/", views.rythme, name="rythme"),
    path("<int:pk>/accompagnement/cloture/", views.cloture, name="cloture"),
    path("sw-terrain.js", views.service_worker, name="service_worker"),
    path("<int:pk>/contacts/", views.contacts, name="contacts"),
    path("<int:pk>/contacts/nouveau/", views.contact, name="contact"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.contact, name="contact_modifier"),
    path("<int:pk>/objectifs/nouveau/", views.objectif, name="objectif"),
    path("<int:pk>/objectifs/<int:objectif_pk>/", views.objectif, name="objectif_modifier"),
    path("<int:pk>/orientations/nouvelle/", views.orientation, name="orientation"),
    path("<int:pk>/orientations/<int:obj_pk>/", views.orientation, name="orientation_modifier"),
    path("<int:pk>/temps-forts/nouveau/", views.temps_fort, name="temps_fort"),
    path("<int:pk>/temps-forts/<int:obj_pk>/", views.temps_fort, name="temps_fort_modifier"),
    path("<int:pk>/apres-sortie/", views.suivi_post_sortie, name="suivi_post_sortie"),
    path("<int:pk>/documents/nouveau/", views.document_deposer, name="document_deposer"),
    path("<int:pk>/documents/<int:doc_pk>/", views.document, name="document"),
    path("<int:pk>/documents/<int:doc_pk>/supprimer/", views.document_supprimer, name="document_supprimer"),
    path("<int:pk>/documents/<int:doc_pk>/remplacer/", views.document_remplacer, name="document_remplacer"),
    path("<int:pk>/intervenants/nouveau/", views.intervenant, name="intervenant"),
    path(
        "<int:pk>/intervenants/professionnels/",
        views.intervenant_professionnels,
        name="intervenant_professionnels",
    ),
    path(
        "<int:pk>/intervenants/<int:intervenant_pk>/fin/",
        views.intervenant_terminer,
        name="intervenant_terminer",
    ),
]
