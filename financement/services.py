"""Writes of the funding app: the convention, its financing plan and budget lines (by the
programme's administrators), asking for a funder report, producing it, the scheduled reports, and
the figures kept for the funders' dashboard."""

import datetime
import logging
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from comptes.formats import format_pourcent
from comptes.models import Dispositif
from financement.enums import Periodicite, StatutRapport
from financement.models import (
    PREFIXE_PERIODE_INVALIDE,
    Convention,
    IndicateursArretes,
    LigneBudgetaire,
    RapportFinanceur,
)
from financement.periodes import erreurs_periode

logger = logging.getLogger(__name__)

DELAI_BLOCAGE = datetime.timedelta(minutes=15)


class DemandeInvalide(ValidationError):
    """A report request that the rules refuse; its message is shown to the user."""


PAS_UNE_DATE = "Saisissez une date valide."


def verifier_periode(*, dispositif, debut, fin) -> tuple[datetime.date, datetime.date]:
    """The period [debut, fin] of `dispositif`'s figures, its dates read from ISO strings if they
    come as such (a task's arguments); a date that cannot be read, a period outside the programme's
    dates or reversed raises DemandeInvalide with the French message of each field, as the forms
    show it."""
    dates, erreurs = {}, {}
    for champ, valeur in (("debut", debut), ("fin", fin)):
        if isinstance(valeur, str):
            try:
                valeur = datetime.date.fromisoformat(valeur)
            except ValueError:
                valeur = None
        if isinstance(valeur, datetime.datetime) or not isinstance(valeur, datetime.date):
            erreurs[champ] = [PAS_UNE_DATE]
        else:
            dates[champ] = valeur
    erreurs = erreurs_periode(dispositif, dates.get("debut"), dates.get("fin")) | erreurs
    if erreurs:
        raise DemandeInvalide(erreurs)
    return dates["debut"], dates["fin"]


def message_erreurs(exc: ValidationError) -> str:
    """The messages of a DemandeInvalide in one French sentence list."""
    return " ".join(exc.messages)


def _enqueue(rapport):
    """Queue the production after the commit. If the broker cannot be reached, the report stays
    waiting and the periodic sweep (reprendre_rapports) queues it again later."""
    from comptes.taches import enqueue
    from financement.tasks import generer_rapport

    transaction.on_commit(lambda: enqueue(generer_rapport, rapport.pk))


@transaction.atomic
def demander_rapport(
    *,
    dispositif,
    financeur,
    date_debut,
    date_fin,
    demande_par=None,
    periodicite=Periodicite.PONCTUEL,
    commentaire: str | None = None,
) -> RapportFinanceur:
    """Ask for the report of `financeur` on `dispositif` over [date_debut, date_fin], produced in the
    background. Asking again for the same funder and period refreshes the same report; a report
    already being produced is left alone. A `commentaire` (the coordinator's words, on the first
    page) replaces the report's; None keeps it. A period outside the programme's dates, reversed
    or not made of dates raises DemandeInvalide (see `verifier_periode`)."""
    date_debut, date_fin = verifier_periode(dispositif=dispositif, debut=date_debut, fin=date_fin)
    if not Convention.objects.filter(dispositif=dispositif, parts__financeur=financeur).exists():
        raise DemandeInvalide("Cet organisme ne finance pas ce dispositif.")
    rapport, created = RapportFinanceur.objects.select_for_update().get_or_create(
        dispositif=dispositif,
        financeur=financeur,
        date_debut=date_debut,
        date_fin=date_fin,
        defaults={"demande_par": demande_par, "periodicite": periodicite, "commentaire": commentaire or ""},
    )
    if not created:
        # A report being produced is left alone, unless its worker seems to have died on it.
        if rapport.statut == StatutRapport.EN_COURS and rapport.modifie_le > timezone.now() - DELAI_BLOCAGE:
            return rapport
        rapport.statut = StatutRapport.EN_ATTENTE
        rapport.progression = 0
        rapport.erreur = ""
        rapport.demande_par = demande_par or rapport.demande_par
        if commentaire is not None:
            rapport.commentaire = commentaire
        rapport.save(
            update_fields=["statut", "progression", "erreur", "demande_par", "commentaire", "modifie_le"]
        )
    _enqueue(rapport)
    return rapport


