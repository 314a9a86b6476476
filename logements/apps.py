from django.apps import AppConfig


class LogementsConfig(AppConfig):
    name = "logements"
    verbose_name = "Logements"

    def ready(self):
        from logements import baux, impayes, permissions  # noqa: F401  (registers the permission rules)

        impayes.connecter()
        baux.connecter()
        from logements.partie_dossier import PARTIE
        from menages.parties import enregistrer

        enregistrer(PARTIE)  # its part of the household file, timeline, export and retention
