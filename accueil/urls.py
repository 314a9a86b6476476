from django.urls import path

from accueil import views

app_name = "accueil"

urlpatterns = [
    path("", views.agenda, name="agenda"),
    path("calendrier/", views.calendrier, name="calendrier"),
    path("calendrier/revoquer/", views.calendrier_revoquer, name="calendrier_revoquer"),
    path("flux/<str:token>.ics", views.flux, name="flux"),
]
