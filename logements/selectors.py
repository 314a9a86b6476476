"""Reads on the stock and the tenant file beyond the QuerySet methods of models.py."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum, Window
from django.utils import timezone

from comptes.selectors import dispositifs_de
from logements.enums import ModeMobilisation, StatutReclamation
from logements.models import EtapeExpulsion, ImpayesMensuels, ImportLogements, Logement, Reclamation


def avancement_mobilisation(user) -> list[dict]:
    """For each programme of the user: dwellings mobilised (all landlords, a count only) against the
    programme's target, and the count by way of mobilisation."""
    dispositifs = dispositifs_de(user).annotate(mobilises=Count("mobilisations")).order_by("nom")
    return [
        {
            "dispositif": dispositif,
            "mobilises": dispositif.mobilises,
            "objectif": dispositif.objectif_logements_mobilises,
            "pourcentage": min(
                100, round(100 * dispositif.mobilises / dispositif.objectif_logements_mobilises)
            )
            if dispositif.objectif_logements_mobilises
            else 100,
        }
        for dispositif in dispositifs
    ]


def imports_recents(bailleur, limit=5):
    return ImportLogements.objects.filter(bailleur=bailleur).select_related("auteur")[:limit]


def mobilisations_par_mode(mobilisations):
    counts = mobilisations.aggregate(
        **{mode.value: Count("pk", filter=Q(mode=mode.value)) for mode in ModeMobilisation}
    )
    return [(mode.label, counts[mode.value]) for mode in ModeMobilisation]


# The winter truce (trêve hivernale, code des procédures civiles d'exécution, L. 412-6): no
# eviction is carried out from 1 November to 31 March.
DEBUT_TREVE = (11, 1)
FIN_TREVE = (3, 31)


def en_treve_hivernale(jour: datetime.date) -> bool:
    return (jour.month, jour.day) >= DEBUT_TREVE or (jour.month, jour.day) <= FIN_TREVE


