"""The figures as funders get them: the page, the CSV and XLSX exports, the PDF report and the
charts show the same masked cells (golden figures of a small data set worked out by hand)."""

import copy
import datetime
import html
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from financement import charts, indicators
from financement.documents import rapport_pdf
from financement.secret_statistique import Cellule, Masque, masquer_indicateurs
from financement.tests.conftest import DEBUT, FIN, _diagnostics, _episode, _menage
from financement.tests.factories import RapportFinanceurFactory
from financement.tests.test_rapports import _texte

D = datetime.date
PERIODE = "?debut=2026-01-01&fin=2026-06-30"


@pytest.fixture
def sorties(programme, convention):
    """Five single-person « maintien » households, all at level 1, all out in May: 2 for autonomy
    and 3 to mainstream support (the issue's « 5 exits = < 3 + 3 »). Two have an entry and an exit
    diagnostic: the progress is computed on 2 households."""
    for n in range(5):
        menage = _menage(programme, f"Sortant {n}", "maintien", "siao", "habitat", ["chef"])
        motif = "autonomie" if n < 2 else "relais_droit_commun"
        _episode(menage, "niveau_1", D(2026, 1, 5 + n), D(2026, 5, 5 + n), motif, "maintien")
        if n < 2:
            _diagnostics(menage, programme.ts_adaff, (1, 2), (3, 3))
    return programme


def _texte_page(contenu: str) -> str:
    texte = html.unescape(re.sub(r"<[^>]+>", " ", contenu.split("<main")[1]))
    return re.sub(r"\s+", " ", texte.replace("\u202f", " ").replace("\u00a0", " "))


# (page and PDF text, CSV row) for each figure the four outputs must agree on.
ATTENDUS = [
    ("Sorties d’accompagnement 5", "Effectifs;Sorties;5"),
    ("Autonomie < 3", "Motifs de sortie;Autonomie;< 3"),
    ("Relais vers le droit commun secret", "Motifs de sortie;Relais vers le droit commun;secret"),
    ("Maintenu dans son logement 5", "Situation à la sortie;Maintenu dans son logement;5"),
    # Mean duration: none on a level without any household, masked on 1 or 2 households.
    ("Relais sortant 0 – –", "Durée moyenne (jours);Relais sortant;–"),
    ("Logement < 3 < 3 < 3 < 3", "Progression à la sortie;Logement;< 3"),
    ("Santé 0 – – –", "Progression à la sortie;Santé;–"),
]


def test_page_csv_xlsx_and_pdf_show_the_same_masked_figures(client, sorties):
    client.force_login(sorties.financeur)
    page = _texte_page(
        client.get(reverse("financement:tableau", args=[sorties.dispositif.pk]) + PERIODE).content.decode()
    )
    csv = client.get(reverse("financement:export", args=[sorties.dispositif.pk, "csv"]) + PERIODE)
    csv = csv.content.decode("utf-8-sig").splitlines()
    xlsx = client.get(reverse("financement:export", args=[sorties.dispositif.pk, "xlsx"]) + PERIODE)
    feuille = load_workbook(io.BytesIO(xlsx.content)).active
    lignes_xlsx = [";".join(str(v) for v in row) for row in feuille.iter_rows(values_only=True)]
    rapport = RapportFinanceurFactory(
        dispositif=sorties.dispositif, financeur=sorties.ddcspp, date_debut=DEBUT, date_fin=FIN
    )
    pdf = _texte(rapport_pdf(rapport))
    for texte, ligne in ATTENDUS:
        assert texte in page, texte
        assert texte in pdf, texte
        assert ligne in csv, ligne
        assert ligne in lignes_xlsx, ligne
    assert "Sorties secret" not in pdf and "Sorties 5" in pdf
    # The spreadsheets keep numbers as numbers, the masks as their labels.
    valeurs = {(r[0], r[1]): r[2] for r in feuille.iter_rows(min_row=2, values_only=True)}
    assert valeurs[("Effectifs", "Sorties")] == 5
    assert valeurs[("Motifs de sortie", "Relais vers le droit commun")] == "secret"
    assert valeurs[("Secret statistique", "secret")].startswith("chiffre masqué")


