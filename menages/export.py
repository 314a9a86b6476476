"""The household's right of access: its own file as a PDF, without third parties' information
(no professional's name, no other person than the household's members)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from accompagnement.enums import Confidentialite
from accompagnement.models import Accompagnement, Contact, Objectif, TempsFort
from menages.enums import TypeDiagnostic


def contexte_dossier(menage) -> dict:
    diagnostics = list(menage.diagnostics.order_by("date"))
    return {
        "menage": menage,
        "membres": menage.membres.all(),
        "ressources": menage.ressources.all(),
        "dettes": menage.dettes.all(),
        "evenements": menage.evenements.order_by("date"),
        "accompagnements": Accompagnement.objects.filter(menage=menage).prefetch_related(
            "changements_niveau"
        ),
        "objectifs": Objectif.objects.filter(menage=menage).order_by("date_debut"),
        "contacts": Contact.objects.filter(menage=menage, confidentialite=Confidentialite.PARTAGE).order_by(
            "date"
        ),
        "temps_forts": TempsFort.objects.filter(menage=menage),
        "diagnostics": [(d, d.domaines(True)) for d in diagnostics],
        "entree": TypeDiagnostic.ENTREE,
        "genere_le": timezone.now(),
    }


def dossier_pdf(menage) -> bytes:
    from weasyprint import HTML

    html = render_to_string("pdf/dossier.html", contexte_dossier(menage))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
