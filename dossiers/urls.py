from django.urls import path

from dossiers import views, views_import

app_name = "dossiers"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/chronologie/", views.chronologie, name="chronologie"),
    path("<int:pk>/export/", views.export, name="export"),
    path("droit-acces/", views.acces_a_relire, name="acces_a_relire"),
    path("droit-acces/<int:pk>/", views.acces_relire, name="acces_relire"),
    path("droit-acces/<int:pk>/pdf/", views.acces_pdf, name="acces_pdf"),
    path("import/", views_import.importer, name="importer"),
    path("import/<int:pk>/confirmer/", views_import.confirmer, name="importer_confirmer"),
    path("import/<int:pk>/abandonner/", views_import.abandonner, name="importer_abandonner"),
    path("import/modele.xlsx", views_import.modele, {"format": "xlsx"}, name="importer_modele"),
    path("import/modele-csv.zip", views_import.modele, {"format": "zip"}, name="importer_modele_csv"),
]