@transaction.atomic
def commenter_rapport(*, rapport: RapportFinanceur, commentaire: str, par) -> RapportFinanceur:
    """Save the coordinator's commentary on a report and produce its PDF again with it. A report
    being produced is refused: the worker may already have read the previous words."""
    rapport = RapportFinanceur.objects.select_for_update().get(pk=rapport.pk)
    if rapport.statut == StatutRapport.EN_COURS and rapport.modifie_le > timezone.now() - DELAI_BLOCAGE:
        raise DemandeInvalide(
            "Le rapport est en cours de production\u00a0: enregistrez le commentaire dans un instant."
        )
    rapport.commentaire = commentaire
    rapport.statut = StatutRapport.EN_ATTENTE
    rapport.progression = 0
    rapport.erreur = ""
    rapport.demande_par = par
    rapport.save(
        update_fields=["commentaire", "statut", "progression", "erreur", "demande_par", "modifie_le"]
    )
    _enqueue(rapport)
    return rapport


def _progression(rapport, pourcent):
    # A plain UPDATE: progress steps are not worth an audit entry each.
    RapportFinanceur.objects.filter(pk=rapport.pk).update(progression=pourcent, modifie_le=timezone.now())


def produire_rapport(*, rapport_id: int) -> RapportFinanceur | None:
    """Compute the indicators, draw the charts, render the PDF and store it on the report. Running
    it again for a report that is ready does nothing. A report whose period is not valid (outside
    its programme's dates, which may have changed since it was asked for) fails with the French
    reason, without being computed nor retried."""
    from financement.documents import rapport_pdf

    with transaction.atomic():
        rapport = (
            RapportFinanceur.objects.select_for_update()
            .select_related("dispositif", "financeur")
            .filter(pk=rapport_id)
            .first()
        )
        if rapport is None or (rapport.statut == StatutRapport.TERMINE and rapport.fichier):
            return rapport
        try:
            verifier_periode(dispositif=rapport.dispositif, debut=rapport.date_debut, fin=rapport.date_fin)
        except DemandeInvalide as exc:
            rapport.statut = StatutRapport.ECHEC
            rapport.progression = 0
            rapport.erreur = (PREFIXE_PERIODE_INVALIDE + message_erreurs(exc))[:1000]
            rapport.save(update_fields=["statut", "progression", "erreur", "modifie_le"])
            return rapport
        rapport.statut = StatutRapport.EN_COURS
        rapport.progression = 5
        rapport.save(update_fields=["statut", "progression", "modifie_le"])
    try:
        contenu = rapport_pdf(rapport, progression=lambda p: _progression(rapport, p))
        with transaction.atomic():
            if rapport.fichier:
                rapport.fichier.delete(save=False)
            rapport.fichier.save(rapport.nom_fichier, ContentFile(contenu), save=False)
            rapport.statut = StatutRapport.TERMINE
            rapport.progression = 100
            rapport.genere_le = timezone.now()
            rapport.save(update_fields=["fichier", "statut", "progression", "genere_le", "modifie_le"])
    except Exception as exc:
        RapportFinanceur.objects.filter(pk=rapport.pk).update(
            statut=StatutRapport.ECHEC, erreur=f"{type(exc).__name__}: {exc}"[:1000]
        )
        raise
    return rapport


