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

from dateutil.relativedelta import relativedelta
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from accompagnement.enums import (
    Axe,
    OrigineChangementNiveau,
    SituationSortie,
    TypeContact,
)
from accompagnement.models import Accompagnement, ChangementNiveau, Contact
from comites.enums import Decision, TypeInstance
from comites.models import PointOrdreDuJour, Seance
from comptes.enums import CodeNiveau, TypeOrganisation
from comptes.models import NiveauAccompagnement, Organisation
from financement.enums import TypeLigne
from financement.models import Convention, LigneBudgetaire, PartFinanceur
from logements.enums import DecisionFsl
from logements.models import Bail, MobilisationLogement
from menages.enums import (
    DomaineDiagnostic,
    EtapeBdf,
    LienMembre,
    MotifSortie,
    Problematique,
    SourceOrientation,
    TypeDiagnostic,
)
from menages.models import Diagnostic, EtapeDossierBdf, Membre, Menage, Saisine
from menages.selectors import rang_par_menage

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
PERSONNE_SEULE = "Personne seule"
PARENT_SEUL = "Parent seul avec enfants"
COUPLE_SANS_ENFANT = "Couple sans enfant"
COUPLE_AVEC_ENFANTS = "Couple avec enfants"
AUTRE_TYPOLOGIE = "Autre composition"
TYPOLOGIES = [PERSONNE_SEULE, PARENT_SEUL, COUPLE_SANS_ENFANT, COUPLE_AVEC_ENFANTS, AUTRE_TYPOLOGIE]
AGE_ADULTE = 18


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


def _saisine(champ):
    """Subquery: a field of the referral of an episode's path (`Saisine`, recorded at referral and
    never rewritten by a later referral of the household)."""
    # Unordered: a path has one referral, and Saisine's default ordering (by household, hence by
    # the household's name) would join and sort the households for each row.
    return Subquery(
        Saisine.objects.filter(menage=OuterRef("menage"), numero_parcours=OuterRef("numero_parcours"))
        .order_by()
        .values(champ)[:1]
    )


SANS_SAISINE = (None, None, None)


@dataclass(frozen=True)
class Reference:
    """What the household-level figures of a period read, fetched once (three queries): each
    household followed with the paths of its episodes overlapping the period and the exit of its
    latest one, the referrals of its paths, and the members present on its composition day."""

    # menage id -> (numero_parcours, date_fin) of its latest episode overlapping the period
    episodes: dict
    # (menage id, numero_parcours) -> (source, problematique, landlord's name)
    saisines: dict
    # menage id -> [(lien, est_enfant)] of the members present on its composition day
    membres: dict
    # menage id -> the paths (numero_parcours) of all its episodes overlapping the period
    parcours: dict

    def saisines_du_menage(self, menage_id) -> list:
        """The referral of each of the household's episodes of the period, oldest first."""
        return [self.saisines.get((menage_id, n), SANS_SAISINE) for n in self.parcours[menage_id]]


def reference(accompagnements, p: Periode) -> Reference:
    suivis = episodes_suivis(accompagnements, p)
    episodes, parcours = {}, {}
    # Oldest first: the last row of a household is its latest episode.
    for menage_id, numero, date_fin in suivis.order_by("menage_id", "date_debut", "pk").values_list(
        "menage_id", "numero_parcours", "date_fin"
    ):
        episodes[menage_id] = (numero, date_fin)
        chemins = parcours.setdefault(menage_id, [])
        if numero not in chemins:
            chemins.append(numero)
    saisines = {
        (menage_id, numero): (source, problematique, bailleur)
        for menage_id, numero, source, problematique, bailleur in Saisine.objects.filter(
            menage__in=suivis.values("menage_id")
        )
        .order_by()
        .values_list("menage_id", "numero_parcours", "source_orientation", "problematique", "bailleur__nom")
    }
    return Reference(episodes, saisines, _membres_presents(suivis, episodes, p), parcours)


def _par_saisine(accompagnements, p: Periode, rang, ref: Reference | None):
    """Households followed per value of a referral fact (`rang` in the referral's tuple), each
    household counted once under the value of each of its episodes of the period: a household
    that re-entered with a different referral counts under both, with the same referral once."""
    ref = ref or reference(accompagnements, p)
    comptes = {}
    for menage_id in ref.episodes:
        for cle in dict.fromkeys(saisine[rang] for saisine in ref.saisines_du_menage(menage_id)):
            comptes[cle] = comptes.get(cle, 0) + 1
    return [{"cle": cle, "n": n} for cle, n in comptes.items()]


