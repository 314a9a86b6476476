"""What the funder report says beyond the figures of its period: its cover, the previous period of
the same length beside the main figures (masked on its own, never subtracted from a masked one),
and the coordinator's commentary."""

import datetime
import re
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from financement import documents, indicators
from financement.exports import _cellule
from financement.secret_statistique import Cellule, Masque
from financement.templatetags.financement import evolution, evolution_heures, nombre
from financement.tests.factories import RapportFinanceurFactory
from financement.tests.test_rapports import _texte

D = datetime.date
T2 = (D(2026, 4, 1), D(2026, 6, 30))
COMMENTAIRE = "Trimestre marqué par l’arrivée d’une deuxième CESF.\nLes délais de saisine baissent."


@pytest.mark.parametrize(
    ("periode", "precedente"),
    [
        ((D(2026, 7, 1), D(2026, 9, 30)), (D(2026, 4, 1), D(2026, 6, 30))),
        ((D(2027, 1, 1), D(2027, 12, 31)), (D(2026, 1, 1), D(2026, 12, 31))),
        ((D(2026, 3, 1), D(2026, 3, 31)), (D(2026, 2, 1), D(2026, 2, 28))),
        ((D(2026, 3, 10), D(2026, 3, 19)), (D(2026, 2, 28), D(2026, 3, 9))),
    ],
)
def test_the_previous_period_has_the_same_length(periode, precedente):
    assert documents.periode_precedente(*periode) == precedente


def test_no_change_is_worked_out_from_a_masked_figure():
    masquee, secrete = Cellule(masque=Masque.PRIMAIRE), Cellule(masque=Masque.SECONDAIRE)
    assert evolution(Cellule(12), Cellule(9)) == "+3"
    assert evolution(Cellule(9), Cellule(12)) == "\u22123"
    assert evolution(Cellule(9), Cellule(9)) == "0"
    assert evolution(masquee, Cellule(9)) == evolution(Cellule(9), secrete) == "–"
    assert evolution(Cellule(9), None) == "–"
    assert evolution_heures(Cellule(300), Cellule(180)) == "+2\u00a0h"
    assert evolution_heures(Cellule(300), masquee) == "–"


def test_a_negative_progress_has_the_true_minus_sign_on_pages_and_stays_a_number_in_csv():
    # The progression column of the page and the PDF (`nombre:2`), and its CSV cell.
    assert nombre(Cellule(-0.01), 2) == "\u22120,01"
    assert nombre(-1.5, 2) == "\u22121,50"
    assert _cellule(Cellule(-0.01)) == "-0,01"


def _pdf(rapport):
    return _texte(documents.rapport_pdf(rapport))


def test_report_cover_shows_period_frozen_date_funder_and_commentary(jeu):
    rapport = RapportFinanceurFactory(
        dispositif=jeu.dispositif,
        financeur=jeu.ddcspp,
        date_debut=T2[0],
        date_fin=T2[1],
        commentaire=COMMENTAIRE,
    )
    avant = timezone.localtime()
    texte = _pdf(rapport)
    premiere_page = texte.split("Synthèse")[0]
    for attendu in [
        "Rapport au financeur",
        "ASEA Aude",
        "Destinataire DDCSPP de l’Aude",
        "Période Du 1er avril 2026 au 30 juin 2026",
        "Comparée à la période précédente de même durée, du 1er janvier 2026 au 31 mars 2026",
        "Commentaire du coordinateur du dispositif",
        "Trimestre marqué par l’arrivée d’une deuxième CESF.",
        "Les délais de saisine baissent.",
    ]:
        assert attendu in premiere_page, attendu
    arretes = re.search(r"Chiffres arrêtés le (.+?) à (\d\d:\d\d)", premiere_page)
    assert arretes and arretes.group(1).endswith(f"{avant.year}")
    assert "Page 2 sur" in texte


def test_report_puts_the_previous_period_beside_the_main_figures(jeu):
    rapport = RapportFinanceurFactory(
        dispositif=jeu.dispositif, financeur=jeu.ddcspp, date_debut=T2[0], date_fin=T2[1]
    )
    texte = _pdf(rapport)
    assert "Chiffres clés de la période, comparés à la période précédente" in texte
    assert "Période Période précédente Évolution" in texte
    assert texte.count("Période Période précédente") >= 5


def test_a_masked_figure_stays_masked_in_both_periods_and_gets_no_change(jeu):
    """The previous period's figures are masked on their own: a count of 2 there is « < 3 » in
    its column, and the change against it is not computed."""
    rapport = RapportFinanceurFactory(
        dispositif=jeu.dispositif, financeur=jeu.ddcspp, date_debut=T2[0], date_fin=T2[1]
    )
    courants = indicators.calculer(jeu.dispositif, *T2)
    precedents = indicators.calculer(jeu.dispositif, D(2026, 1, 1), D(2026, 3, 31))
    courants["effectifs"]["entrees"] = 2
    precedents["effectifs"]["entrees"] = 2
    courants["contacts"]["nombre"] = 40
    precedents["contacts"]["nombre"] = 1
    contexte = documents.contexte_rapport(rapport, courants, precedents)
    assert (
        contexte["i"]["effectifs"]["entrees"].masquee
        and contexte["precedente"]["effectifs"]["entrees"].masquee
    )
    html = render_to_string("pdf/rapport_financeur.html", contexte)
    texte = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    assert "Entrées < 3 < 3 –" in texte
    assert "Contacts 40 < 3 –" in texte
    # The previous period's column never holds the values it was given for masked cells.
    assert "Entrées < 3 2" not in texte and "Entrées 2" not in texte


TITRES = {"h1", "h2", "h3", "caption"}


def _pages_finissant_par_un_titre(html) -> list[int]:
    """The pages (from 1) on which the last thing laid out is a heading or a table's caption (the
    page numbers, in the page's margin, aside)."""
    from django.conf import settings
    from weasyprint import HTML

    pages = []
    for numero, page in enumerate(HTML(string=html, base_url=str(settings.BASE_DIR)).render().pages, 1):
        corps = next(b for b in page._page_box.descendants() if getattr(b, "element_tag", None) == "body")
        tags = [
            b.element_tag
            for b in corps.descendants()
            if getattr(b, "element_tag", None) not in (None, "body")
        ]
        if tags and tags[-1] in TITRES:
            pages.append(numero)
    return pages


def test_a_heading_left_at_the_bottom_of_a_page_is_found():
    # Without the report's rules, a heading at the foot of a page, its table on the next.
    tableau = "<table><tr><td>1</td></tr>" + "<tr><td>2</td></tr>" * 5 + "</table>"
    html = (
        "<style>@page { size: A4; margin: 2cm } h2 { break-after: auto } table { break-inside: avoid }</style>"
        '<div style="height: 23.6cm"></div><h2>Titre</h2>' + tableau
    )
    assert _pages_finissant_par_un_titre(html) == [1]


def test_no_page_of_the_report_ends_with_a_heading(jeu):
    """Headings and captions are kept with what they introduce (the report's own rules)."""
    rapport = RapportFinanceurFactory(
        dispositif=jeu.dispositif,
        financeur=jeu.ddcspp,
        date_debut=T2[0],
        date_fin=T2[1],
        commentaire=COMMENTAIRE,
    )
    html = render_to_string("pdf/rapport_financeur.html", documents.contexte_rapport(rapport))
    assert html.count("<h2") > 5
    assert _pages_finissant_par_un_titre(html) == []
