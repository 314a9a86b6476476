"""Reads on the stock and the tenant file beyond the QuerySet methods of models.py."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.db import connections, models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum, Window
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from comptes.lecture import Gabarit, lire_ensemble, union_tous
from comptes.selectors import dispositifs_courants, dispositifs_de
from logements.enums import (
    STATUTS_RECLAMATION_ACTIFS,
    DecisionCal,
    EtapeAttribution,
    ModeMobilisation,
)
from logements.models import (
    Attribution,
    EtapeExpulsion,
    ImpayesMensuels,
    ImportLogements,
    Logement,
    Reclamation,
    SoldeLocatif,
)
from menages.selectors import rang_par_menage


def rechercher_logements(logements, recherche: str):
    """The dwellings of `logements` whose address, town or landlord's reference contain every word
    of `recherche`, by town and address: what the caretaker's search offers (never a household)."""
    for mot in recherche.split()[:5]:
        logements = logements.filter(
            Q(adresse__icontains=mot) | Q(reference_bailleur__icontains=mot) | Q(commune__nom__icontains=mot)
        )
    return logements.select_related("commune").order_by("commune__nom", "adresse", "pk")


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


def loyers_mensuels(menage_ids) -> dict[int, Decimal]:
    """Each household's monthly rent, charges included, where it is known (two queries):
    - the dwelling attributed through the programme (an attribution pronounced by the CAL, with
      its lease signed or its move-in), the latest one;
    - the rent and charges the CESF records with a month's balance (SoldeLocatif.loyer_charges),
      the latest month: the rent of a tenant housed before the programme, and the rent as revised.
    The later of the two wins (a move-in after the last recorded rent: the new dwelling's rent)."""
    connus = {}
    # Each household's latest row.
    recents = (
        SoldeLocatif.objects.filter(menage_id__in=menage_ids, loyer_charges__isnull=False)
        .annotate(rang=rang_par_menage(F("mois").desc()))
        .filter(rang=1)
        .values_list("menage_id", "mois", "loyer_charges")
    )
    for menage_id, mois, loyer in recents:
        connus[menage_id] = (mois, loyer)
    attribues = (
        Attribution.objects.filter(menage_id__in=menage_ids, decision_cal=DecisionCal.ACCEPTEE)
        .filter(Q(date_bail__isnull=False) | Q(date_entree__isnull=False))
        .annotate(debut=Coalesce("date_entree", "date_bail"))
        .annotate(rang=rang_par_menage(F("debut").desc(), F("pk").desc()))
        .filter(rang=1)
        .values_list("menage_id", "debut", "logement__loyer", "logement__charges")
    )
    for menage_id, debut, loyer, charges in attribues:
        mois = debut.replace(day=1)
        if menage_id not in connus or mois > connus[menage_id][0]:
            connus[menage_id] = (mois, loyer + charges)
    return {menage_id: loyer for menage_id, (_mois, loyer) in connus.items()}


def seuils_impayes(menages) -> dict[int, Decimal | None]:
    """For each household (its programme loaded), the arrears amount from which it is flagged: the
    programme's number of months (Dispositif.seuil_impayes_mois) times the household's own monthly
    rent and charges (loyers_mensuels); None while that rent is not known."""
    loyers = loyers_mensuels([m.pk for m in menages])
    return {
        m.pk: (m.dispositif.seuil_impayes_mois * loyers[m.pk]).quantize(Decimal("0.01"))
        if m.pk in loyers
        else None
        for m in menages
    }


def seuil_impayes(menage) -> Decimal | None:
    return seuils_impayes([menage])[menage.pk]


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
    seuil: Decimal | None  # None while the household's rent is not known
    y_seuil: int | None  # None without a threshold


def courbe_impayes(soldes, seuil: Decimal | None, largeur=600, hauteur=200, marge=24) -> Courbe:
    """Month-by-month bars of `soldes` (SoldeLocatif, by month), scaled to the highest of the
    balances and the threshold so that the threshold line is always drawn."""
    soldes = list(soldes)
    maximum = max([s.solde for s in soldes] + [seuil or Decimal("0"), Decimal("1")])
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


