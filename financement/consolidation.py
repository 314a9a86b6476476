"""The consolidated figures of several programmes, for a national or regional funder.

Each programme's raw counts are computed by the same functions as its own figures
(`financement.indicators`: a programme's column here equals its figure on its own page before
secrecy); the total column is their sum. Statistical secrecy is applied only then, once, on the
whole table (`secret_statistique.masquer_effectifs`): a row is 1 or 2 households in each programme
but 3 or more in all is shown in the total; a small total is masked. The per-programme columns are
masked in the same pass, with each row as a line (the programmes' cells add up to the total) and
each column's breakdowns as lines (sources, problems, typology add up to the households followed;
exit reasons and outcomes to the exits): no masked cell can be worked out by subtracting the
others from a total, across or down.

Each programme counts over the part of the period in which it runs (`periode_du_dispositif`): over
the default period, from the programmes' earliest start to today, that is each programme's own
current period, whose figures the periodic task keeps (`IndicateursArretes`), so the page reads
them instead of computing them again (`consolider(..., lire=...)`); the exports compute afresh.

Anonymised: counts only, by programme; no household, reference or name is read into the table.
Households belong to one programme, so summing the programmes counts no household twice.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accompagnement.models import Accompagnement
from financement import indicators
from financement.secret_statistique import Cellule, Ligne, masquer_effectifs
from menages.enums import MotifSortie, Problematique, SourceOrientation
from menages.models import Menage

TOTAL = "total"

SUIVIS, ENTREES, SORTIES = ("effectifs", 0), ("effectifs", 1), ("effectifs", 2)
ACCES, ACCES_REUSSI, MAINTIEN, MAINTIEN_REUSSI = (("resultats", rang) for rang in range(4))

# (code, title, the row its rows add up to (within each column), or None)
RUBRIQUES = [
    ("effectifs", "Effectifs de la période", None),
    ("par_problematique", "Accès ou maintien (problématique à la saisine)", SUIVIS),
    ("par_source", "Origine de la saisine", SUIVIS),
    ("typologie", "Typologie des ménages", SUIVIS),
    ("motifs_sortie", "Motifs de sortie", SORTIES),
    ("resultats", "Résultats des sorties", None),
    ("mesures", "Mesures obtenues par les ménages suivis", None),
]


# The figures of `indicators.calculer` the table reads (the same keys and shapes).
CLES = ("effectifs", "par_problematique", "par_source", "typologie", "motifs_sortie", "resultats", "mesures")


def periode_du_dispositif(dispositif, debut: datetime.date, fin: datetime.date) -> indicators.Periode | None:
    """The part of [debut, fin] in which the programme runs (None if it does not run then): its
    column counts what happened in it, as its own page would over that period."""
    debut, fin = max(debut, dispositif.date_debut), min(fin, dispositif.date_fin)
    return indicators.Periode(debut, fin) if debut <= fin else None


def indicateurs(dispositif, p: indicators.Periode) -> dict:
    """The figures of the table for one programme over `p`, computed now by the same functions as
    `indicators.calculer` (the same keys and values; only those the table reads). A fixed number
    of queries whatever the number of households."""
    menages = Menage.objects.filter(dispositif=dispositif)
    accompagnements = Accompagnement.objects.filter(menage__dispositif=dispositif)
    ref = indicators.reference(accompagnements, p)
    return {
        "effectifs": indicators.effectifs(menages, accompagnements, p),
        "par_problematique": indicators.par_problematique(accompagnements, p, ref),
        "par_source": indicators.par_source(accompagnements, p, ref),
        "typologie": indicators.typologie(accompagnements, p, ref),
        "motifs_sortie": indicators.motifs_sortie(accompagnements, p),
        "resultats": indicators.resultats(accompagnements, p),
        "mesures": indicators.mesures_obtenues(indicators.menages_suivis(menages, accompagnements, p), p),
    }


def indicateurs_vides() -> dict:
    """The figures of a programme that does not run in the period: every count zero."""
    return {
        "effectifs": dict.fromkeys(("suivis", "entrees", "sorties"), 0),
        "par_problematique": [(label, 0) for _v, label in Problematique.choices],
        "par_source": [(label, 0) for _v, label in SourceOrientation.choices],
        "typologie": [(label, 0) for label in indicators.TYPOLOGIES],
        "motifs_sortie": [(label, 0) for _v, label in MotifSortie.choices],
        "resultats": dict.fromkeys(("acces", "acces_reussi", "maintien", "maintien_reussi"), 0),
        "mesures": dict.fromkeys(("plan_apurement", "fsl", "droits_ouverts", "relogement"), 0),
    }


def chiffres(i: dict) -> dict[str, list[tuple[str, int]]]:
    """The rows of each section ({code: [(label, n)]}) from a programme's figures (`indicateurs`,
    `indicators.calculer`, or those kept in `IndicateursArretes`)."""
    e, r, m = i["effectifs"], i["resultats"], i["mesures"]
    return {
        "effectifs": [
            ("Ménages suivis", e["suivis"]),
            ("Entrées en accompagnement", e["entrees"]),
            ("Sorties d’accompagnement", e["sorties"]),
        ],
        "par_problematique": list(i["par_problematique"]),
        "par_source": list(i["par_source"]),
        "typologie": list(i["typologie"]),
        "motifs_sortie": list(i["motifs_sortie"]),
        "resultats": [
            ("Sorties de ménages « accès »", r["acces"]),
            ("dont accès réalisé", r["acces_reussi"]),
            ("Sorties de ménages « maintien »", r["maintien"]),
            ("dont maintien réalisé", r["maintien_reussi"]),
        ],
        "mesures": [
            ("Plan d’apurement obtenu", m["plan_apurement"]),
            ("Aide du FSL accordée", m["fsl"]),
            ("Droits ouverts", m["droits_ouverts"]),
            ("Ménages « maintien » relogés", m["relogement"]),
        ],
    }


@dataclass(frozen=True)
class Rangee:
    """A row of the consolidated table: one cell per programme, in the order of the table's
    programmes, and the total cell."""

    libelle: str
    cellules: tuple[Cellule, ...]
    total: Cellule


@dataclass(frozen=True)
class Rubrique:
    titre: str
    rangees: tuple[Rangee, ...]


@dataclass(frozen=True)
class Colonne:
    """A programme's column: the part of the period it runs in (None: it does not run then)."""

    dispositif: object
    periode: indicators.Periode | None

    @property
    def nom(self):
        return self.dispositif.nom