def par_source(accompagnements, p: Periode, ref: Reference | None = None) -> list:
    """*Households followed by referral source* (DOMAINE, "Referral facts belong to the episode"):
    the source "recorded at referral and never rewritten by a later referral of the same
    household", read for each of the household's episodes of the period: a household that
    re-entered with a different source counts under each (the rows may add up to more than the
    households followed)."""
    return _counts(_par_saisine(accompagnements, p, 0, ref), SourceOrientation.choices)


def par_problematique(accompagnements, p: Periode, ref: Reference | None = None) -> list:
    """*Access vs maintien* (DOMAINE): "A household counts in access or maintien from its episode's
    referral" (access: no dwelling of its own at referral; maintien: a tenant whose tenancy is at
    risk), for each of its episodes of the period: a household that left as access and re-entered
    as maintien in the same period counts in both."""
    return _counts(_par_saisine(accompagnements, p, 1, ref), Problematique.choices)


def par_bailleur(accompagnements, p: Periode, ref: Reference | None = None) -> list:
    """Households followed by the landlord recorded at the referral of each of their episodes of the
    period (DOMAINE, "Referral facts belong to the episode")."""
    rows = _par_saisine(accompagnements, p, 2, ref)
    return sorted((row["cle"] or "Sans bailleur", row["n"]) for row in rows)


def _jour_de_composition(date_fin, p: Periode):
    """The day a household's composition is read: its exit day if its episode ended in the period,
    else the period's last day."""
    return date_fin if date_fin is not None and p.debut <= date_fin <= p.fin else p.fin


def _membres_presents(suivis, episodes, p: Periode) -> dict:
    """For each household followed, its members present on its composition day, as
    [(lien, est_enfant)] (one query). A member is present from their arrival (their arrival date,
    or their birth when none is recorded; with neither, since always) to their departure day
    included. A child is under 18 on that day; a member whose birth date is unknown counts as a
    child only if recorded as a child of the head."""
    jours = {
        menage_id: _jour_de_composition(date_fin, p) for menage_id, (_parcours, date_fin) in episodes.items()
    }
    presents = {menage_id: [] for menage_id in jours}
    membres = Membre.objects.filter(menage__in=suivis.values("menage_id")).values_list(
        "menage_id", "lien", "date_naissance", "date_entree", "date_sortie"
    )
    for menage_id, lien, naissance, entree, sortie in membres.order_by():
        jour = jours[menage_id]
        arrivee = entree or naissance
        if (arrivee is not None and arrivee > jour) or (sortie is not None and sortie < jour):
            continue
        if naissance is not None:
            enfant = jour < naissance + relativedelta(years=AGE_ADULTE)
        else:
            enfant = lien == LienMembre.ENFANT
        presents[menage_id].append((lien, enfant))
    return presents


def composition(accompagnements, p: Periode, ref: Reference | None = None) -> list:
    """*Composition* (DOMAINE, "Composition and typology"): households followed by number of
    persons, and of them those with children, from "the members present on the period's last day
    (for an exit: on the exit day), from the members' arrival and departure dates"; "a child is
    under 18 on that day". A household with no member present counts as 1 person."""
    lignes = [[label, 0, 0] for label in TAILLES]
    for membres in (ref or reference(accompagnements, p)).membres.values():
        ligne = lignes[min(max(len(membres), 1), len(TAILLES)) - 1]
        ligne[1] += 1
        ligne[2] += any(enfant for _lien, enfant in membres)
    return [tuple(ligne) for ligne in lignes]


