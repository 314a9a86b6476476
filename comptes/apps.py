from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "comptes"
    verbose_name = "Organisations, comptes et accès"

    def ready(self):
        from comptes import audit, checks, permissions, signals  # noqa: F401  (registers them)

        audit.register_app_models()
