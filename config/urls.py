from django.contrib import admin
from django.urls import include, path

from comptes import views as comptes_views

urlpatterns = [
    path("", comptes_views.tableau_de_bord, name="tableau_de_bord"),
    path("sante/", comptes_views.sante, name="sante"),
    path("comptes/", include("comptes.urls")),
    path("logements/", include("logements.urls")),
    path("menages/", include("menages.urls")),
    path("admin/", admin.site.urls),
]
