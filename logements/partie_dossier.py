"""What logements contributes to the household file: the way to the dwellings that fit the
household, and to its tenant file at its landlord; its part of the right-of-access export and of
retention."""

from django.urls import reverse

from logements.models import (
    AideFsl,
    Attribution,
    Bail,
    EtapeExpulsion,
    PlanApurement,
    Reclamation,
    SignalementGardien,
    SoldeLocatif,
)
from menages.parties import Action, Export, Partie

ANONYME = "—"


def actions(menage, user) -> list[Action]:
    result = []
    if user.has_perm("logements.voir_logements"):
        result.append(
            Action("Logements adaptés", reverse("logements:rapprochement", args=[menage.pk]), ordre=10)
        )
    if user.has_perm("logements.voir_dossier_locatif") and menage.bailleur_id:
        result.append(
            Action("Dossier locatif", reverse("logements:dossier_locatif", args=[menage.pk]), ordre=20)
        )
    return result


def export_dossier_locatif(menage, retenues) -> dict:
    """The tenant file the landlord keeps on the household, and the dwellings proposed to it."""
    return {
        "attributions": Attribution.objects.filter(menage=menage)
        .select_related("logement__commune")
        .order_by("date_proposition", "pk"),
        "baux": Bail.objects.filter(menage=menage).order_by("date_signature", "pk"),
        "reclamations": Reclamation.objects.filter(menage=menage).order_by("date", "pk"),
        "signalements": SignalementGardien.objects.filter(menage=menage).order_by("date", "pk"),
        "soldes": SoldeLocatif.objects.filter(menage=menage).order_by("mois"),
        "plans": PlanApurement.objects.filter(menage=menage).order_by("date_debut", "pk"),
        "aides_fsl": AideFsl.objects.filter(menage=menage).order_by("date_demande", "pk"),
        "etapes_expulsion": EtapeExpulsion.objects.filter(menage=menage).order_by("date", "pk"),
    }


def anonymiser(menage) -> None:
    """The free text of the tenant file (complaints, caretakers' reports, eviction steps'
    comments) and the reasons of refused attributions go (`menages.retention.REGISTRE`); dates,
    amounts, steps and statuses stay: the funder reports count them."""
    Reclamation.objects.filter(menage=menage).update(description=ANONYME)
    SignalementGardien.objects.filter(menage=menage).update(texte=ANONYME)
    EtapeExpulsion.objects.filter(menage=menage).update(commentaire="")
    Attribution.objects.filter(menage=menage).update(motif_refus="")


PARTIE = Partie(
    app="logements",
    actions=actions,
    exports=(Export("pdf/dossier/logement.html", 50, export_dossier_locatif),),
    anonymiser=anonymiser,
)
