from django.apps import AppConfig


class RappelsConfig(AppConfig):
    name = "rappels"
    verbose_name = "Rappels et notifications"

    def ready(self):
        from menages.parties import enregistrer
        from rappels import notifications
        from rappels.partie_dossier import PARTIE

        enregistrer(PARTIE)  # its part of the household file, timeline, export and retention
        notifications.connecter()  # the tenant file's events become notifications
