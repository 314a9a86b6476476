from django.urls import path

from comites import views, views_consultation

app_name = "comites"
urlpatterns = [
    path("", views.seances, name="seances"),
    path("instances/", views.instances, name="instances"),
    path("instances/<int:instance_pk>/parametres/", views.instance_parametrer, name="instance_parametrer"),
    path("instances/<int:instance_pk>/nouvelle-seance/", views.seance_creer, name="seance_creer"),
    path("instances/<int:instance_pk>/proposer/", views.proposer, name="proposer"),
    path("seances/<int:pk>/", views.seance, name="seance"),
    path("seances/<int:pk>/points/nouveau/", views.point_ajouter, name="point_ajouter"),
    path("seances/<int:pk>/pv/", views.pv, name="pv"),
    path("seances/<int:pk>/ordre-du-jour.pdf", views.ordre_du_jour, name="ordre_du_jour"),
    path("seances/<int:pk>/pv/statut/", views.pv_statut, name="pv_statut"),
    path("seances/<int:pk>/deplacer/", views.seance_deplacer, name="seance_deplacer"),
    path("seances/<int:pk>/clore/", views.seance_clore, name="seance_clore"),
    path("seances/<int:pk>/non-tenue/", views.seance_sans_seance, name="seance_sans_seance"),
    path("seances/<int:pk>/<str:action>/", views.seance_action, name="seance_action"),
    path("points/<int:pk>/", views.point, name="point"),
    path("points/<int:pk>/deplacer/", views.point_deplacer, name="point_deplacer"),
    path("points/<int:pk>/decider/", views.point_decider, name="point_decider"),
    path("points/<int:pk>/synthese/", views.point_synthese, name="point_synthese"),
    path("demande/<int:menage_pk>/", views.demande, name="demande"),
    path("renvoi-diagnostic/<int:menage_pk>/", views.renvoi_diagnostic, name="renvoi_diagnostic"),
]

# The urgent consultation between sessions (comites.consultation).
urlpatterns += [
    path("consultations/<int:pk>/consulter/", views_consultation.consulter, name="consulter"),
    path("avis/<str:token>/", views_consultation.avis_par_lien, name="avis_par_lien"),
]