@dataclass(frozen=True)
class Consolidation:
    periode: indicators.Periode
    colonnes: tuple[Colonne, ...]
    rubriques: tuple[Rubrique, ...]


def lignes_du_tableau(colonnes, tailles: dict[str, int]) -> list[Ligne]:
    """The lines the table's cells add up in, for `colonnes` (the programmes' keys and TOTAL) and
    the number of rows of each section: each row across (the programmes add up to the total),
    and down each column, each breakdown to its reference row and each « dont » within its row."""
    programmes = [c for c in colonnes if c != TOTAL]
    lignes = [
        Ligne((code, rang, TOTAL), tuple((code, rang, c) for c in programmes))
        for code, taille in tailles.items()
        for rang in range(taille)
    ]
    for colonne in colonnes:
        for code, _titre, reference in RUBRIQUES:
            if reference is not None:
                lignes.append(
                    Ligne(
                        (*reference, colonne), tuple((code, rang, colonne) for rang in range(tailles[code]))
                    )
                )
        lignes += [
            Ligne((*SORTIES, colonne), ((*ACCES, colonne), (*MAINTIEN, colonne))),
            Ligne((*ACCES, colonne), ((*ACCES_REUSSI, colonne),)),
            Ligne((*MAINTIEN, colonne), ((*MAINTIEN_REUSSI, colonne),)),
        ]
    return lignes


def consolider(dispositifs, debut: datetime.date, fin: datetime.date, *, lire=indicateurs) -> Consolidation:
    """The consolidated table of `dispositifs` over [debut, fin]: each programme's raw counts over
    the part of the period it runs in (`lire(dispositif, periode)`: computed now by default, or
    the figures kept for the dashboard), their sum, then statistical secrecy on the whole table
    (see the module's note)."""
    p = indicators.Periode(debut, fin)
    colonnes = tuple(Colonne(d, periode_du_dispositif(d, debut, fin)) for d in dispositifs)
    if not colonnes:
        return Consolidation(p, (), ())
    par_colonne = {
        c.dispositif.pk: chiffres(lire(c.dispositif, c.periode) if c.periode else indicateurs_vides())
        for c in colonnes
    }
    # Every programme has the same rows (every choice, zeros included), in the same order.
    libelles = chiffres(indicateurs_vides())
    valeurs = {}
    for code, paires in libelles.items():
        for rang in range(len(paires)):
            somme = 0
            for pk, lignes in par_colonne.items():
                n = lignes[code][rang][1]
                valeurs[(code, rang, pk)] = n
                somme += n
            valeurs[(code, rang, TOTAL)] = somme
    cles = [c.dispositif.pk for c in colonnes]
    tailles = {code: len(paires) for code, paires in libelles.items()}
    cellules = masquer_effectifs(valeurs, lignes_du_tableau([*cles, TOTAL], tailles))
    rubriques = tuple(
        Rubrique(
            titre,
            tuple(
                Rangee(
                    label,
                    tuple(cellules[(code, rang, pk)] for pk in cles),
                    cellules[(code, rang, TOTAL)],
                )
                for rang, (label, _n) in enumerate(libelles[code])
            ),
        )
        for code, titre, _reference in RUBRIQUES
    )
    return Consolidation(p, colonnes, rubriques)


def periode_par_defaut(dispositifs) -> tuple[datetime.date, datetime.date]:
    """From the earliest start of the programmes to today (or to the latest end, if they are all
    over); the current year when there is no programme."""
    aujourdhui = timezone.localdate()
    if not dispositifs:
        return aujourdhui.replace(month=1, day=1), aujourdhui
    debut = min(d.date_debut for d in dispositifs)
    fin = min(aujourdhui, max(d.date_fin for d in dispositifs))
    return debut, max(debut, fin)
