"""Statistical secrecy, for every funder-facing output (page, CSV, XLSX, PDF, chart).

DOMAINE.md, "Indicator definitions". A count of 1 or 2 households (or people) could single one of
them out: funders see « < 3 » instead (primary suppression). Zero reveals no one and stays as it
is. An average or a duration computed on fewer than 3 households is masked the same way.

A masked count must not be recoverable from the others. Where counts add up to a total that is
shown too (the rows of a table and its total, or the same households broken down in two tables),
a reader can subtract the shown cells from the total; knowing also that « < 3 » stands for 1 or 2
and that zeros are shown, two masked cells can still give themselves away (a total of 5 with 3
shown and two « < 3 »: both are 1). So more cells are masked, shown as « secret » (secondary
suppression), until, on every line, no masked cell can be worked out from the shown ones and the
bounds their labels reveal. A line here is a total and the cells that add up to it; the total is a
cell of its line, and may be masked too.

`masquer_indicateurs` applies both rules to the indicators of a report at once. The page, the CSV
and XLSX exports, the PDF report and the charts all read the cells it returns, which keep no
masked value: they cannot show more than each other, nor more than the rules allow.
"""

import enum
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from comites.enums import Decision

SEUIL = 3
# What a funder sees instead of a figure masked by the primary rule (a count of 1 or 2, an average
# on 1 or 2 households)...
LIBELLE_MASQUE = f"< {SEUIL}"
# ... and instead of a figure masked only so that another cannot be recomputed.
LIBELLE_SECONDAIRE = "secret"


class Masque(enum.StrEnum):
    PRIMAIRE = "primaire"
    SECONDAIRE = "secondaire"


@dataclass(frozen=True, slots=True)
class Cellule:
    """A figure as funders see it: its value when it is shown; when it is masked, only why (the
    value is not kept, so that no output can show it). A figure that does not exist (an average
    on no household) has neither."""

    valeur: int | float | Decimal | None = None
    masque: Masque | None = None

    @property
    def masquee(self) -> bool:
        return self.masque is not None

    @property
    def libelle(self) -> str:
        """What stands for the figure when it is masked ("" when it is shown)."""
        return {Masque.PRIMAIRE: LIBELLE_MASQUE, Masque.SECONDAIRE: LIBELLE_SECONDAIRE}.get(self.masque, "")


@dataclass(frozen=True)
class Ligne:
    """Cells that add up to `total`. If they do not add up exactly (a « dont » breakdown, an
    unknown category), the difference is an unpublished cell of the line: a reader who can work
    it out must not find 1 or 2 there either."""

    total: Hashable
    cellules: tuple[Hashable, ...]


def effectif_masque(n: int) -> bool:
    """Whether a count of `n` households (or people) is masked by the primary rule."""
    return 0 < n < SEUIL


def moyenne(valeur, n: int) -> Cellule:
    """An average (or a duration) computed on `n` households: masked on 1 or 2, none on 0."""
    if not n or valeur is None:
        return Cellule()
    if n < SEUIL:
        return Cellule(masque=Masque.PRIMAIRE)
    return Cellule(valeur)


def masquer_effectifs(effectifs: Mapping, lignes: Iterable[Ligne] = ()) -> dict:
    """Counts of households or people (key -> count), with the lines they add up in, as cells:
    1 and 2 masked, then other cells until no line gives one away (see `_masquer`). The labels tell a
    reader that a primary cell holds 1 or 2 and a secondary one at least 3 (zeros are never
    masked): the lines are checked knowing that."""
    primaires = {cle for cle, n in effectifs.items() if effectif_masque(n)}
    bornes = {Masque.PRIMAIRE: (1, SEUIL - 1), Masque.SECONDAIRE: (SEUIL, math.inf)}
    return _masquer(effectifs, lignes, primaires, bornes, reste_sensible=effectif_masque)


def masquer_durees(durees: Mapping, lignes: Iterable[Ligne] = (), *, effectifs: Mapping) -> dict:
    """Durations or amounts (key -> value), each computed on `effectifs[key]` households (or
    people), with the lines they add up in, as cells: those computed on 1 or 2 masked, then others
    until no line gives one away. A masked amount's label tells nothing of its size."""
    primaires = {cle for cle in durees if effectif_masque(effectifs[cle])}
    bornes = {Masque.PRIMAIRE: (0, math.inf), Masque.SECONDAIRE: (0, math.inf)}
    return _masquer(durees, lignes, primaires, bornes, reste_sensible=lambda reste: False)