def test_the_dashboard_chart_draws_the_masked_exits_hatched(client, sorties):
    client.force_login(sorties.financeur)
    response = client.get(reverse("financement:tableau", args=[sorties.dispositif.pk]) + PERIODE)
    svg = response.context["graphiques"]["motifs_sortie"]
    masquees = re.findall(r'<rect class="masquee" x="\d+" y="\d+" width="(\d+)"', svg)
    assert masquees == [str(charts.LONGUEUR_MASQUEE)] * 2
    assert ">&lt; 3</text>" in svg and ">secret</text>" in svg
    assert 'style="' not in response.content.decode().split("<main")[1]


def test_masked_indicators_keep_no_masked_value_and_share_their_cells(jeu):
    i = masquer_indicateurs(indicators.calculer(jeu.dispositif, DEBUT, FIN))

    def cellules(valeur):
        if isinstance(valeur, Cellule):
            yield valeur
        elif isinstance(valeur, dict):
            for v in valeur.values():
                yield from cellules(v)
        elif isinstance(valeur, list | tuple):
            for v in valeur:
                yield from cellules(v)

    toutes = list(cellules(i))
    assert all(c.valeur is None for c in toutes if c.masquee)
    assert {c.masque for c in toutes} == {None, Masque.PRIMAIRE, Masque.SECONDAIRE}
    # The TISF hours are apart from the social workers' time (DOMAINE, "Time spent"): one
    # intervention, its count and its time masked.
    assert "Intervention TISF" not in [label for label, _n, _m in i["contacts"]["par_type"]]
    assert i["contacts"]["minutes_tisf"].masque == Masque.PRIMAIRE
    assert i["contacts"]["interventions_tisf"].masque == Masque.PRIMAIRE
    # Committee decisions and contact types are counts too.
    assert dict(i["comite"]["decisions"])["Changer de niveau"].masque == Masque.PRIMAIRE
    assert all(n.masque == Masque.PRIMAIRE for _l, n, _m in i["contacts"]["par_type"] if n.valeur != 0)


# --- Charts ------------------------------------------------------------------------------------


def _largeurs(svg):
    return [float(w) for w in re.findall(r'<rect (?:class="masquee" )?x="210" y="\d+" width="([\d.]+)"', svg)]


def test_a_masked_bar_has_a_fixed_small_length_and_the_scale_comes_from_the_shown_values():
    svg = charts.barres(
        [("a", Cellule(masque=Masque.PRIMAIRE)), ("b", Cellule(10)), ("c", Cellule(5)), ("d", Cellule(0))],
        titre="Essai",
    )
    zone = 520 - 210 - 70
    assert _largeurs(svg) == [charts.LONGUEUR_MASQUEE, zone, zone / 2, 0]
    assert 'fill="url(#hachures-' in svg and "<pattern" in svg
    assert 'style="' not in svg
    # A secondary mask is drawn alike, labelled « secret ».
    svg = charts.barres([("a", Cellule(masque=Masque.SECONDAIRE)), ("b", Cellule(4))], titre="Essai")
    assert _largeurs(svg) == [charts.LONGUEUR_MASQUEE, zone] and ">secret</text>" in svg


def test_charts_are_the_same_whatever_the_masked_values_are(jeu):
    i = indicators.calculer(jeu.dispositif, DEBUT, FIN)
    autre = copy.deepcopy(i)
    # One more exit for autonomy: 2 instead of 1, still « < 3 ».
    autre["motifs_sortie"][0] = (autre["motifs_sortie"][0][0], 2)
    autre["effectifs"]["sorties"] += 1
    avant = charts.graphiques(masquer_indicateurs(i))["motifs_sortie"]
    apres = charts.graphiques(masquer_indicateurs(autre))["motifs_sortie"]
    assert i["motifs_sortie"][0] != autre["motifs_sortie"][0]
    assert avant == apres