def tableau_cesf(user) -> dict:
    """The CESF's dashboard widget, in one round trip whatever the number of tenants: the number of
    her landlord's programme tenants (all of them, consent to share the social file or not: the
    tenant file is the landlord's own), open complaints, the arrears trend (total of the balances
    over the last months, read from the monthly totals in ImpayesMensuels), the eviction procedures
    in progress (last step of each household) and the key moments to come."""
    from accompagnement.models import TempsFort
    from menages.models import Menage

    locataires = Menage.objects.locataires_visible_to(user)
    debut = timezone.localdate().replace(day=1) - relativedelta(months=MOIS_TENDANCE - 1)
    # The key moments to come, read apart: what is to come changes with each request.
    temps_forts = _lignes_widget(
        TempsFort.objects.filter(
            menage__in=locataires, realise=False, date_prevue__gte=timezone.now()
        ).order_by("date_prevue"),
        TEMPS_FORT,
        "type",
        moment="date_prevue",
    )
    bailleur = Menage.objects.bailleur_des_locataires(user)
    if (
        bailleur is not None
        and not user.est_administrateur
        and connections[temps_forts.db].features.supports_slicing_ordering_in_compound
    ):
        # A landlord's CESF: the rest follows from her landlord, her programmes and the month,
        # read with the SQL compiled once for them (comptes.lecture.Gabarit).
        dispositifs = tuple(sorted(dispositifs_courants(user)))
        lignes, a_venir = lire_ensemble(WIDGET_CESF.pour(bailleur.pk, dispositifs, debut), temps_forts)
        lignes = [*lignes, *a_venir]
    else:
        lignes = union_tous(
            *_selections_cesf(
                locataires,
                Reclamation.objects.visible_to(user, menages=locataires),
                EtapeExpulsion.objects.visible_to(user, menages=locataires),
                ImpayesMensuels.objects.visible_to(user),
                bailleur,
                dispositifs_courants(user),
                debut,
            ),
            temps_forts,
        )
    reclamations, etapes, temps, sommes = [], [], [], {}
    nombre_reclamations = locataires_ = 0
    for genre, pk, menage_id, nom, valeur, jour, moment, nombre in lignes:
        if genre == TENDANCE:
            sommes[jour] = nombre
            continue
        if genre == LOCATAIRES:
            locataires_ = int(nombre)
            continue
        menage = Menage(pk=menage_id, nom=nom)
        if genre == RECLAMATION:
            reclamations.append(Reclamation(pk=pk, menage=menage, type=valeur, date=jour))
            nombre_reclamations = int(nombre)
        elif genre == PROCEDURE:
            etapes.append(EtapeExpulsion(pk=pk, menage=menage, etape=valeur, date=jour))
        else:
            temps.append(TempsFort(pk=pk, menage=menage, type=valeur, date_prevue=moment))
    tendance = [
        (mois, sommes.get(mois, Decimal("0")))
        for mois in (debut + relativedelta(months=i) for i in range(MOIS_TENDANCE))
    ]
    # UNION ALL does not promise to keep each selection's order: put it back.
    reclamations.sort(key=lambda r: (r.date, r.pk), reverse=True)
    etapes.sort(key=lambda e: (-e.date.toordinal(), e.menage_id))
    temps.sort(key=lambda t: t.date_prevue)
    return {
        "nombre_locataires": locataires_,
        "nombre_reclamations": nombre_reclamations,
        "reclamations": reclamations,
        "tendance": tendance,
        "procedures": [(e.menage, e.get_etape_display(), e.date) for e in etapes],
        "temps_forts": temps,
    }


