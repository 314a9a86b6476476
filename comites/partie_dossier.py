"""What comites contributes to the household file: the request to the committee, and the
committee's decisions on the household's timeline."""

from django.urls import reverse

from comites import permissions
from comites.models import AvisMembre, DemandeComite, PointOrdreDuJour
from menages.parties import Action, Evenement, Partie

ANONYME = "—"


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


def anonymiser(menage) -> None:
    """The reasons of the requests and proposals, the members' comments and the decisions'
    comments go (`menages.retention.REGISTRE`); the decisions themselves (type, level, duration,
    date) stay: the figures and the minutes read them."""
    PointOrdreDuJour.objects.filter(menage=menage).update(
        motif="", decision_commentaire="", derogation_motif=""
    )
    AvisMembre.objects.filter(point__menage=menage).update(commentaire="")
    DemandeComite.objects.filter(menage=menage).update(motif=ANONYME)


PARTIE = Partie(app="comites", actions=actions, evenements=evenements, anonymiser=anonymiser)
