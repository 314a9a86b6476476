from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "comptes"
    verbose_name = "Organisations, comptes et accès"

    def ready(self):
        from comptes import audit

        audit.register_app_models()
