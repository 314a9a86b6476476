"""Statistical secrecy (DOMAINE.md, "Indicator definitions"): the primary rule on counts and
averages, the secondary rule on the lines that add up to a total, checked on hand-written tables
and, with hypothesis, on random tables against a reader who subtracts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from financement.secret_statistique import (
    LIBELLE_MASQUE,
    LIBELLE_SECONDAIRE,
    Cellule,
    Ligne,
    Masque,
    masquer_durees,
    masquer_effectifs,
    masquer_repartitions,
    moyenne,
)
from financement.templatetags.financement import nombre


def _vus(cellules) -> dict:
    """What a reader sees in each cell."""
    return {cle: c.libelle if c.masquee else c.valeur for cle, c in cellules.items()}


# --- Hand-written tables -----------------------------------------------------------------------


@pytest.mark.parametrize(("n", "vu"), [(0, 0), (1, "< 3"), (2, "< 3"), (3, 3), (40, 40)])
def test_a_count_alone_is_masked_when_it_is_1_or_2(n, vu):
    assert _vus(masquer_effectifs({"n": n}))["n"] == vu


def test_five_exits_made_of_two_and_three_mask_both():
    # « 5 exits = < 3 + 3 » would give the 2 back: the 3 is masked too; the zero stays.
    cellules = masquer_effectifs(
        {"sorties": 5, "autonomie": 2, "relais": 3, "deces": 0},
        [Ligne("sorties", ("autonomie", "relais", "deces"))],
    )
    assert _vus(cellules) == {"sorties": 5, "autonomie": "< 3", "relais": "secret", "deces": 0}
    assert cellules["autonomie"].masque == Masque.PRIMAIRE
    assert cellules["relais"].masque == Masque.SECONDAIRE


def test_the_smallest_shown_cell_is_the_one_masked_with_a_small_count():
    cellules = masquer_effectifs({"total": 10, "a": 2, "b": 3, "c": 5}, [Ligne("total", ("a", "b", "c"))])
    assert _vus(cellules) == {"total": 10, "a": "< 3", "b": "secret", "c": 5}


def test_two_small_counts_that_can_only_be_ones_mask_the_total():
    # 5 = < 3 + < 3 + 3: the two masked cells add up to 2, so each is 1. Masking the 3 would not
    # help (it is at least 3, so they would still add up to 2 at most): the total is masked.
    cellules = masquer_effectifs(
        {"total": 5, "a": 1, "b": 1, "c": 3, "d": 0}, [Ligne("total", ("a", "b", "c", "d"))]
    )
    assert _vus(cellules) == {"total": "secret", "a": "< 3", "b": "< 3", "c": 3, "d": 0}


def test_three_ones_mask_their_total():
    cellules = masquer_effectifs({"sorties": 3, "a": 1, "b": 1, "c": 1}, [Ligne("sorties", ("a", "b", "c"))])
    assert _vus(cellules)["sorties"] == LIBELLE_SECONDAIRE


def test_a_table_masks_across_its_rows_and_columns():
    #        c0  c1 | total
    #   r0    1   5 |   6
    #   r1    6   7 |  13
    #   total 7  12 |  19
    valeurs = {
        ("r0", "c0"): 1,
        ("r0", "c1"): 5,
        ("r1", "c0"): 6,
        ("r1", "c1"): 7,
        ("r0", "t"): 6,
        ("r1", "t"): 13,
        ("t", "c0"): 7,
        ("t", "c1"): 12,
        ("t", "t"): 19,
    }
    lignes = [
        Ligne(("r0", "t"), (("r0", "c0"), ("r0", "c1"))),
        Ligne(("r1", "t"), (("r1", "c0"), ("r1", "c1"))),
        Ligne(("t", "c0"), (("r0", "c0"), ("r1", "c0"))),
        Ligne(("t", "c1"), (("r0", "c1"), ("r1", "c1"))),
        Ligne(("t", "t"), (("r0", "t"), ("r1", "t"))),
        Ligne(("t", "t"), (("t", "c0"), ("t", "c1"))),
    ]
    vus = _vus(masquer_effectifs(valeurs, lignes))
    assert vus == {
        ("r0", "c0"): "< 3",
        ("r0", "c1"): "secret",
        ("r1", "c0"): "secret",
        ("r1", "c1"): "secret",
        ("r0", "t"): 6,
        ("r1", "t"): 13,
        ("t", "c0"): 7,
        ("t", "c1"): 12,
        ("t", "t"): 19,
    }


def test_a_part_whose_rest_is_1_or_2_is_masked():
    # 4 households of 3 persons, 3 of them with children: the 1 without would be given away.
    assert _vus(masquer_effectifs({"n": 4, "avec": 3}, [Ligne("n", ("avec",))])) == {"n": 4, "avec": "secret"}
    assert _vus(masquer_effectifs({"n": 6, "avec": 3}, [Ligne("n", ("avec",))])) == {"n": 6, "avec": 3}


def test_a_secondary_cell_no_longer_needed_is_shown_again():
    # 3 is masked first (the smallest), does not help, then the total is: the 3 is shown again.
    cellules = masquer_effectifs({"t": 5, "a": 1, "b": 1, "c": 3}, [Ligne("t", ("a", "b", "c"))])
    assert cellules["c"] == Cellule(3)


def test_a_total_and_its_breakdowns_are_masked_together():
    chiffres = masquer_repartitions(
        {"total": 5, "par_bailleur": [("ALOGEA", 2), ("Habitat Audois", 3)], "par_etat": [("Accueil", 5)]}
    )
    assert chiffres == {
        "total": Cellule(5),
        "par_bailleur": [
            ("ALOGEA", Cellule(masque=Masque.PRIMAIRE)),
            ("Habitat Audois", Cellule(masque=Masque.SECONDAIRE)),
        ],
        "par_etat": [("Accueil", Cellule(5))],
    }


def test_durations_are_masked_on_few_contacts_and_against_their_total():
    minutes = masquer_durees(
        {"total": 300, "tisf": 120, "vad": 180},
        [Ligne("total", ("tisf", "vad"))],
        effectifs={"total": 6, "tisf": 1, "vad": 5},
    )
    assert _vus(minutes) == {"total": 300, "tisf": "< 3", "vad": "secret"}


@pytest.mark.parametrize(
    ("valeur", "n", "cellule"),
    [
        (90, 0, Cellule()),
        (None, 0, Cellule()),
        (90, 1, Cellule(masque=Masque.PRIMAIRE)),
        (90, 2, Cellule(masque=Masque.PRIMAIRE)),
        (90, 3, Cellule(90)),
    ],
)
def test_an_average_is_masked_on_1_or_2_households_and_absent_on_none(valeur, n, cellule):
    assert moyenne(valeur, n) == cellule


@pytest.mark.parametrize(
    ("cellule", "vu"),
    [(Cellule(), "–"), (Cellule(masque=Masque.PRIMAIRE), "< 3"), (Cellule(1234.5), "1\u202f234,50")],
)
def test_pages_show_a_cell_by_its_label_or_its_value(cellule, vu):
    assert nombre(cellule, 2 if cellule.valeur else 0) == vu


def test_a_masked_cell_keeps_no_value():
    cellules = masquer_effectifs({"t": 5, "a": 2, "b": 3}, [Ligne("t", ("a", "b"))])
    assert cellules["a"] == Cellule(masque=Masque.PRIMAIRE) and cellules["a"].valeur is None
    assert cellules["b"] == Cellule(masque=Masque.SECONDAIRE) and cellules["b"].valeur is None
    assert (cellules["a"].libelle, cellules["b"].libelle) == (LIBELLE_MASQUE, LIBELLE_SECONDAIRE)


# --- Random tables -------------------------------------------------------------------------------

grilles = st.integers(1, 3).flatmap(
    lambda colonnes: st.lists(
        st.lists(st.integers(0, 5), min_size=colonnes, max_size=colonnes), min_size=1, max_size=3
    )
)
PROPRIETES = settings(max_examples=150, deadline=None)


def _tableau(grille):
    """A table with its row totals, column totals and grand total: (key -> count, lines). The
    totals are cells of their own lines (the totals row and the totals column)."""
    lignes_, colonnes = range(len(grille)), range(len(grille[0]))
    valeurs = {(r, c): grille[r][c] for r in lignes_ for c in colonnes}
    for r in lignes_:
        valeurs[(r, "T")] = sum(grille[r])
    for c in colonnes:
        valeurs[("T", c)] = sum(row[c] for row in grille)
    valeurs[("T", "T")] = sum(map(sum, grille))
    lignes = [Ligne((r, "T"), tuple((r, c) for c in colonnes)) for r in [*lignes_, "T"]]
    lignes += [Ligne(("T", c), tuple((r, c) for r in lignes_)) for c in [*colonnes, "T"]]
    return valeurs, lignes


def _valeurs_possibles(ligne, valeurs, cellules) -> dict:
    """For each masked cell of the line, every value a reader could find there: one who sees the
    shown cells, knows that the cells add up to the total, that « < 3 » is 1 or 2 and « secret » 3
    or more (and zeros are shown). Worked out by listing the sums, not by the module's reasoning."""
    plafond = max(valeurs.values()) + 2
    termes = [(c, 1) for c in ligne.cellules] + [(ligne.total, -1)]
    connu = sum(signe * valeurs[c] for c, signe in termes if not cellules[c].masquee)
    inconnues = [
        (c, signe, range(1, 3) if cellules[c].masque == Masque.PRIMAIRE else range(3, plafond + 1))
        for c, signe in termes
        if cellules[c].masquee
    ]
    possibles = {}
    for cle, signe, valeurs_cle in inconnues:
        sommes = {0}
        for autre, signe_autre, valeurs_autre in inconnues:
            if autre != cle:
                sommes = {s + signe_autre * v for s in sommes for v in valeurs_autre}
        possibles[cle] = {v for v in valeurs_cle if -connu - signe * v in sommes}
    return possibles


