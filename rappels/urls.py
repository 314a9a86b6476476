from django.urls import path

from rappels import views

app_name = "rappels"
urlpatterns = [
    path("", views.centre, name="centre"),
    path("lues/", views.marquer_lu, name="tout_lu"),
    path("<int:pk>/lue/", views.marquer_lu, name="lu"),
    path("preferences/", views.preferences, name="preferences"),
    path("desinscription/<str:token>/", views.desinscription, name="desinscription"),
]
