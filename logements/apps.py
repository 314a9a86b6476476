from django.apps import AppConfig


class LogementsConfig(AppConfig):
    name = "logements"
    verbose_name = "Logements"
