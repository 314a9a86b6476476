from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Dossiers des ménages"

    def ready(self):
        from dossiers import permissions  # noqa: F401  (registers the permission rules)
        from dossiers.partie_dossier import PARTIE
        from menages.parties import enregistrer

        enregistrer(PARTIE)