def _masquer(valeurs, lignes, primaires, bornes, reste_sensible) -> dict:
    """Primary cells masked, then, while a line gives a masked cell away, its smallest shown cell
    other than zero is masked too (the total counts as a cell of its line), until every line is
    safe. Then a secondary cell that is not needed any more (every line stays safe without it) is
    shown again, the last masked first. A line whose shown cells are all zeros and that still
    gives a cell away (a total of 2 made of two 1s) cannot be helped by masking: it is left."""
    lignes = list(dict.fromkeys(ligne for ligne in lignes if ligne.cellules))
    masques = dict.fromkeys(primaires, Masque.PRIMAIRE)

    def sure(ligne):
        return _ligne_sure(ligne, valeurs, masques, bornes, reste_sensible)

    secondaires, a_verifier = [], list(lignes)
    while a_verifier:
        ligne = a_verifier.pop(0)
        if sure(ligne):
            continue
        montrees = [c for c in (*ligne.cellules, ligne.total) if c not in masques and valeurs[c] > 0]
        if not montrees:
            continue
        cle = min(montrees, key=lambda c: valeurs[c])
        masques[cle] = Masque.SECONDAIRE
        secondaires.append(cle)
        # This line again, and every line of the cell just masked, which may give it away.
        a_verifier = (
            [ligne]
            + [
                autre
                for autre in lignes
                if autre != ligne and _contient(autre, cle) and autre not in a_verifier
            ]
            + a_verifier
        )
    for cle in reversed(secondaires):
        del masques[cle]
        if not all(sure(ligne) for ligne in lignes if _contient(ligne, cle)):
            masques[cle] = Masque.SECONDAIRE
    return {
        cle: Cellule(masque=masques[cle]) if cle in masques else Cellule(valeur)
        for cle, valeur in valeurs.items()
    }


def _contient(ligne, cle) -> bool:
    return cle == ligne.total or cle in ligne.cellules


def _ligne_sure(ligne, valeurs, masques, bornes, reste_sensible) -> bool:
    """Whether no masked cell of the line (nor an unpublished rest of 1 or 2) can be worked out
    from its shown cells, the equation « cells - total = 0 » and the bounds each unknown's label
    reveals. Each unknown's possible values form an interval; it is given away when that interval
    is a single value."""
    # Unknowns as (coefficient in the equation, lowest, highest, must stay unknown).
    inconnues = []
    constante = 0
    for cle, coefficient in [(c, 1) for c in ligne.cellules] + [(ligne.total, -1)]:
        if cle in masques:
            inconnues.append((coefficient, *bornes[masques[cle]], True))
        else:
            constante += coefficient * valeurs[cle]
    reste = valeurs[ligne.total] - sum(valeurs[c] for c in ligne.cellules)
    if reste:
        inconnues.append((1 if reste > 0 else -1, 0, math.inf, reste_sensible(abs(reste))))
    for n, (coefficient, bas, haut, sensible) in enumerate(inconnues):
        if not sensible:
            continue
        autres = inconnues[:n] + inconnues[n + 1 :]
        # The other unknowns' part of the sum lies in [minimum, maximum].
        minimum = sum(c * (b if c > 0 else h) for c, b, h, _s in autres)
        maximum = sum(c * (h if c > 0 else b) for c, b, h, _s in autres)
        # coefficient * x = -constante - (the others' part)
        if coefficient > 0:
            possibles = (-constante - maximum, -constante - minimum)
        else:
            possibles = (constante + minimum, constante + maximum)
        if max(bas, possibles[0]) == min(haut, possibles[1]):
            return False
    return True


class _Releve:
    """The figures of a report gathered under keys, with the lines they add up in: each figure is
    replaced by a reference, resolved into its cell once every figure is masked."""

    def __init__(self):
        self.valeurs = {}
        self.lignes = []

    def __call__(self, cle, valeur):
        self.valeurs[cle] = valeur
        return _Reference(cle)

    def ligne(self, total, cellules):
        self.lignes.append(Ligne(total.cle, tuple(c.cle for c in cellules)))

    def repartition(self, nom, paires, total=None):
        """[(label, n)] as [(label, reference)], adding up to `total` if it is given."""
        cellules = [(label, self((nom, rang), n)) for rang, (label, n) in enumerate(paires)]
        if total is not None:
            self.ligne(total, [c for _label, c in cellules])
        return cellules


