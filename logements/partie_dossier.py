"""What logements contributes to the household file: the way to the dwellings that fit the
household, and to its tenant file at its landlord."""

from django.urls import reverse

from menages.parties import Action, Partie


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


# The tenant file is the landlord's own record and has its own page: nothing of it is shown in the
# household file, its export or its timeline yet, and retention keeps it as it is (the
# personal-data issue decides its rule).
PARTIE = Partie(app="logements", actions=actions)
