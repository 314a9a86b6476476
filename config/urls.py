from django.contrib import admin
from django.urls import include, path

from accueil import views as accueil_views
from comptes import views as comptes_views

urlpatterns = [
    path("", accueil_views.tableau_de_bord, name="tableau_de_bord"),
    path("sante/", comptes_views.sante, name="sante"),
    path("plancher/", accueil_views.plancher, name="plancher"),
    path("agenda/", include("accueil.urls")),
    path("comptes/", include("comptes.urls")),
    path("administration/", include("comptes.urls_administration")),
    path("logements/", include("logements.urls")),
    path("menages/", include("dossiers.urls")),
    path("menages/", include("menages.urls")),
    path("menages/", include("accompagnement.urls")),
    path("comites/", include("comites.urls")),
    path("notifications/", include("rappels.urls")),
    path("financement/", include("financement.urls")),
    path("admin/", admin.site.urls),
]
