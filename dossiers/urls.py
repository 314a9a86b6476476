from django.urls import path

from dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/chronologie/", views.chronologie, name="chronologie"),
    path("<int:pk>/export/", views.export, name="export"),
]
