from django.apps import AppConfig


class AccueilConfig(AppConfig):
    name = "accueil"
    verbose_name = "Accueil et tableaux de bord"

    def ready(self):
        from auditlog.registry import auditlog

        from accueil.models import JetonCalendrier

        auditlog.register(JetonCalendrier, exclude_fields=["empreinte"])
