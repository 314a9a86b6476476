"""The administration pages in the app (/administration/). Each section of the hub adds its pages
here or in its own app's urls."""

from django.urls import path

from comptes import views_administration as views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("utilisateurs/", views.utilisateurs, name="utilisateurs"),
    path("utilisateurs/inviter/", views.inviter, name="inviter"),
    path("utilisateurs/<int:pk>/", views.utilisateur, name="utilisateur"),
    path("utilisateurs/<int:pk>/modifier/", views.modifier, name="modifier"),
    path("utilisateurs/<int:pk>/<slug:action>/", views.action, name="action"),
]
