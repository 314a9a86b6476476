from django.apps import AppConfig


class MenagesConfig(AppConfig):
    name = "menages"
    verbose_name = "Ménages et parcours"

    def ready(self):
        from menages import permissions  # noqa: F401  (registers the permission rules)
