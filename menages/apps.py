from django.apps import AppConfig


class MenagesConfig(AppConfig):
    name = "menages"
    verbose_name = "Ménages et parcours"
