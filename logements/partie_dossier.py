"""What logements contributes to the household file: the way to the dwellings that fit the
household, to its tenant file at its landlord, and a summary of that tenant file (arrears trend,
complaints not closed, the eviction procedure's step) for the social workers who follow the
household, so that what the CESF knows reaches them too; its part of the right-of-access export and
of retention."""

from django.urls import reverse

from comptes.enums import Role
from logements.enums import STATUTS_RECLAMATION_ACTIFS, StatutPlanApurement
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
from menages.parties import LATERALE, Action, Export, Partie, Section

ANONYME = "—"
# The summary's arrears trend: the latest months recorded.
MOIS_SYNTHESE = 6


def actions(menage, user, donnees) -> list[Action]:
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


def lire(menage, user, lecture):
    """The tenant file's summary, read without going through the tenant file's own rule (which is
    the CESF's): the social workers who may open the household (`menage` was loaded through
    Menage.objects.visible_to) see it once the household has joined the support (its adhesion
    covers the exchanges between the landlord and the association). Figures and steps only: no
    free text of the tenant file. Four queries, read with the other parts', whatever the file's
    size."""
    if not menage.bailleur_id or not user.has_role(Role.TRAVAILLEUR_SOCIAL):
        return None
    if menage.date_adhesion is None:
        return lambda: {"sans_adhesion": True}
    soldes, reclamations, etapes, plans = (
        lecture.requete(queryset)
        for queryset in (
            SoldeLocatif.objects.filter(menage=menage).order_by("-mois")[:MOIS_SYNTHESE],
            Reclamation.objects.filter(menage=menage, statut__in=STATUTS_RECLAMATION_ACTIFS).only(
                "type", "date", "statut"
            ),
            EtapeExpulsion.objects.filter(menage=menage).order_by("-date", "-pk").only("etape", "date")[:1],
            PlanApurement.objects.filter(menage=menage, statut=StatutPlanApurement.EN_COURS).only(
                "date_debut", "mensualite"
            )[:1],
        )
    )
    return lambda: _synthese(soldes[::-1], reclamations, etapes, plans)


def _synthese(soldes, reclamations, etapes, plans) -> dict:
    return {
        "sans_adhesion": False,
        "soldes": soldes,
        "dernier": soldes[-1] if soldes else None,
        "tendance": _tendance([s.solde for s in soldes]),
        "reclamations": reclamations,
        "etape": etapes[0] if etapes else None,
        "plan": plans[0] if plans else None,
    }


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
    Reclamation.objects.filter(menage=menage).update(description=ANONYME, resolution="")
    SignalementGardien.objects.filter(menage=menage).update(texte=ANONYME, resolution="")
    EtapeExpulsion.objects.filter(menage=menage).update(commentaire="")
    Attribution.objects.filter(menage=menage).update(motif_refus="")


PARTIE = Partie(
    app="logements",
    lire=lire,
    actions=actions,
    sections=(
        Section("dossier-locatif", "logements/dossier/synthese_locative.html", LATERALE, 15, lambda d: d),
    ),
    exports=(Export("pdf/dossier/logement.html", 50, export_dossier_locatif),),
    anonymiser=anonymiser,
)