@dataclass(frozen=True, slots=True)
class _Reference:
    cle: Hashable


def _resoudre(valeur, cellules):
    if isinstance(valeur, _Reference):
        return cellules[valeur.cle]
    if isinstance(valeur, dict):
        return {cle: _resoudre(v, cellules) for cle, v in valeur.items()}
    if isinstance(valeur, list | tuple):
        return type(valeur)(_resoudre(v, cellules) for v in valeur)
    return valeur


def masquer_repartitions(chiffres: Mapping, *, total="total") -> dict:
    """A count of households (`chiffres[total]`) and breakdowns of it (every other key, as
    [(label, n)], each adding up to it) as cells under both rules, in the same shape: the figures
    of a programme on the home page."""
    r = _Releve()
    reference = r(total, chiffres[total])
    publie = {
        cle: reference if cle == total else r.repartition(cle, paires, reference)
        for cle, paires in chiffres.items()
    }
    return _resoudre(publie, masquer_effectifs(r.valeurs, r.lignes))


def masquer_indicateurs(i: dict) -> dict:
    """The indicators of `indicators.calculer` (or as kept) as funders see them: the same keys and
    shapes, with every count of households or people, every average and duration, as a `Cellule`.
    Amounts of money, targets and the number of committee sessions (meetings, not people) stay as
    they are.

    The lines: households followed add up by source, problem, landlord, size and typology; exits by
    reason, by situation and by problem; a « dont » figure (with children, achieved, beyond the
    maximum) within its own; stopped evictions by last step; committee decisions by type, and the
    level changes within the « changer de niveau » decisions; contacts and their time by type;
    households entered since the start by landlord and by year."""
    r = _Releve()
    e = i["effectifs"]
    suivis, entrees, sorties = (r(("effectifs", cle), e[cle]) for cle in ("suivis", "entrees", "sorties"))

    composition = [
        (label, r(("composition", rang), n), r(("composition_enfants", rang), avec))
        for rang, (label, n, avec) in enumerate(i["composition"])
    ]
    r.ligne(suivis, [n for _label, n, _avec in composition])
    for _label, n, avec in composition:
        r.ligne(n, [avec])
    typologie = r.repartition("typologie", i["typologie"], suivis)

    par_niveau = []
    for rang, row in enumerate(i["par_niveau"]):
        n = r(("par_niveau", rang), row["n"])
        depassements = None
        if row["depassements"] is not None:
            depassements = r(("depassements", rang), row["depassements"])
            r.ligne(n, [depassements])
        par_niveau.append(
            {
                "niveau": row["niveau"],
                "code": row["code"],
                "n": n,
                "jours_moyen": moyenne(row["jours_moyen"], row["n"]),
                "jours_max": moyenne(row["jours_max"], row["n"]),
                "duree_max_mois": row["duree_max_mois"],
                "depassements": depassements,
                # Days over the maximum, summed over the episodes beyond it: a duration.
                "jours_au_dela": None
                if row["depassements"] is None
                else moyenne(row["jours_au_dela"], row["depassements"]),
            }
        )
    # Episodes per level they were in during the period: an episode that changed level counts in
    # each, so the levels add up to no published total (no line).

    resultats = {cle: r(("resultats", cle), n) for cle, n in i["resultats"].items()}
    r.ligne(sorties, [resultats["acces"], resultats["maintien"]])
    r.ligne(resultats["acces"], [resultats["acces_reussi"]])
    r.ligne(resultats["maintien"], [resultats["maintien_reussi"]])

    expulsions = i["expulsions_stoppees"]
    expulsions_total = r(("expulsions_stoppees", "total"), expulsions["total"])

    c = i["contacts"]
    contacts_nombre = r(("contacts", "nombre"), c["nombre"])
    contacts_par_type = [
        (label, r(("contacts", rang), n)) for rang, (label, n, _m) in enumerate(c["par_type"])
    ]
    r.ligne(contacts_nombre, [n for _label, n in contacts_par_type])
    # The time spent, each amount masked with the number of contacts it was spent in.
    m = _Releve()
    minutes_total = m(("minutes", "total"), c["minutes"])
    minutes_par_type = [m(("minutes", rang), minutes) for rang, (_l, _n, minutes) in enumerate(c["par_type"])]
    m.ligne(minutes_total, minutes_par_type)
    contacts_des_minutes = {("minutes", "total"): c["nombre"]} | {
        ("minutes", rang): n for rang, (_l, n, _m) in enumerate(c["par_type"])
    }
    # The TISF interventions and hours, apart from the social workers' time (another budget line).
    interventions_tisf = r(("contacts", "tisf"), c["interventions_tisf"])
    minutes_tisf = m(("minutes", "tisf"), c["minutes_tisf"])
    contacts_des_minutes[("minutes", "tisf")] = c["interventions_tisf"]

    comite = i["comite"]
    decisions = r.repartition("decisions", comite["decisions"])
    total_decisions = r(("comite", "total_decisions"), comite["total_decisions"])
    r.ligne(total_decisions, [n for _label, n in decisions])
    changements = [
        (a, b, r(("changements_niveau", rang), n)) for rang, (a, b, n) in enumerate(i["changements_niveau"])
    ]
    rang_changement = Decision.values.index(Decision.CHANGER_NIVEAU)
    r.ligne(decisions[rang_changement][1], [n for _a, _b, n in changements])
    corrections = [
        (a, b, r(("corrections_niveau", rang), n)) for rang, (a, b, n) in enumerate(i["corrections_niveau"])
    ]

    o = i["objectifs"]
    objectifs_total = r(("objectifs", "total"), o["total"])

    publie = {
        "periode": i["periode"],
        "effectifs": {"suivis": suivis, "entrees": entrees, "sorties": sorties},
        "par_source": r.repartition("par_source", i["par_source"], suivis),
        "par_problematique": r.repartition("par_problematique", i["par_problematique"], suivis),
        "par_bailleur": r.repartition("par_bailleur", i["par_bailleur"], suivis),
        "composition": composition,
        "typologie": typologie,
        "par_niveau": par_niveau,
        "changements_niveau": changements,
        "corrections_niveau": corrections,
        "motifs_sortie": r.repartition("motifs_sortie", i["motifs_sortie"], sorties),
        "situations_sortie": r.repartition("situations_sortie", i["situations_sortie"], sorties),
        "resultats": resultats,
        "expulsions_stoppees": {
            "total": expulsions_total,
            "par_etape": r.repartition("expulsions_par_etape", expulsions["par_etape"], expulsions_total),
        },
        "mesures": {cle: r(("mesures", cle), n) for cle, n in i["mesures"].items()},
        "suivi_apres_sortie": [
            (label, r(("suivi_6", rang), n6), r(("suivi_12", rang), n12))
            for rang, (label, n6, n12) in enumerate(i["suivi_apres_sortie"])
        ],
        "dossiers_bdf": r.repartition("dossiers_bdf", i["dossiers_bdf"]),
        "contacts": {
            "nombre": contacts_nombre,
            "minutes": minutes_total,
            "par_type": [
                (label, n, minutes)
                for (label, n), minutes in zip(contacts_par_type, minutes_par_type, strict=True)
            ],
            "interventions_tisf": interventions_tisf,
            "minutes_tisf": minutes_tisf,
        },
        "progression": [
            {
                "domaine": row["domaine"],
                "n": r(("progression", rang), row["n"]),
                "entree": moyenne(row["entree"], row["n"]),
                "sortie": moyenne(row["sortie"], row["n"]),
                "progression": moyenne(row["progression"], row["n"]),
            }
            for rang, row in enumerate(i["progression"])
        ],
        "comite": {"seances": comite["seances"], "decisions": decisions, "total_decisions": total_decisions},
        "convention": i.get("convention"),
        "budget": i["budget"],
        "objectifs": {
            **o,
            "total": objectifs_total,
            "par_bailleur": r.repartition("objectifs_par_bailleur", o["par_bailleur"], objectifs_total),
            "par_an": r.repartition("objectifs_par_an", o["par_an"], objectifs_total),
        },
        # Dwellings, not households or people: shown as they are.
        "logements_mobilises": i["logements_mobilises"],
    }
    cellules = masquer_effectifs(r.valeurs, r.lignes) | masquer_durees(
        m.valeurs, m.lignes, effectifs=contacts_des_minutes
    )
    publie = _resoudre(publie, cellules)
    # The rate of the target gives its count back: masked with it.
    total = publie["objectifs"]["total"]
    publie["objectifs"]["taux"] = Cellule(masque=Masque.SECONDAIRE) if total.masquee else Cellule(o["taux"])
    return publie
