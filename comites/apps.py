from django.apps import AppConfig


class ComitesConfig(AppConfig):
    name = "comites"
    verbose_name = "Comités"

    def ready(self):
        from comites import permissions  # noqa: F401  (registers the permission rules)
