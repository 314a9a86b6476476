from django.apps import AppConfig


class LogementsConfig(AppConfig):
    name = "logements"
    verbose_name = "Logements"

    def ready(self):
        from logements import impayes, permissions  # noqa: F401  (registers the permission rules)

        impayes.connecter()
