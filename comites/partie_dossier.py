"""What comites contributes to the household file: the request to the committee, and the
committee's decisions on the household's timeline."""

from django.urls import reverse

from comites import permissions
from comites.models import PointOrdreDuJour
from menages.parties import Action, Evenement, Partie


def actions(menage, user) -> list[Action]:
    actions = []
    if permissions.can_ask_committee(user, menage):
        actions.append(Action("Demander au comité", reverse("comites:demande", args=[menage.pk]), ordre=30))
    # The summary of the item awaiting the next session, for the referent who writes it.
    point = (
        PointOrdreDuJour.objects.ouverts()
        .filter(menage=menage)
        .select_related("seance")
        .order_by("seance__date", "ordre")
        .first()
    )
    if point is not None and permissions.can_write_summary(user, point):
        point.menage = menage
        libelle = (
            "Modifier la synthèse pour le comité"
            if point.a_une_synthese
            else "Rédiger la synthèse pour le comité"
        )
        actions.append(Action(libelle, reverse("comites:point_synthese", args=[point.pk]), ordre=31))
    return actions


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
