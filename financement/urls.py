from django.urls import path

from financement import views

app_name = "financement"
urlpatterns = [
    path("", views.index, name="index"),
    path("dispositifs/<int:pk>/convention/", views.convention, name="convention"),
    path("conventions/", views.conventions, name="conventions"),
    path("dispositifs/<int:pk>/convention/modifier/", views.convention_modifier, name="convention_modifier"),
    path("dispositifs/<int:pk>/plan-de-financement/", views.plan_financement, name="plan_financement"),
    path("dispositifs/<int:pk>/lignes/nouvelle/", views.ligne_creer, name="ligne_creer"),
    path("lignes/<int:pk>/", views.ligne_modifier, name="ligne_modifier"),
    path("dispositifs/<int:pk>/indicateurs/", views.tableau, name="tableau"),
    path("dispositifs/<int:pk>/indicateurs/actualiser/", views.actualiser, name="actualiser"),
    path("dispositifs/<int:pk>/indicateurs.<str:format>", views.export, name="export"),
    path("consolide/", views.consolide, name="consolide"),
    path("consolide.<str:format>", views.consolide_export, name="consolide_export"),
    path("rapports/", views.rapports, name="rapports"),
    path("rapports/<int:pk>/statut/", views.rapport_statut, name="rapport_statut"),
    path("rapports/<int:pk>/commentaire/", views.rapport_commentaire, name="rapport_commentaire"),
    path("rapports/<int:pk>/pdf/", views.rapport_telecharger, name="rapport_telecharger"),
]
