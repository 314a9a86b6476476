from django.urls import path

from menages import views

app_name = "menages"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/journal/", views.journal, name="journal"),
]
