from django.apps import AppConfig


class AccompagnementConfig(AppConfig):
    name = "accompagnement"
    verbose_name = "Accompagnement"

    def ready(self):
        from accompagnement import permissions  # noqa: F401  (registers the permission rules)
        from accompagnement.partie_dossier import PARTIE
        from menages.parties import enregistrer

        enregistrer(PARTIE)  # its part of the household file, timeline, export and retention