def typologie(accompagnements, p: Periode, ref: Reference | None = None) -> list:
    """*Typology* (DOMAINE, "Composition and typology"): single person, single parent with
    children, couple without children, couple with children, other; from the members present on
    the period's last day (for an exit: the exit day), a child being under 18 on that day. A couple
    is the head and their spouse, the household's only adults; a household with no member present
    counts as a single person. [(label, n)]."""
    comptes = dict.fromkeys(TYPOLOGIES, 0)
    for membres in (ref or reference(accompagnements, p)).membres.values():
        adultes = [lien for lien, enfant in membres if not enfant]
        enfants = len(membres) - len(adultes)
        if len(adultes) <= 1:
            cle = PERSONNE_SEULE if not enfants else (PARENT_SEUL if adultes else AUTRE_TYPOLOGIE)
        elif sorted(adultes) == sorted([LienMembre.CHEF, LienMembre.CONJOINT]):
            cle = COUPLE_AVEC_ENFANTS if enfants else COUPLE_SANS_ENFANT
        else:
            cle = AUTRE_TYPOLOGIE
        comptes[cle] += 1
    return list(comptes.items())


def _jours_max(mois):
    return round(mois * JOURS_PAR_MOIS)


def jours_par_niveau(accompagnements, p: Periode) -> dict:
    """{(episode id, level code): days} for the episodes followed in the period and each level they
    were in during it: the days from the day the level began (its change's effective date) to the
    day it ended (the next change's effective date, the episode's end) or to the period's end,
    counted from the level's start even before the period. A renewal of the same level, or a return
    to it (even after a time in it before the period), adds to the same level's days. One query."""
    rows = (
        episodes_suivis(accompagnements, p)
        .annotate(
            changement=FilteredRelation(
                "changements_niveau", condition=Q(changements_niveau__date_effet__lte=p.fin)
            )
        )
        .order_by("pk", "changement__date_effet", "changement__pk")
        .values_list(
            "pk",
            "niveau",
            "date_debut",
            "date_fin",
            "changement__ancien_niveau",
            "changement__nouveau_niveau",
            "changement__date_effet",
        )
    )
    episodes, par_episode, dans_la_periode = {}, {}, set()
    for episode_id, niveau, debut, date_fin, ancien, nouveau, date_effet in rows:
        episodes[episode_id] = (niveau, debut, date_fin)
        if date_effet is not None:
            par_episode.setdefault(episode_id, []).append((ancien, nouveau, date_effet))
    jours = {}
    for episode_id, (niveau, debut, date_fin) in episodes.items():
        fin = min(date_fin, p.fin) if date_fin else p.fin
        etapes = par_episode.get(episode_id) or [("", niveau, debut)]
        if etapes[0][2] > debut:
            # The level held before the first change recorded: the one that change left.
            etapes.insert(0, ("", etapes[0][0] or etapes[0][1], debut))
        for n, (_ancien, code, depuis) in enumerate(etapes):
            jusqu_a = etapes[n + 1][2] if n + 1 < len(etapes) else fin
            dernier_jour = jusqu_a - datetime.timedelta(days=1) if n + 1 < len(etapes) else fin
            if dernier_jour < depuis:
                continue  # replaced the day it began
            cle = (episode_id, code)
            jours[cle] = jours.get(cle, 0) + (jusqu_a - depuis).days
            if dernier_jour >= p.debut:
                dans_la_periode.add(cle)
    return {cle: n for cle, n in jours.items() if cle in dans_la_periode}


def par_niveau(accompagnements, p: Periode, durees_max: dict | None = None) -> list:
    """*Duration per level* and *beyond the maximum* (DOMAINE): for each level, the episodes followed
    that were in it during the period, the "days spent in each level (from the day the level began
    to the day it ended, or to the period's end)" (total, mean, longest) and, against the level's
    maximum duration (`durees_max`: code -> months, a month counted as 30.44 days), the episodes
    whose "days spent in a level (renewals of the same level added up)" went over it, and the days
    over it. One query."""
    durees_max = {code: mois for code, mois in (durees_max or {}).items() if mois}
    par_code = {}
    for (_episode, code), jours in jours_par_niveau(accompagnements, p).items():
        par_code.setdefault(code, []).append(jours)
    result = []
    for value, label in CodeNiveau.choices:
        durees = par_code.get(value, [])
        n, total = len(durees), sum(durees)
        maximum = _jours_max(durees_max[value]) if value in durees_max else None
        result.append(
            {
                "niveau": label,
                "code": value,
                "n": n,
                "jours_total": total,
                "jours_moyen": round(total / n) if n else None,
                "jours_max": max(durees) if durees else None,
                "duree_max_mois": durees_max.get(value),
                "depassements": sum(1 for d in durees if d > maximum) if maximum is not None else None,
                "jours_au_dela": sum(d - maximum for d in durees if d > maximum)
                if maximum is not None
                else None,
            }
        )
    return result