def periodes_echues(aujourdhui: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """The last complete quarter and the last complete calendar year before `aujourdhui`."""
    debut_trimestre = aujourdhui.replace(month=3 * ((aujourdhui.month - 1) // 3) + 1, day=1)
    trimestre = debut_trimestre - relativedelta(months=3)
    annee = aujourdhui.year - 1
    return [
        (Periodicite.TRIMESTRIEL, trimestre, debut_trimestre - datetime.timedelta(days=1)),
        (Periodicite.ANNUEL, datetime.date(annee, 1, 1), datetime.date(annee, 12, 31)),
    ]


def planifier_rapports(*, aujourdhui: datetime.date | None = None) -> list[RapportFinanceur]:
    """Create (once) and enqueue the quarterly and annual report of every funder of every active
    programme, for the periods that ended and overlap the convention, cut to the programme's dates
    (a period outside them is not valid, see `verifier_periode`). Idempotent: a report that exists
    for a funder and period is not created again."""
    aujourdhui = aujourdhui or timezone.localdate()
    crees = []
    conventions = Convention.objects.filter(dispositif__actif=True).select_related("dispositif")
    for convention in conventions.prefetch_related("parts__financeur"):
        for periodicite, debut, fin in periodes_echues(aujourdhui):
            if fin < convention.date_debut or debut > convention.date_fin:
                continue
            dispositif = convention.dispositif
            debut, fin = max(debut, dispositif.date_debut), min(fin, dispositif.date_fin)
            try:
                verifier_periode(dispositif=dispositif, debut=debut, fin=fin)
            except DemandeInvalide:
                continue
            for part in convention.parts.all():
                with transaction.atomic():
                    rapport, created = RapportFinanceur.objects.get_or_create(
                        dispositif=convention.dispositif,
                        financeur=part.financeur,
                        date_debut=debut,
                        date_fin=fin,
                        defaults={"periodicite": periodicite},
                    )
                    if created:
                        _enqueue(rapport)
                        crees.append(rapport)
    return crees


def reprendre_rapports(*, maintenant=None) -> list[int]:
    """Queue again the reports left waiting (broker outage) or stuck in production (worker lost)
    for longer than DELAI_BLOCAGE."""
    maintenant = maintenant or timezone.now()
    ids = list(
        RapportFinanceur.objects.filter(
            statut__in=[StatutRapport.EN_ATTENTE, StatutRapport.EN_COURS],
            modifie_le__lt=maintenant - DELAI_BLOCAGE,
        ).values_list("pk", flat=True)
    )
    for rapport in RapportFinanceur.objects.filter(pk__in=ids):
        _enqueue(rapport)
    return ids


def arreter_indicateurs(*, dispositif, debut: datetime.date, fin: datetime.date) -> IndicateursArretes:
    """Compute the indicators of `dispositif` over [debut, fin] now and keep them, dated, for the
    dashboard (replacing those kept for the same period). They are dated from the start of the
    computation: nothing recorded after that moment is in them. A period that is not valid raises
    DemandeInvalide (see `verifier_periode`)."""
    from financement import indicators

    debut, fin = verifier_periode(dispositif=dispositif, debut=debut, fin=fin)
    calcule_le = timezone.now()
    donnees = indicators.vers_json(indicators.chiffres(indicators.calculer(dispositif, debut, fin)))
    with transaction.atomic():
        arretes, _created = IndicateursArretes.objects.update_or_create(
            dispositif=dispositif,
            debut=debut,
            fin=fin,
            defaults={"donnees": donnees, "calcule_le": calcule_le},
        )
    return arretes


def arreter_indicateurs_courants(*, maintenant=None) -> list[IndicateursArretes]:
    """Recompute the figures of every active programme with a convention over its current period
    (the dashboard as it opens), and delete the figures too old to be shown any more."""
    from financement.forms import periode_par_defaut
    from financement.selectors import VALIDITE_INDICATEURS

    maintenant = maintenant or timezone.now()
    arretes = []
    for dispositif in Dispositif.objects.filter(actif=True, convention__isnull=False).order_by("pk"):
        debut, fin = periode_par_defaut(dispositif)
        arretes.append(arreter_indicateurs(dispositif=dispositif, debut=debut, fin=fin))
    IndicateursArretes.objects.filter(calcule_le__lte=maintenant - VALIDITE_INDICATEURS).delete()
    return arretes


# The convention, its financing plan and budget lines: every save is recorded by the audit trail.

TOTAL_PLAN = Decimal("100")


def erreur_total_parts(pourcentages) -> str:
    """Why a financing plan made of these shares (in %) cannot be saved, or "" if they total
    exactly 100 %."""
    total = sum(pourcentages, Decimal("0"))
    if total == TOTAL_PLAN:
        return ""
    ecart = "manque" if total < TOTAL_PLAN else "dépasse de"
    return (
        f"Les parts des financeurs totalisent {format_pourcent(total, 2)} : le plan de financement doit "
        f"totaliser exactement 100 % (il {ecart} {format_pourcent(abs(TOTAL_PLAN - total), 2)})."
    )


@transaction.atomic
def enregistrer_convention(*, convention: Convention) -> Convention:
    """Create or change a programme's convention."""
    convention.full_clean()
    convention.save()
    return convention


@transaction.atomic
def enregistrer_plan(*, convention: Convention, parts, retirees=()) -> None:
    """Replace the financing plan of `convention` by `parts` (its shares, new or changed; the others
    are kept), without `retirees`. Refused (ValidationError) unless the shares of the plan total
    exactly 100 %, or if a share withdrawn has received payments."""
    retirees = [p for p in retirees if p.pk]
    if any(p.versements.exists() for p in retirees):
        raise ValidationError("Une part qui a reçu des versements reste dans le plan.", code="versements")
    changees = {p.pk: p for p in parts if p.pk}
    exclues = [p.pk for p in retirees] + list(changees)
    autres = list(convention.parts.exclude(pk__in=exclues))
    message = erreur_total_parts([p.pourcentage for p in [*autres, *parts]])
    if message:
        raise ValidationError(message, code="total")
    for part in retirees:
        part.delete()
    for part in parts:
        part.convention = convention
        part.full_clean()
        part.save()


@transaction.atomic
def enregistrer_ligne(*, ligne: LigneBudgetaire, montants=(), retires=()) -> LigneBudgetaire:
    """Create or change a budget line with its planned and actual amounts per year."""
    ligne.full_clean()
    ligne.save()
    for montant in retires:
        if montant.pk:
            montant.delete()
    for montant in montants:
        montant.ligne = ligne
        montant.full_clean()
        montant.save()
    return ligne