def _selections_cesf(locataires, reclamations, etapes, impayes, bailleur, dispositifs, debut) -> tuple:
    """The CESF widget's selections but the key moments, each with the same columns, to make one
    UNION ALL: the first open complaints (carrying the number of all of them: a window over the
    whole selection, computed before the limit), the households' eviction procedures in progress,
    the monthly sums of arrears since `debut`, and the number of tenants. `reclamations`, `etapes`
    and `impayes` are the records the reader may read; `bailleur`, her landlord when she is a
    landlord's staff: the number of tenants is then the landlord's kept counts in `dispositifs`,
    else `locataires` counted."""
    from menages.models import EffectifBailleur

    ouvertes = reclamations.filter(statut__in=STATUTS_RECLAMATION_ACTIFS)
    # The arrears trend: the monthly totals of her landlord's programme, summed by month.
    totaux = (
        impayes.filter(mois__gte=debut)
        .order_by()
        .values("mois")
        .annotate(
            somme=Sum("total"),
            genre_=models.Value(TENDANCE),
            **{f"{nom}_": Cast(None, champ) for nom, champ in _COLONNES_SANS_TENDANCE},
        )
        .values_list("genre_", "pk_", "menage_id_", "nom_", "valeur_", "mois", "moment_", "somme")
    )
    # Each household's last step (no later one, by date then entry), read from the few steps
    # rather than from every tenant.
    plus_recente = EtapeExpulsion.objects.filter(menage=OuterRef("menage")).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk"))
    )
    procedures = etapes.filter(~Exists(plus_recente)).order_by("-date", "menage_id")
    # The number of tenants, as one row (an aggregate without grouping).
    if bailleur is not None:
        comptes = EffectifBailleur.objects.filter(bailleur=bailleur, dispositif__in=dispositifs)
        nombre = Coalesce(Sum("locataires"), 0)
    else:
        comptes, nombre = locataires, Count("pk")
    nombre_locataires = (
        comptes.order_by()
        .values(genre_=models.Value(LOCATAIRES))
        .annotate(
            **{f"{nom}_": Cast(None, champ) for nom, champ in _COLONNES_SANS_TENDANCE},
            mois_=Cast(None, models.DateField()),
            nombre_=Cast(nombre, models.DecimalField(max_digits=14, decimal_places=2)),
        )
        .values_list("genre_", "pk_", "menage_id_", "nom_", "valeur_", "mois_", "moment_", "nombre_")
    )
    return (
        _lignes_widget(
            ouvertes.order_by("-date", "-pk"),
            RECLAMATION,
            "type",
            jour="date",
            # In the column of the monthly sums of arrears (a decimal), which comes back as such.
            nombre=Cast(Window(Count("pk")), models.DecimalField(max_digits=14, decimal_places=2)),
        ),
        _lignes_widget(procedures, PROCEDURE, "etape", jour="date"),
        totaux,
        nombre_locataires,
    )


def _widget_du_bailleur(bailleur, dispositifs, debut):
    """The UNION ALL of `_selections_cesf` for a landlord's CESF: all of it follows from her
    landlord, her programmes and the first month of the trend, through the same rules as her
    `visible_to` (MenageQuerySet.locataires_du_bailleur, DossierLocatifQuerySet.des_menages,
    ImpayesMensuelsQuerySet.du_bailleur)."""
    from menages.models import Menage

    locataires = Menage.objects.locataires_du_bailleur(bailleur, dispositifs)
    premiere, *autres = _selections_cesf(
        locataires,
        Reclamation.objects.des_menages(locataires),
        EtapeExpulsion.objects.des_menages(locataires),
        ImpayesMensuels.objects.du_bailleur(bailleur, dispositifs),
        bailleur,
        dispositifs,
        debut,
    )
    return premiere.union(*autres, all=True).order_by()


# A landlord's CESF's widget but the key moments: compiled once for each of her programmes' sets
# and each first month of the trend, read with her landlord's id (comptes.lecture.Gabarit).
WIDGET_CESF = Gabarit(_widget_du_bailleur)


# The kinds of rows of the CESF widget's single query.
RECLAMATION, PROCEDURE, TEMPS_FORT, TENDANCE, LOCATAIRES = 1, 2, 3, 4, 5
# The columns a month's total of arrears leaves empty, with their types.
_COLONNES_SANS_TENDANCE = (
    ("pk", models.BigIntegerField()),
    ("menage_id", models.BigIntegerField()),
    ("nom", models.CharField()),
    ("valeur", models.CharField()),
    ("moment", models.DateTimeField()),
)


def _lignes_widget(queryset, genre, champ, jour=None, moment=None, nombre=None):
    """The first LIGNES_WIDGET rows of `queryset` as (kind, pk, household, household's name,
    `champ`, date, datetime, number): the same columns for every list, so that they make one
    UNION. The household's name is a subquery rather than a join: PostgreSQL reads it for the
    rows kept only, after the limit, not for every open complaint or step before it."""
    from menages.models import Menage

    return queryset.annotate(
        genre_=models.Value(genre),
        nom_=Subquery(Menage.objects.filter(pk=OuterRef("menage_id")).order_by().values("nom")[:1]),
        valeur_=models.F(champ),
        jour_=models.F(jour) if jour else Cast(None, models.DateField()),
        moment_=models.F(moment) if moment else Cast(None, models.DateTimeField()),
        nombre_=nombre
        if nombre is not None
        else Cast(None, models.DecimalField(max_digits=14, decimal_places=2)),
    ).values_list("genre_", "pk", "menage_id", "nom_", "valeur_", "jour_", "moment_", "nombre_")[
        :LIGNES_WIDGET
    ]


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


