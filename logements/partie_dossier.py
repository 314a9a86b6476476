"""What logements contributes to the household file: the way to the dwellings that fit the
household, to its tenant file at its landlord, and a summary of that tenant file (arrears trend,
complaints not closed, the eviction procedure's step) for the social workers who follow the
household, so that what the CESF knows reaches them too."""

from django.urls import reverse

from comptes.enums import Role
from logements.enums import STATUTS_RECLAMATION_ACTIFS, StatutPlanApurement
from logements.models import EtapeExpulsion, PlanApurement, Reclamation, SoldeLocatif
from menages.parties import LATERALE, Action, Partie, Section

# The summary's arrears trend: the latest months recorded.
MOIS_SYNTHESE = 6


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


def _tendance(soldes) -> str:
    if len(soldes) < 2 or soldes[-1] == soldes[0]:
        return "stable"
    return "en hausse" if soldes[-1] > soldes[0] else "en baisse"


def lire(menage, user, auteurs) -> dict | None:
    """The tenant file's summary, read without going through the tenant file's own rule (which is
    the CESF's): the social workers who may open the household (`menage` was loaded through
    Menage.objects.visible_to) see it once the household has joined the support (its adhesion
    covers the exchanges between the landlord and the association). Figures and steps only: no
    free text of the tenant file. Four queries whatever the file's size."""
    if not menage.bailleur_id or not user.has_role(Role.TRAVAILLEUR_SOCIAL):
        return None
    if menage.date_adhesion is None:
        return {"sans_adhesion": True}
    soldes = list(SoldeLocatif.objects.filter(menage=menage).order_by("-mois")[:MOIS_SYNTHESE])[::-1]
    reclamations = list(
        Reclamation.objects.filter(menage=menage, statut__in=STATUTS_RECLAMATION_ACTIFS).only(
            "type", "date", "statut"
        )
    )
    etape = (
        EtapeExpulsion.objects.filter(menage=menage).order_by("-date", "-pk").only("etape", "date").first()
    )
    plan = (
        PlanApurement.objects.filter(menage=menage, statut=StatutPlanApurement.EN_COURS)
        .only("date_debut", "mensualite")
        .first()
    )
    return {
        "sans_adhesion": False,
        "soldes": soldes,
        "dernier": soldes[-1] if soldes else None,
        "tendance": _tendance([s.solde for s in soldes]),
        "reclamations": reclamations,
        "etape": etape,
        "plan": plan,
    }


# The tenant file is the landlord's own record and has its own page: only its summary is shown in
# the household file; its export, timeline and retention are decided by the personal-data issue.
PARTIE = Partie(
    app="logements",
    lire=lire,
    actions=actions,
    sections=(
        Section("dossier-locatif", "logements/dossier/synthese_locative.html", LATERALE, 15, lambda d: d),
    ),
)
