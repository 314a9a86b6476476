from django.apps import AppConfig


class MenagesConfig(AppConfig):
    name = "menages"
    verbose_name = "Ménages et parcours"

    def ready(self):
        from menages import effectifs, permissions  # noqa: F401  (registers the rules and receivers)
        from menages.partie_dossier import PARTIE
        from menages.parties import enregistrer

        enregistrer(PARTIE)  # its part of the household file, timeline, export and retention