def membres_presents(menage, jour: datetime.date):
    """The household's members present on `jour`, as the indicators count them (DOMAINE,
    "Composition"): from their arrival (their arrival date, or their birth when none is recorded;
    with neither, since always) to their departure day included."""
    arrives = (
        Q(date_entree__lte=jour)
        | Q(date_entree__isnull=True, date_naissance__lte=jour)
        | Q(date_entree__isnull=True, date_naissance__isnull=True)
    )
    return menage.membres.filter(arrives).exclude(date_sortie__lt=jour)


def rapprochement(menage, user, jour: datetime.date | None = None) -> dict:
    """The available dwellings (both landlords' pooled stock, as `user` may see it) that fit the
    needs of the household's latest diagnostic, cheapest first, each with its taux d'effort and
    reste à vivre for the members present on `jour` (today by default)."""
    from menages.enums import TypeRessource

    diagnostic = menage.diagnostics.order_by("-date", "-pk").prefetch_related("besoin_communes").first()
    ressources = {TypeRessource.APL: Decimal("0"), "autres": Decimal("0")}
    for type_, montant in menage.ressources.values_list("type", "montant_mensuel"):
        ressources[TypeRessource.APL if type_ == TypeRessource.APL else "autres"] += montant
    personnes = max(membres_presents(menage, jour or timezone.localdate()).count(), 1)
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
    logements = logements.alias(total=models.F("loyer") + models.F("charges")).annotate(
        # The household a proposal awaiting its outcome reserves the dwelling for, if any.
        reserve_pour=Subquery(
            Attribution.objects.filter(logement=OuterRef("pk"))
            .en_cours()
            .order_by("pk")
            .values("menage_id")[:1]
        )
    )
    if diagnostic.besoin_loyer_max is not None:
        logements = logements.filter(total__lte=diagnostic.besoin_loyer_max)
    # How many fit, counted by PostgreSQL over the whole selection before its limit: one query
    # rather than a count and a list building the same conditions twice.
    logements = logements.annotate(nombre=Window(Count("pk"))).order_by("total", "commune__nom", "pk")
    premiers = list(logements[:RESULTATS_RAPPROCHEMENT])
    resultat["nombre"] = premiers[0].nombre if premiers else 0
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
        for logement in premiers
    ]
    return resultat


# The board keeps the outcomes (move-ins, refusals) of the last few months beside the proposals
# still in progress, and shows at most this many cards per column (the count says how many more).
JOURS_ISSUES = 90
CARTES_PAR_ETAPE = 30


def tableau_attributions(user, cartes: bool = True) -> dict:
    """The attribution pipeline of the households `user` may see, by step (EtapeAttribution): the
    proposals in progress, and the move-ins and refusals of the last JOURS_ISSUES days (a refusal
    with its reason). One query whatever the number of attributions. Without `cartes` (the
    dashboard shows the numbers only), the cards are not filled and only the dates and decision
    that give the step are read."""
    depuis = timezone.localdate() - datetime.timedelta(days=JOURS_ISSUES)
    attributions = (
        Attribution.objects.visible_to(user)
        .filter(
            Q(decision_cal__in=[d for d in DecisionCal if d != DecisionCal.REFUSEE], date_entree__isnull=True)
            | Q(date_entree__gte=depuis)
            | Q(decision_cal=DecisionCal.REFUSEE, date_proposition__gte=depuis)
            | Q(decision_cal=DecisionCal.REFUSEE, date_cal__gte=depuis)
        )
        .order_by("date_proposition", "pk")
    )
    if cartes:
        attributions = attributions.select_related("menage", "logement__commune", "logement__bailleur")
    else:
        attributions = attributions.only(
            "decision_cal", "date_entree", "date_bail", "date_cal", "date_visite"
        )
    colonnes = {etape: [] for etape in EtapeAttribution}
    for attribution in attributions:
        colonnes[attribution.etape].append(attribution)
    return {
        "colonnes": [
            (etape, liste[:CARTES_PAR_ETAPE] if cartes else [], len(liste))
            for etape, liste in colonnes.items()
        ],
        "en_cours": sum(
            len(liste)
            for etape, liste in colonnes.items()
            if etape not in (EtapeAttribution.ENTRE, EtapeAttribution.REFUSE)
        ),
        "jours_issues": JOURS_ISSUES,
    }