def _revele(ligne, valeurs, cellules) -> bool:
    return any(len(v) < 2 for v in _valeurs_possibles(ligne, valeurs, cellules).values())


@PROPRIETES
@given(grilles)
def test_1_and_2_are_always_masked_0_never_and_shown_values_are_unchanged(grille):
    valeurs, lignes = _tableau(grille)
    cellules = masquer_effectifs(valeurs, lignes)
    for cle, n in valeurs.items():
        if n in (1, 2):
            assert cellules[cle].masque == Masque.PRIMAIRE
        elif n == 0:
            assert cellules[cle] == Cellule(0)
        else:
            assert cellules[cle].masque != Masque.PRIMAIRE
        if not cellules[cle].masquee:
            assert cellules[cle].valeur == n


@PROPRIETES
@given(grilles)
def test_no_line_with_its_total_has_exactly_one_masked_cell(grille):
    valeurs, lignes = _tableau(grille)
    cellules = masquer_effectifs(valeurs, lignes)
    for ligne in lignes:
        masquees = [c for c in (*ligne.cellules, ligne.total) if cellules[c].masquee]
        assert len(masquees) != 1, (ligne, _vus(cellules))


@PROPRIETES
@given(grilles)
def test_no_masked_cell_can_be_worked_out_from_its_line(grille):
    valeurs, lignes = _tableau(grille)
    cellules = masquer_effectifs(valeurs, lignes)
    for ligne in lignes:
        if _revele(ligne, valeurs, cellules):
            # The one case masking cannot help: a total of 2 (« < 3 ») made of two 1s (two « < 3 »),
            # the other cells zeros. Labels that tell the truth give them away.
            assert valeurs[ligne.total] == 2, (ligne, _vus(cellules))
            assert sorted(valeurs[c] for c in ligne.cellules if valeurs[c]) == [1, 1]


@PROPRIETES
@given(grilles)
def test_every_secondary_cell_is_needed(grille):
    valeurs, lignes = _tableau(grille)
    cellules = masquer_effectifs(valeurs, lignes)
    for cle, cellule in cellules.items():
        if cellule.masque == Masque.SECONDAIRE:
            montree = cellules | {cle: Cellule(valeurs[cle])}
            assert any(
                _revele(ligne, valeurs, montree) and not _revele(ligne, valeurs, cellules)
                for ligne in lignes
                if cle == ligne.total or cle in ligne.cellules
            ), (cle, _vus(cellules))
