from django.core.management.base import BaseCommand

from menages import retention


class Command(BaseCommand):
    help = "Anonymise the closed files past the retention period (--dry-run lists them only)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Lister sans rien modifier.")

    def handle(self, *args, dry_run=False, **options):
        dossiers = retention.a_anonymiser()
        for menage, derniere in dossiers:
            self.stdout.write(f"{menage.reference} – dernière activité le {derniere:%d/%m/%Y}")
            if not dry_run:
                retention.anonymiser(menage)
        verbe = "seraient anonymisés" if dry_run else "anonymisés"
        self.stdout.write(self.style.SUCCESS(f"{len(dossiers)} dossier(s) {verbe}."))