def treve_hivernale(jour: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The truce in progress on `jour`, or else the next one: (first day, last day)."""
    if (jour.month, jour.day) <= FIN_TREVE:
        return datetime.date(jour.year - 1, *DEBUT_TREVE), datetime.date(jour.year, *FIN_TREVE)
    return datetime.date(jour.year, *DEBUT_TREVE), datetime.date(jour.year + 1, *FIN_TREVE)


def seuil_impayes(menage) -> Decimal:
    """The arrears amount from which a tenant is flagged: the programme's number of months of rent
    (Dispositif.seuil_impayes_mois) times the monthly rent, charges included. No dwelling is
    attributed through the app yet, so the rent is the programme's reference rent
    (Dispositif.loyer_reference)."""
    dispositif = menage.dispositif
    return (dispositif.seuil_impayes_mois * dispositif.loyer_reference).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Barre:
    mois: datetime.date
    solde: Decimal
    x: int
    y: int
    largeur: int
    hauteur: int


@dataclass(frozen=True)
class Courbe:
    """An arrears bar chart drawn server-side (SVG, no JavaScript)."""

    largeur: int
    hauteur: int
    barres: list[Barre]
    maximum: Decimal
    seuil: Decimal
    y_seuil: int | None  # None when the threshold is above the chart's scale


def courbe_impayes(soldes, seuil: Decimal, largeur=600, hauteur=200, marge=24) -> Courbe:
    """Month-by-month bars of `soldes` (SoldeLocatif, by month), scaled to the highest of the
    balances and the threshold so that the threshold line is always drawn."""
    soldes = list(soldes)
    maximum = max([s.solde for s in soldes] + [seuil, Decimal("1")])
    utile = hauteur - 2 * marge
    pas = (largeur - marge) // max(len(soldes), 1)
    barres = []
    for i, s in enumerate(soldes):
        h = int(utile * s.solde / maximum)
        barres.append(
            Barre(
                mois=s.mois,
                solde=s.solde,
                x=marge + i * pas + pas // 8,
                y=marge + utile - h,
                largeur=max(pas * 3 // 4, 1),
                hauteur=h,
            )
        )
    y_seuil = marge + utile - int(utile * seuil / maximum) if seuil else None
    return Courbe(largeur, hauteur, barres, maximum, seuil, y_seuil)


MOIS_TENDANCE = 6
LIGNES_WIDGET = 8


def tableau_cesf(user, nombre_locataires: int | None = None) -> dict:
    """The CESF's dashboard widget, in a fixed number of queries whatever the number of tenants:
    her landlord's programme tenants, open complaints, the arrears trend (total of the balances
    over the last months, read from the monthly totals in ImpayesMensuels), the eviction
    procedures in progress (last step of each household) and the key moments to come.
    `nombre_locataires`, when the caller has already counted the households visible to `user`,
    saves counting them again."""
    from accompagnement.models import TempsFort
    from menages.models import Menage

    locataires = Menage.objects.locataires_visible_to(user)
    ouvertes = Reclamation.objects.visible_to(user, menages=locataires).filter(
        statut=StatutReclamation.OUVERTE
    )
    debut = timezone.localdate().replace(day=1) - relativedelta(months=MOIS_TENDANCE - 1)
    totaux = dict(
        ImpayesMensuels.objects.visible_to(user)
        .filter(mois__gte=debut)
        .values_list("mois")
        .annotate(somme=Sum("total"))
        .values_list("mois", "somme")
        .order_by()
    )
    tendance = [
        (mois, totaux.get(mois, Decimal("0")))
        for mois in (debut + relativedelta(months=i) for i in range(MOIS_TENDANCE))
    ]
    # Each household's last step (no later one, by date then entry), read from the few steps
    # rather than from every tenant.
    plus_recente = EtapeExpulsion.objects.filter(menage=OuterRef("menage")).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk"))
    )
    procedures = (
        EtapeExpulsion.objects.visible_to(user, menages=locataires)
        .filter(~Exists(plus_recente))
        .select_related("menage")
        .only("etape", "date", "menage__nom")
        .order_by("-date", "menage_id")
    )
    # The first complaints carry the number of all open ones (a window over the whole selection,
    # computed before the limit): one query for the list and its count.
    reclamations = list(
        ouvertes.select_related("menage")
        .only("menage__nom", "type", "date")
        .annotate(nombre=Window(Count("pk")))[:LIGNES_WIDGET]
    )
    return {
        "nombre_locataires": locataires.count() if nombre_locataires is None else nombre_locataires,
        "nombre_reclamations": reclamations[0].nombre if reclamations else 0,
        "reclamations": reclamations,
        "tendance": tendance,
        "procedures": [(e.menage, e.get_etape_display(), e.date) for e in procedures[:LIGNES_WIDGET]],
        "temps_forts": list(
            TempsFort.objects.filter(menage__in=locataires, realise=False, date_prevue__gte=timezone.now())
            .select_related("menage")
            .only("menage__nom", "type", "date_prevue")
            .order_by("date_prevue")[:LIGNES_WIDGET]
        ),
    }


JOURS_PAR_MOIS = 30
RESULTATS_RAPPROCHEMENT = 50


@dataclass(frozen=True)
class Effort:
    depense_logement: Decimal  # what the household pays each month, net of housing benefit
    taux_effort: Decimal | None  # percentage; None without resources
    reste_a_vivre: Decimal  # euros per person and per day


def effort(*, loyer, charges, ressources, apl, personnes) -> Effort:
    """The two figures used in social housing to judge whether a rent is bearable:

    - taux d'effort = (loyer + charges − APL/AL) ÷ ressources mensuelles hors APL/AL, in %;
    - reste à vivre = (ressources mensuelles hors APL/AL − (loyer + charges − APL/AL))
      ÷ nombre de personnes ÷ 30, in euros per person and per day.

    `ressources` excludes the housing benefit (APL/AL), which is counted once, as a reduction of
    the housing expense. The APL/AL is the amount the household receives now (its budget): an
    estimate, the CAF computes the real amount for the new dwelling. Rounded to the cent and to a
    tenth of a percent, half up."""
    depense = loyer + charges - apl
    taux = (
        (100 * depense / ressources).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if ressources > 0
        else None
    )
    reste = ((ressources - depense) / max(personnes, 1) / JOURS_PAR_MOIS).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return Effort(depense, taux, reste)


def rapprochement(menage, user) -> dict:
    """The available dwellings (both landlords' pooled stock, as `user` may see it) that fit the
    needs of the household's latest diagnostic, cheapest first, each with its taux d'effort and
    reste à vivre."""
    from menages.enums import TypeRessource

    diagnostic = menage.diagnostics.order_by("-date", "-pk").prefetch_related("besoin_communes").first()
    ressources = {TypeRessource.APL: Decimal("0"), "autres": Decimal("0")}
    for type_, montant in menage.ressources.values_list("type", "montant_mensuel"):
        ressources[TypeRessource.APL if type_ == TypeRessource.APL else "autres"] += montant
    personnes = max(menage.membres.count(), 1)
    resultat = {
        "diagnostic": diagnostic,
        "ressources": ressources["autres"],
        "apl": ressources[TypeRessource.APL],
        "personnes": personnes,
        "logements": [],
        "nombre": 0,
    }
    if diagnostic is None:
        return resultat
    logements = Logement.objects.visible_to(user).disponibles().select_related("bailleur", "commune")
    communes = list(diagnostic.besoin_communes.all())
    if communes:
        logements = logements.filter(commune__in=communes)
    if diagnostic.besoin_typologie:
        logements = logements.filter(typologie=diagnostic.besoin_typologie)
    if diagnostic.besoin_accessibilite:
        logements = logements.filter(accessible_pmr=True)
    logements = logements.alias(total=models.F("loyer") + models.F("charges"))
    if diagnostic.besoin_loyer_max is not None:
        logements = logements.filter(total__lte=diagnostic.besoin_loyer_max)
    logements = logements.order_by("total", "commune__nom", "pk")
    resultat["nombre"] = logements.count()
    resultat["communes"] = communes
    resultat["logements"] = [
        (
            logement,
            effort(
                loyer=logement.loyer,
                charges=logement.charges,
                ressources=ressources["autres"],
                apl=ressources[TypeRessource.APL],
                personnes=personnes,
            ),
        )
        for logement in logements[:RESULTATS_RAPPROCHEMENT]
    ]
    return resultat