def _changements_decides(accompagnements, p: Periode, origine) -> list:
    rows = (
        ChangementNiveau.objects.filter(
            accompagnement__in=accompagnements, origine=origine, date_decision__range=(p.debut, p.fin)
        )
        .exclude(ancien_niveau=F("nouveau_niveau"))
        .order_by()
        .values("ancien_niveau", "nouveau_niveau")
        .annotate(n=Count("pk"))
        .order_by("ancien_niveau", "nouveau_niveau")
    )
    labels = dict(CodeNiveau.choices)
    return [(labels.get(r["ancien_niveau"], "–"), labels[r["nouveau_niveau"]], r["n"]) for r in rows]


def changements_niveau(accompagnements, p: Periode) -> list:
    """*Level changes* (DOMAINE): "committee decisions that changed a level, dated by the decision
    (the session's day), so that they agree with the committee table of the same report"; a renewal
    at the same level is not a change. [(from label, to label, n)]."""
    return _changements_decides(accompagnements, p, OrigineChangementNiveau.COMITE)


def corrections_niveau(accompagnements, p: Periode) -> list:
    """*Level changes*, "administrator corrections are shown apart" (DOMAINE): the corrections of a
    level by an administrator, dated by the day they were made. [(from label, to label, n)]."""
    return _changements_decides(accompagnements, p, OrigineChangementNiveau.ADMINISTRATEUR)


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
    """Outcomes of the exits of the period, by the problem recorded at the episode's referral
    (DOMAINE): *access achieved*, "an access episode in which a lease (direct, or through IML) was
    signed between the episode's start and its exit", each lease being its own dated event; and
    *maintien achieved*, "a maintien episode whose exit finds the household in its dwelling, or
    rehoused". One query."""
    bail_signe = Bail.objects.filter(
        menage=OuterRef("menage"),
        date_signature__gte=OuterRef("date_debut"),
        date_signature__lte=OuterRef("date_fin"),
    )
    acces = Q(problematique_saisine=Problematique.ACCES)
    maintien = Q(problematique_saisine=Problematique.MAINTIEN)
    row = (
        episodes_sortis(accompagnements, p)
        .annotate(problematique_saisine=_saisine("problematique"), bail_signe=Exists(bail_signe))
        .aggregate(
            acces=Count("pk", filter=acces),
            acces_reussi=Count("pk", filter=acces & Q(bail_signe=True)),
            maintien=Count("pk", filter=maintien),
            maintien_reussi=Count("pk", filter=maintien & Q(situation_sortie__in=SITUATIONS_MAINTIEN_REUSSI)),
        )
    )
    return row


