"""Indicators of a programme over a period [debut, fin], as defined in the domain notes
(docs: DOMAINE.md, "Indicator definitions").

Each function is pure: it takes querysets and dates and returns plain values, aggregated in the
database with a fixed number of queries whatever the number of households. `calculer` gathers them
for a report. Counts here are exact; statistical secrecy (`financement.secret_statistique`) is
applied when they are shown.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from accompagnement.enums import (
    Axe,
    OrigineChangementNiveau,
    SituationSortie,
    StatutObjectif,
    TypeContact,
    TypeTempsFort,
)
from accompagnement.models import Accompagnement, ChangementNiveau, Contact, TempsFort
from comites.enums import Decision, TypeInstance
from comites.models import PointOrdreDuJour, Seance
from comptes.enums import CodeNiveau
from comptes.models import NiveauAccompagnement
from financement.enums import TypeLigne
from financement.models import Convention, LigneBudgetaire, PartFinanceur
from logements.enums import DecisionFsl
from menages.enums import (
    DomaineDiagnostic,
    EtapeBdf,
    LienMembre,
    MotifSortie,
    Problematique,
    SourceOrientation,
    TypeDiagnostic,
)
from menages.models import Dette, Diagnostic, Menage

# Exit situations that count as an achieved outcome (see DOMAINE.md).
SITUATIONS_ACCES_REUSSI = (SituationSortie.BAIL_DIRECT, SituationSortie.IML)
SITUATIONS_MAINTIEN_REUSSI = (
    SituationSortie.MAINTIEN,
    SituationSortie.RELOGE,
    SituationSortie.BAIL_DIRECT,
    SituationSortie.IML,
)
JOURS_PAR_MOIS = 30.44
TAILLES = ["1 personne", "2 personnes", "3 personnes", "4 personnes", "5 personnes et plus"]


@dataclass(frozen=True)
class Periode:
    debut: datetime.date
    fin: datetime.date

    @property
    def jours(self):
        return (self.fin - self.debut).days + 1


def _minuit(jour, jours_apres=0):
    """The start of `jour` (plus `jours_apres` days) in the local time zone: filtering a date-time
    between two of them, rather than on its local date, lets the database use an index on it."""
    return timezone.make_aware(
        datetime.datetime.combine(jour + datetime.timedelta(days=jours_apres), datetime.time())
    )


def _counts(rows, choices, key="cle"):
    """[(label, n)] for every choice, zeros included, from rows of {key, n}."""
    found = {row[key]: row["n"] for row in rows}
    return [(label, found.get(value, 0)) for value, label in choices]


# --- Episodes ---------------------------------------------------------------------------------


def episodes_suivis(accompagnements, p: Periode):
    """Episodes that overlap the period."""
    return accompagnements.filter(Q(date_fin__isnull=True) | Q(date_fin__gte=p.debut), date_debut__lte=p.fin)


def episodes_entres(accompagnements, p: Periode):
    return accompagnements.filter(date_debut__range=(p.debut, p.fin))


def episodes_sortis(accompagnements, p: Periode):
    return accompagnements.filter(date_fin__range=(p.debut, p.fin))


def menages_suivis(menages, accompagnements, p: Periode):
    """Households with an episode overlapping the period."""
    return menages.filter(pk__in=episodes_suivis(accompagnements, p).values("menage_id"))


def effectifs(menages, accompagnements, p: Periode) -> dict:
    """Households followed, entries and exits of the period (one query)."""
    suivis = episodes_suivis(accompagnements, p)
    row = suivis.aggregate(
        suivis=Count("menage", distinct=True),
        entrees=Count("pk", filter=Q(date_debut__gte=p.debut)),
        sorties=Count("pk", filter=Q(date_fin__lte=p.fin)),
    )
    return row


def par_source(menages_periode) -> list:
    rows = menages_periode.order_by().values(cle=F("source_orientation")).annotate(n=Count("pk"))
    return _counts(rows, SourceOrientation.choices)


def par_problematique(menages_periode) -> list:
    rows = menages_periode.order_by().values(cle=F("problematique")).annotate(n=Count("pk"))
    return _counts(rows, Problematique.choices)


def par_bailleur(menages_periode) -> list:
    rows = (
        menages_periode.order_by().values("bailleur__nom").annotate(n=Count("pk")).order_by("bailleur__nom")
    )
    return [(row["bailleur__nom"] or "Sans bailleur", row["n"]) for row in rows]


def composition(menages_periode) -> list:
    """Households by number of persons currently in the household, with or without children. One
    query: each household's members are counted once (a join grouped by household), then the
    households are counted by size (a household with no member recorded counts as 1 person)."""
    presents = Q(membres__date_sortie__isnull=True)
    par_menage = menages_periode.order_by().annotate(
        nb=Count("membres", filter=presents),
        enfants=Count("membres", filter=presents & Q(membres__lien=LienMembre.ENFANT)),
    )
    tailles = [Q(nb__lte=1), Q(nb=2), Q(nb=3), Q(nb=4), Q(nb__gte=5)]
    aggregats = {}
    for i, taille in enumerate(tailles):
        aggregats[f"n_{i}"] = Count("pk", filter=taille)
        aggregats[f"avec_{i}"] = Count("pk", filter=taille & Q(enfants__gt=0))
    row = par_menage.aggregate(**aggregats)
    return [(label, row[f"n_{i}"], row[f"avec_{i}"]) for i, label in enumerate(TAILLES)]


def _niveau_a(date_limite):
    """Subquery: the level of an episode on `date_limite` (its last level change up to then)."""
    return Subquery(
        ChangementNiveau.objects.filter(accompagnement=OuterRef("pk"), date_effet__lte=date_limite)
        .order_by("-date_effet", "-pk")
        .values("nouveau_niveau")[:1]
    )


def _annoter_niveau_et_duree(episodes, p: Periode):
    """Each episode with its level at its end (or at the period's end) and its duration in days,
    from its start to its end, or to the period's end if it is still open then."""
    fin = Case(
        When(date_fin__isnull=False, date_fin__lte=p.fin, then=F("date_fin")),
        default=Value(p.fin),
    )
    return (
        episodes.annotate(fin_calcul=fin)
        .annotate(niveau_periode=Coalesce(_niveau_a(OuterRef("fin_calcul")), F("niveau")))
        .annotate(duree=ExpressionWrapper(F("fin_calcul") - F("date_debut"), output_field=DurationField()))
    )


def par_niveau(accompagnements, p: Periode, durees_max: dict | None = None) -> list:
    """Mix of levels and durations: for each level, the episodes of the period, their total, mean
    and longest duration in days, and, against the programme's maximum duration of the level
    (`durees_max`: code -> months, a month counted as 30.44 days), how many went beyond it (one
    query)."""
    durees_max = {code: mois for code, mois in (durees_max or {}).items() if mois}
    # Each row is one level; of its `depasse_<code>` counts, only its own level's is read. The
    # filters do not name the level, so PostgreSQL looks it up once per episode, not once per filter.
    depassements = {
        f"depasse_{code}": Count(
            "pk", filter=Q(duree__gt=datetime.timedelta(days=round(mois * JOURS_PAR_MOIS)))
        )
        for code, mois in durees_max.items()
    }
    rows = (
        _annoter_niveau_et_duree(episodes_suivis(accompagnements, p), p)
        .order_by()
        .values(cle=F("niveau_periode"))
        .annotate(n=Count("pk"), total=Sum("duree"), plus_longue=Max("duree"), **depassements)
    )
    found = {row["cle"]: row for row in rows}
    result = []
    for value, label in CodeNiveau.choices:
        row = found.get(value)
        n = row["n"] if row else 0
        total = row["total"].days if row and row["total"] is not None else 0
        result.append(
            {
                "niveau": label,
                "code": value,
                "n": n,
                "jours_total": total,
                "jours_moyen": round(total / n) if n else None,
                "jours_max": row["plus_longue"].days if row and row["plus_longue"] is not None else None,
                "duree_max_mois": durees_max.get(value),
                "depassements": (row or {}).get(f"depasse_{value}", 0) if value in durees_max else None,
            }
        )
    return result


def changements_niveau(accompagnements, p: Periode) -> list:
    """Committee decisions that changed a level, dated by their effective date, in the period:
    [(from label, to label, n)]."""
    rows = (
        ChangementNiveau.objects.filter(
            accompagnement__in=accompagnements,
            origine=OrigineChangementNiveau.COMITE,
            date_effet__range=(p.debut, p.fin),
        )
        .exclude(ancien_niveau=F("nouveau_niveau"))
        .order_by()
        .values("ancien_niveau", "nouveau_niveau")
        .annotate(n=Count("pk"))
        .order_by("ancien_niveau", "nouveau_niveau")
    )
    labels = dict(CodeNiveau.choices)
    return [(labels.get(r["ancien_niveau"], "–"), labels[r["nouveau_niveau"]], r["n"]) for r in rows]


def motifs_sortie(accompagnements, p: Periode) -> list:
    rows = (
        episodes_sortis(accompagnements, p).order_by().values(cle=F("motif_sortie")).annotate(n=Count("pk"))
    )
    return _counts(rows, MotifSortie.choices)


def situations_sortie(accompagnements, p: Periode) -> list:
    rows = (
        episodes_sortis(accompagnements, p)
        .order_by()
        .values(cle=F("situation_sortie"))
        .annotate(n=Count("pk"))
    )
    return _counts(rows, SituationSortie.choices)


def resultats(accompagnements, p: Periode) -> dict:
    """Outcomes of the exits of the period, by the household's problem at referral: access achieved
    (a lease signed, direct or through IML, before exit) and maintien achieved (still in the
    dwelling, or rehoused, at exit). One query."""
    bail_signe = TempsFort.objects.filter(
        menage=OuterRef("menage"),
        type=TypeTempsFort.SIGNATURE,
        realise=True,
        date_prevue__date__lte=OuterRef("date_fin"),
    )
    acces = Q(menage__problematique=Problematique.ACCES)
    maintien = Q(menage__problematique=Problematique.MAINTIEN)
    row = (
        episodes_sortis(accompagnements, p)
        .annotate(bail_signe=Exists(bail_signe))
        .aggregate(
            acces=Count("pk", filter=acces),
            acces_reussi=Count(
                "pk", filter=acces & (Q(situation_sortie__in=SITUATIONS_ACCES_REUSSI) | Q(bail_signe=True))
            ),
            maintien=Count("pk", filter=maintien),
            maintien_reussi=Count("pk", filter=maintien & Q(situation_sortie__in=SITUATIONS_MAINTIEN_REUSSI)),
        )
    )
    return row


def mesures_obtenues(menages_periode, p: Periode) -> dict:
    """Among the households followed in the period: a repayment plan started in the period, an FSL
    aid granted in the period, rights opened (an objective of the axis "gestion administrative et
    ouverture de droits" reached), and rehousing (a maintien household that left with a new
    dwelling). One query."""
    from accompagnement.models import Objectif
    from logements.models import AideFsl, PlanApurement

    def parmi(queryset):
        # The households of `queryset`, looked up once (a hashed list), not once per household.
        return Q(pk__in=queryset.values("menage_id"))

    row = menages_periode.aggregate(
        plan_apurement=Count(
            "pk", filter=parmi(PlanApurement.objects.filter(date_debut__range=(p.debut, p.fin)))
        ),
        fsl=Count(
            "pk",
            filter=parmi(
                AideFsl.objects.filter(decision=DecisionFsl.ACCORDEE, date_decision__range=(p.debut, p.fin))
            ),
        ),
        droits_ouverts=Count(
            "pk", filter=parmi(Objectif.objects.filter(axe=Axe.ADMINISTRATIF, statut=StatutObjectif.ATTEINT))
        ),
        relogement=Count(
            "pk",
            filter=Q(problematique=Problematique.MAINTIEN)
            & parmi(
                Accompagnement.objects.filter(
                    situation_sortie=SituationSortie.RELOGE, date_fin__range=(p.debut, p.fin)
                )
            ),
        ),
    )
    return row


def expulsions_stoppees(accompagnements, p: Periode) -> dict:
    """Eviction procedures stopped, by the last step reached (DOMAINE): procedures open when the
    support began (a step dated before its start) with no further step since, for the episodes
    followed in the period (the support: the household's latest episode of the period). One query,
    whatever the number of households."""
    from logements.enums import EtapeProcedure
    from logements.models import EtapeExpulsion

    suivis = episodes_suivis(accompagnements, p)
    debut = Subquery(
        suivis.filter(menage_id=OuterRef("menage_id")).order_by("-date_debut").values("date_debut")[:1]
    )
    etapes = (
        EtapeExpulsion.objects.filter(menage__in=suivis.values("menage_id"), date__lte=p.fin)
        .annotate(debut=debut)
        .values_list("menage_id", "etape", "date", "debut")
    )
    ordre = {value: n for n, value in enumerate(EtapeProcedure.values)}
    avant, apres = {}, set()
    for menage_id, etape, date, debut_menage in etapes:
        if date < debut_menage:
            if ordre[etape] >= ordre.get(avant.get(menage_id), -1):
                avant[menage_id] = etape
        else:
            apres.add(menage_id)
    stoppees = [etape for menage_id, etape in avant.items() if menage_id not in apres]
    par_etape = [(label, stoppees.count(value)) for value, label in EtapeProcedure.choices]
    return {"total": len(stoppees), "par_etape": par_etape}


def suivi_apres_sortie(menages, p: Periode) -> dict:
    """The housing situations recorded 6 and 12 months after exit, in the period (one query):
    {"6": [(label, n)], "12": [(label, n)]}."""
    from accompagnement.enums import SituationSortie
    from accompagnement.models import SuiviPostSortie

    rows = (
        SuiviPostSortie.objects.filter(accompagnement__menage__in=menages, date__range=(p.debut, p.fin))
        .order_by()
        .values("echeance_mois", cle=F("situation"))
        .annotate(n=Count("pk"))
    )
    par_echeance = {6: [], 12: []}
    for row in rows:
        par_echeance[row["echeance_mois"]].append(row)
    six, douze = (_counts(par_echeance[m], SituationSortie.choices) for m in (6, 12))
    return [(label, n6, n12) for (label, n6), (_l, n12) in zip(six, douze, strict=True)]


def dossiers_bdf(menages_periode) -> list:
    """Households followed with an over-indebtedness file (Banque de France), by step."""
    rows = (
        Dette.objects.filter(menage__in=menages_periode)
        .exclude(etape_bdf=EtapeBdf.AUCUN)
        .order_by()
        .values(cle=F("etape_bdf"))
        .annotate(n=Count("menage", distinct=True))
    )
    return _counts(rows, [c for c in EtapeBdf.choices if c[0]])


def contacts(menages, p: Periode) -> dict:
    """Contacts of the period: number, time spent, by type, and the TISF hours (one query)."""
    rows = (
        Contact.objects.filter(menage__in=menages, date__gte=_minuit(p.debut), date__lt=_minuit(p.fin, 1))
        .order_by()
        .values(cle=F("type"))
        .annotate(n=Count("pk"), minutes=Sum("duree_minutes"))
    )
    found = {row["cle"]: row for row in rows}
    par_type = [
        (label, found[v]["n"] if v in found else 0, found[v]["minutes"] if v in found else 0)
        for v, label in TypeContact.choices
    ]
    return {
        "nombre": sum(r[1] for r in par_type),
        "minutes": sum(r[2] for r in par_type),
        "par_type": par_type,
        "minutes_tisf": found[TypeContact.TISF]["minutes"] if TypeContact.TISF in found else 0,
    }


def progression_domaines(accompagnements, p: Periode) -> list:
    """For the exits of the period: per diagnostic domain, the households with both an entry and
    an exit score in the same path, their mean scores and the mean progress (exit minus entry).
    One query."""

    def score(type_, domaine):
        return Subquery(
            Diagnostic.objects.filter(
                menage=OuterRef("menage"), numero_parcours=OuterRef("numero_parcours"), type=type_
            )
            .order_by("-date", "-pk")
            .values(f"score_{domaine}")[:1],
            output_field=IntegerField(),
        )

    annotations = {}
    for d in DomaineDiagnostic.values:
        annotations[f"e_{d}"] = score(TypeDiagnostic.ENTREE, d)
        annotations[f"s_{d}"] = score(TypeDiagnostic.SORTIE, d)
    # values("pk").distinct(): the scores are looked up in a subquery that PostgreSQL keeps as it is,
    # once per episode; flattened into the aggregate, each would be looked up once per reference.
    qs = episodes_sortis(accompagnements, p).annotate(**annotations).values("pk", *annotations).distinct()
    aggregates = {}
    for d in DomaineDiagnostic.values:
        both = Q(**{f"e_{d}__isnull": False, f"s_{d}__isnull": False})
        aggregates[f"n_{d}"] = Count("pk", filter=both)
        aggregates[f"entree_{d}"] = Avg(f"e_{d}", filter=both)
        aggregates[f"sortie_{d}"] = Avg(f"s_{d}", filter=both)
    row = qs.aggregate(**aggregates)
    result = []
    for value, label in DomaineDiagnostic.choices:
        n = row[f"n_{value}"]
        entree, sortie = row[f"entree_{value}"], row[f"sortie_{value}"]
        result.append(
            {
                "domaine": label,
                "n": n,
                "entree": round(entree, 2) if n else None,
                "sortie": round(sortie, 2) if n else None,
                "progression": round(sortie - entree, 2) if n else None,
            }
        )
    return result


def activite_comite(dispositif, p: Periode) -> dict:
    """Sessions of the comité de suivi held in the period (not the urgent consultations between
    sessions) and the decisions taken (two queries)."""
    seances = (
        Seance.objects.tenues()
        .filter(
            instance__dispositif=dispositif,
            instance__type=TypeInstance.COMITE_SUIVI,
            urgente=False,
            date__date__range=(p.debut, p.fin),
        )
        .count()
    )
    rows = (
        PointOrdreDuJour.objects.decides()
        .filter(seance__instance__dispositif=dispositif, decide_le__date__range=(p.debut, p.fin))
        .order_by()
        .values(cle=F("decision"))
        .annotate(n=Count("pk"))
    )
    decisions = _counts(rows, Decision.choices)
    return {"seances": seances, "decisions": decisions, "total_decisions": sum(n for _l, n in decisions)}


def budget(convention, p: Periode) -> dict:
    """Planned and actual expenses per line over the calendar years the period touches, and the
    payments received from each funder in the period and since the start (three queries)."""
    if convention is None:
        return None
    annees = range(p.debut.year, p.fin.year + 1)
    zero = Decimal("0")
    lignes = (
        LigneBudgetaire.objects.filter(convention=convention)
        .annotate(
            prevu=Coalesce(Sum("montants__prevu", filter=Q(montants__annee__in=annees)), zero),
            realise=Coalesce(Sum("montants__realise", filter=Q(montants__annee__in=annees)), zero),
            prevu_convention=Coalesce(Sum("montants__prevu"), zero),
        )
        .order_by("ordre", "pk")
    )
    lignes = [
        {
            "libelle": ligne.libelle,
            "type": TypeLigne(ligne.type).label,
            "prevu": ligne.prevu,
            "realise": ligne.realise,
            "taux": _taux(ligne.realise, ligne.prevu),
            "prevu_convention": ligne.prevu_convention,
        }
        for ligne in lignes
    ]
    total_convention = sum((ligne["prevu_convention"] for ligne in lignes), zero)
    parts = (
        PartFinanceur.objects.filter(convention=convention)
        .select_related("financeur")
        .annotate(
            verse_periode=Coalesce(
                Sum("versements__montant", filter=Q(versements__date__range=(p.debut, p.fin))), zero
            ),
            verse_total=Coalesce(Sum("versements__montant", filter=Q(versements__date__lte=p.fin)), zero),
        )
        .order_by("-pourcentage", "pk")
    )
    parts = [
        {
            "financeur": str(part.financeur),
            "libelle": part.libelle,
            "pourcentage": part.pourcentage,
            "statut": part.get_statut_display(),
            "attendu": (total_convention * part.pourcentage / 100).quantize(Decimal("0.01")),
            "verse_periode": part.verse_periode,
            "verse_total": part.verse_total,
        }
        for part in parts
    ]
    prevu = sum((ligne["prevu"] for ligne in lignes), zero)
    realise = sum((ligne["realise"] for ligne in lignes), zero)
    return {
        "annees": list(annees),
        "lignes": lignes,
        "prevu": prevu,
        "realise": realise,
        "taux": _taux(realise, prevu),
        "total_convention": total_convention,
        "parts": parts,
    }


def _taux(realise, prevu):
    return round(Decimal(realise) * 100 / prevu, 1) if prevu else None


def objectifs(dispositif, accompagnements, p: Periode) -> dict:
    """Progress against the programme's targets up to the end of the period: households that
    entered support since the start (total, per landlord, per year) and the intake pace (two
    queries)."""
    depuis_debut = accompagnements.filter(date_debut__lte=p.fin)
    par_bailleur = (
        Menage.objects.filter(pk__in=depuis_debut.values("menage_id"))
        .order_by()
        .values("bailleur__nom")
        .annotate(n=Count("pk"))
        .order_by("bailleur__nom")
    )
    par_an = (
        depuis_debut.order_by()
        .annotate(annee=ExtractYear("date_debut"))
        .values("annee")
        .annotate(n=Count("menage", distinct=True))
        .order_by("annee")
    )
    bailleurs = [(r["bailleur__nom"] or "Sans bailleur", r["n"]) for r in par_bailleur]
    total = sum(n for _b, n in bailleurs)
    jours_ecoules = max(0, (min(p.fin, dispositif.date_fin) - dispositif.date_debut).days + 1)
    jours_convention = (dispositif.date_fin - dispositif.date_debut).days + 1
    attendu = round(dispositif.objectif_menages_total * jours_ecoules / jours_convention)
    return {
        "total": total,
        "objectif_total": dispositif.objectif_menages_total,
        "objectif_par_bailleur": dispositif.objectif_menages_par_bailleur,
        "objectif_par_an": dispositif.objectif_menages_par_an,
        "par_bailleur": bailleurs,
        "par_an": [(r["annee"], r["n"]) for r in par_an],
        "attendu_a_date": attendu,
        "taux": _taux(total, dispositif.objectif_menages_total),
    }


def calculer(dispositif, debut: datetime.date, fin: datetime.date) -> dict:
    """Every indicator of a programme for the period, with a fixed number of queries."""
    p = Periode(debut, fin)
    menages = Menage.objects.filter(dispositif=dispositif)
    accompagnements = Accompagnement.objects.filter(menage__dispositif=dispositif)
    menages_periode = menages_suivis(menages, accompagnements, p)
    convention = Convention.objects.filter(dispositif=dispositif).first()
    return {
        "periode": p,
        "effectifs": effectifs(menages, accompagnements, p),
        "par_source": par_source(menages_periode),
        "par_problematique": par_problematique(menages_periode),
        "par_bailleur": par_bailleur(menages_periode),
        "composition": composition(menages_periode),
        "par_niveau": par_niveau(
            accompagnements,
            p,
            dict(
                NiveauAccompagnement.objects.filter(dispositif=dispositif).values_list(
                    "code", "duree_max_mois"
                )
            ),
        ),
        "changements_niveau": changements_niveau(accompagnements, p),
        "motifs_sortie": motifs_sortie(accompagnements, p),
        "situations_sortie": situations_sortie(accompagnements, p),
        "resultats": resultats(accompagnements, p),
        "expulsions_stoppees": expulsions_stoppees(accompagnements, p),
        "mesures": mesures_obtenues(menages_periode, p),
        "suivi_apres_sortie": suivi_apres_sortie(menages, p),
        "dossiers_bdf": dossiers_bdf(menages_periode),
        "contacts": contacts(menages, p),
        "progression": progression_domaines(accompagnements, p),
        "comite": activite_comite(dispositif, p),
        "convention": convention,
        "budget": budget(convention, p),
        "objectifs": objectifs(dispositif, accompagnements, p),
    }


# --- Figures kept (IndicateursArretes) --------------------------------------------------------

# What `calculer` returns but is a record, not a figure: not kept with the figures.
NON_ARRETES = ("convention",)


def chiffres(indicateurs) -> dict:
    """The indicators of `calculer` without the records that come with them (NON_ARRETES)."""
    return {cle: valeur for cle, valeur in indicateurs.items() if cle not in NON_ARRETES}


def vers_json(valeur):
    """The figures of `calculer` as JSON, tagged so that `depuis_json` gives back exactly the same
    values and types (dates, decimals, tuples, the period)."""
    if isinstance(valeur, Periode):
        return {"__periode__": [valeur.debut.isoformat(), valeur.fin.isoformat()]}
    if isinstance(valeur, Decimal):
        return {"__decimal__": str(valeur)}
    if isinstance(valeur, datetime.date) and not isinstance(valeur, datetime.datetime):
        return {"__date__": valeur.isoformat()}
    if isinstance(valeur, tuple):
        return {"__tuple__": [vers_json(v) for v in valeur]}
    if isinstance(valeur, list):
        return [vers_json(v) for v in valeur]
    if isinstance(valeur, dict):
        if not all(isinstance(cle, str) and not cle.startswith("__") for cle in valeur):
            raise TypeError(f"Clés non prises en charge : {list(valeur)}")
        return {cle: vers_json(v) for cle, v in valeur.items()}
    if valeur is None or isinstance(valeur, bool | int | float | str):
        return valeur
    raise TypeError(f"Valeur non prise en charge : {type(valeur).__name__}")


def depuis_json(donnees):
    """The reverse of `vers_json`."""
    if isinstance(donnees, list):
        return [depuis_json(v) for v in donnees]
    if isinstance(donnees, dict):
        if "__periode__" in donnees:
            debut, fin = donnees["__periode__"]
            return Periode(datetime.date.fromisoformat(debut), datetime.date.fromisoformat(fin))
        if "__decimal__" in donnees:
            return Decimal(donnees["__decimal__"])
        if "__date__" in donnees:
            return datetime.date.fromisoformat(donnees["__date__"])
        if "__tuple__" in donnees:
            return tuple(depuis_json(v) for v in donnees["__tuple__"])
        return {cle: depuis_json(v) for cle, v in donnees.items()}
    return donnees
