from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "comptes"
    verbose_name = "Organisations, comptes et accès"

    def ready(self):
        from comptes import audit, checks, permissions, signals  # noqa: F401  (registers them)

        audit.register_app_models()

        from django.db.models.signals import pre_save

        from comptes.confidentialite import refuser_enregistrement_masque

        pre_save.connect(refuser_enregistrement_masque, dispatch_uid="confidentiel_masque")