def mesures_obtenues(menages_periode, p: Periode) -> dict:
    """Among the households followed in the period, each measure "counted by its own date in the
    period" (DOMAINE, "Rights opened, repayment plans, FSL aid"): a repayment plan started in the
    period, an FSL aid granted in the period, rights opened in the period (an objective of the axis
    "gestion administrative et ouverture de droits" reached in the period), and rehousing (an
    episode referred for maintien that left in the period rehoused). One query."""
    from accompagnement.models import Objectif
    from logements.models import AideFsl, PlanApurement

    def parmi(queryset):
        # The households of `queryset`, looked up once (a hashed list), not once per household.
        return Q(pk__in=queryset.values("menage_id"))

    maintien = Saisine.objects.filter(
        menage=OuterRef("menage"),
        numero_parcours=OuterRef("numero_parcours"),
        problematique=Problematique.MAINTIEN,
    )
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
            "pk",
            filter=parmi(
                Objectif.objects.filter(axe=Axe.ADMINISTRATIF, date_atteint__range=(p.debut, p.fin))
            ),
        ),
        relogement=Count(
            "pk",
            filter=parmi(
                Accompagnement.objects.filter(
                    Exists(maintien),
                    situation_sortie=SituationSortie.RELOGE,
                    date_fin__range=(p.debut, p.fin),
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
    # A procedure that ended with the eviction carried out was not stopped: it is not counted.
    stoppees = [
        etape
        for menage_id, etape in avant.items()
        if menage_id not in apres and etape != EtapeProcedure.EXPULSION
    ]
    par_etape = [
        (label, stoppees.count(value))
        for value, label in EtapeProcedure.choices
        if value != EtapeProcedure.EXPULSION
    ]
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


def dossiers_bdf(menages_periode, p: Periode) -> list:
    """*BDF files* (DOMAINE): "by the date of each step": the households followed whose
    over-indebtedness file (Banque de France) reached a step in the period, by step. One query."""
    rows = (
        EtapeDossierBdf.objects.filter(menage__in=menages_periode, date__range=(p.debut, p.fin))
        .exclude(etape=EtapeBdf.AUCUN)
        .order_by()
        .values(cle=F("etape"))
        .annotate(n=Count("menage", distinct=True))
    )
    return _counts(rows, [c for c in EtapeBdf.choices if c[0]])


def contacts(menages, p: Periode) -> dict:
    """*Time spent* (DOMAINE): "the social workers' contact time" of the period: their contacts,
    time and contacts by type. "TISF hours are a separate figure (separate budget line), never added
    into time spent": the TISF interventions' number and minutes apart. One query."""
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
        if v != TypeContact.TISF
    ]
    tisf = found.get(TypeContact.TISF, {"n": 0, "minutes": 0})
    return {
        "nombre": sum(r[1] for r in par_type),
        "minutes": sum(r[2] for r in par_type),
        "par_type": par_type,
        "interventions_tisf": tisf["n"],
        "minutes_tisf": tisf["minutes"],
    }


def logements_mobilises(dispositif, p: Periode) -> list:
    """*Dwellings mobilised* (DOMAINE): "per landlord, against the target (25 per landlord): total at
    the period's end and new in the period", by the mobilisation's date. Every landlord of the
    programme has its row. [{"bailleur", "total", "nouveaux", "objectif"}] (two queries)."""
    rows = (
        MobilisationLogement.objects.filter(dispositif=dispositif, date_mobilisation__lte=p.fin)
        .order_by()
        .values(cle=F("logement__bailleur_id"))
        .annotate(total=Count("pk"), nouveaux=Count("pk", filter=Q(date_mobilisation__gte=p.debut)))
    )
    found = {row["cle"]: row for row in rows}
    bailleurs = (
        Organisation.objects.filter(
            Q(pk__in=list(found)) | Q(dispositifs=dispositif, type=TypeOrganisation.BAILLEUR)
        )
        .distinct()
        .order_by("nom")
    )
    return [
        {
            "bailleur": bailleur.nom,
            "total": found.get(bailleur.pk, {}).get("total", 0),
            "nouveaux": found.get(bailleur.pk, {}).get("nouveaux", 0),
            "objectif": dispositif.objectif_logements_mobilises,
        }
        for bailleur in bailleurs
    ]


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
    # Per landlord: the landlord recorded at the referral of each household's first episode.
    premiers = depuis_debut.annotate(rang=rang_par_menage(F("date_debut"), F("pk"))).filter(rang=1)
    par_bailleur = (
        Accompagnement.objects.filter(pk__in=premiers.values("pk"))
        .annotate(bailleur__nom=_saisine("bailleur__nom"))
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
    ref = reference(accompagnements, p)
    return {
        "periode": p,
        "effectifs": effectifs(menages, accompagnements, p),
        "par_source": par_source(accompagnements, p, ref),
        "par_problematique": par_problematique(accompagnements, p, ref),
        "par_bailleur": par_bailleur(accompagnements, p, ref),
        "composition": composition(accompagnements, p, ref),
        "typologie": typologie(accompagnements, p, ref),
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
        "corrections_niveau": corrections_niveau(accompagnements, p),
        "motifs_sortie": motifs_sortie(accompagnements, p),
        "situations_sortie": situations_sortie(accompagnements, p),
        "resultats": resultats(accompagnements, p),
        "expulsions_stoppees": expulsions_stoppees(accompagnements, p),
        "mesures": mesures_obtenues(menages_periode, p),
        "suivi_apres_sortie": suivi_apres_sortie(menages, p),
        "dossiers_bdf": dossiers_bdf(menages_periode, p),
        "contacts": contacts(menages, p),
        "progression": progression_domaines(accompagnements, p),
        "comite": activite_comite(dispositif, p),
        "convention": convention,
        "budget": budget(convention, p),
        "objectifs": objectifs(dispositif, accompagnements, p),
        "logements_mobilises": logements_mobilises(dispositif, p),
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
