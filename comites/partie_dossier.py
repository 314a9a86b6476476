"""What comites contributes to the household file: the request to the committee, and the
committee's decisions on the household's timeline."""

from django.urls import reverse

from comites import permissions
from comites.models import PointOrdreDuJour
from menages.parties import Action, Evenement, Partie


def actions(menage, user) -> list[Action]:
    if permissions.can_ask_committee(user, menage):
        return [Action("Demander au comité", reverse("comites:demande", args=[menage.pk]), ordre=30)]
    return []


def evenements(menage, user, auteurs):
    """The committee's decisions on the household."""
    decisions = list(
        PointOrdreDuJour.objects.filter(menage=menage)
        .decides()
        .select_related("seance__instance")
        .order_by("-decide_le", "-pk")
    )
    auteurs.ajouter(decisions, "decide_par")
    return lambda: [
        Evenement(
            p.decide_le,
            f"{p.seance} : {p.get_decision_display().lower()}",
            p.decision_commentaire,
            str(p.decide_par or ""),
            "comite",
        )
        for p in decisions
    ]


# The committee's records are kept as they are at retention for now: their free text (comments,
# reasons) is the subject of the personal-data issue.
PARTIE = Partie(app="comites", actions=actions, evenements=evenements)
