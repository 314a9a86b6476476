from django.apps import AppConfig


class FinancementConfig(AppConfig):
    name = "financement"
    verbose_name = "Financement"

    def ready(self):
        from financement import permissions  # noqa: F401  (registers the permission rules)
