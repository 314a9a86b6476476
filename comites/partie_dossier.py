"""What comites contributes to the household file: the request to the committee, the committee's
decisions on the household's timeline; its part of the right-of-access export and of retention."""

from django.urls import reverse

from comites import permissions
from comites.models import AvisMembre, DemandeComite, PointOrdreDuJour
from comptes.lecture import Gabarit
from menages.parties import Action, Evenement, Export, Partie

ANONYME = "—"


# The item awaiting the next session, for the referent who writes its summary: the first open one.
# A `Gabarit`: compiled once, read with the household's id.
POINT_OUVERT = Gabarit(
    lambda pk: (
        PointOrdreDuJour.objects.ouverts()
        .select_related("seance")
        .filter(menage=pk)
        .order_by("seance__date", "ordre")[:1]
    )
)


def lire(menage, user, lecture):
    """The household's open item, read with the other parts' records only when the household and
    the reader allow a summary at all (`actions`)."""
    if not permissions.can_write_summary_for(user, menage):
        return None
    points = lecture.requete(POINT_OUVERT.pour(menage.pk))
    return lambda: {"point": points[0] if points else None}


def actions(menage, user, donnees) -> list[Action]:
    actions = []
    if permissions.can_ask_committee(user, menage):
        actions.append(Action("Demander au comité", reverse("comites:demande", args=[menage.pk]), ordre=30))
    # The summary of the item awaiting the next session, for the referent who writes it (`lire`).
    point = donnees["point"] if donnees else None
    if point is not None and permissions.can_write_summary(user, point):
        point.menage = menage
        libelle = (
            "Modifier la synthèse pour le comité"
            if point.a_une_synthese
            else "Rédiger la synthèse pour le comité"
        )
        actions.append(Action(libelle, reverse("comites:point_synthese", args=[point.pk]), ordre=31))
    return actions


def evenements(menage, user, lecture):
    """The committee's decisions on the household."""
    decisions = lecture.requete(
        PointOrdreDuJour.objects.filter(menage=menage)
        .decides()
        .select_related("seance__instance")
        .order_by("-decide_le", "-pk")
    )
    lecture.auteurs(decisions, "decide_par")
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


def export_comite(menage, retenues) -> dict:
    """The requests to the committee and its decisions on the household, with the members'
    opinions (not their names)."""
    return {
        "demandes": DemandeComite.objects.filter(menage=menage).order_by("cree_le", "pk"),
        "points": PointOrdreDuJour.objects.filter(menage=menage)
        .select_related("seance__instance")
        .prefetch_related("avis")
        .order_by("seance__date", "pk"),
    }


def anonymiser(menage) -> None:
    """The reasons of the requests and proposals, the referent's case summaries, the members'
    comments and the decisions' comments go (`menages.retention.REGISTRE`); the decisions themselves (type, level, duration,
    date) stay: the figures and the minutes read them."""
    PointOrdreDuJour.objects.filter(menage=menage).update(
        motif="",
        decision_commentaire="",
        derogation_motif="",
        synthese_niveau="",
        synthese_objectifs="",
        synthese_iml="",
    )
    AvisMembre.objects.filter(point__menage=menage).update(commentaire="")
    DemandeComite.objects.filter(menage=menage).update(
        motif=ANONYME, synthese_niveau="", synthese_objectifs="", synthese_iml=""
    )


PARTIE = Partie(
    app="comites",
    lire=lire,
    actions=actions,
    evenements=evenements,
    exports=(Export("pdf/dossier/comite.html", 60, export_comite),),
    anonymiser=anonymiser,
)
