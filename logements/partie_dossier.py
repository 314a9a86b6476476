"""What logements contributes to the household file: the way to the dwellings that fit the
household, and to its tenant file at its landlord."""

from django.urls import reverse

from logements.models import Attribution, EtapeExpulsion, Reclamation, SignalementGardien
from menages.parties import Action, Partie

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


def anonymiser(menage) -> None:
    """The free text of the tenant file (complaints, caretakers' reports, eviction steps'
    comments) and the reasons of refused attributions go (`menages.retention.REGISTRE`); dates,
    amounts, steps and statuses stay: the funder reports count them."""
    Reclamation.objects.filter(menage=menage).update(description=ANONYME)
    SignalementGardien.objects.filter(menage=menage).update(texte=ANONYME)
    EtapeExpulsion.objects.filter(menage=menage).update(commentaire="")
    Attribution.objects.filter(menage=menage).update(motif_refus="")


PARTIE = Partie(app="logements", actions=actions, anonymiser=anonymiser)
