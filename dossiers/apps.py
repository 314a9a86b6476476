from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = "Dossiers des ménages"

    def ready(self):
        from auditlog.registry import auditlog

        from dossiers import permissions  # noqa: F401  (registers the permission rules)
        from dossiers.models import ImportMenages
        from dossiers.partie_dossier import PARTIE
        from menages.parties import enregistrer

        enregistrer(PARTIE)
        # The file's content waits for the confirmation, then is emptied: the trail keeps who
        # imported which file (its name and fingerprint) and what it created, not its rows.
        auditlog.unregister(ImportMenages)
        auditlog.register(ImportMenages, exclude_fields=["contenu"])
