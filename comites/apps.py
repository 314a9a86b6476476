from django.apps import AppConfig


class ComitesConfig(AppConfig):
    name = "comites"
    verbose_name = "Comités"

    def ready(self):
        from comites import permissions  # noqa: F401  (registers the permission rules)
        from comites.partie_dossier import PARTIE
        from menages.parties import enregistrer

        enregistrer(PARTIE)  # its part of the household file, timeline, export and retention
