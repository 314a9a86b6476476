from django.urls import path

from dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/chronologie/", views.chronologie, name="chronologie"),
    path("<int:pk>/export/", views.export, name="export"),
    path("droit-acces/", views.acces_a_relire, name="acces_a_relire"),
    path("droit-acces/<int:pk>/", views.acces_relire, name="acces_relire"),
    path("droit-acces/<int:pk>/pdf/", views.acces_pdf, name="acces_pdf"),
]
