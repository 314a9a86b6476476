from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data set and the scale and benchmark tooling: commands only, no model."""

    name = "demo"
    verbose_name = "Démonstration et mesures"
