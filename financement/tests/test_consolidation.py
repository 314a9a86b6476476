"""The consolidated figures of a national or regional funder (issue #22, item 2): each programme's
raw counts, their sum, statistical secrecy applied once after summing, on the whole table; the
role sees no household and no single programme's pages.

The data set: two programmes over the first half of 2026 (every episode starts on 1 February
2026, inside the period; households have no member recorded, so each counts as a single person).
- « ASEA Aude » (A): 1 « accès » household referred by the SIAO; 5 « maintien » households
  referred by their landlord (« interne bailleur »), one of which left on 31 May 2026
  (autonomie, maintained in its dwelling).
- « ASEA Hérault » (B): 2 « accès » households (SIAO); 6 « maintien » households (landlord), one
  of which left on 31 May 2026 (autonomie, maintained).
"""

import csv
import datetime
import io
import itertools
import re

import pytest
from django.urls import reverse

from accompagnement.models import Accompagnement
from comptes.enums import Role
from comptes.tests.factories import DispositifFactory, OrganisationFactory, user_with_role
from financement import consolidation, indicators, services
from financement.exports import consolidation_en_csv
from financement.forms import periode_par_defaut
from financement.models import IndicateursArretes
from financement.secret_statistique import SEUIL, Masque
from menages.models import Menage
from menages.tests.factories import MenageFactory

DEBUT = datetime.date(2026, 1, 1)
FIN = datetime.date(2026, 6, 30)
QUERY = "debut=2026-01-01&fin=2026-06-30"


def _menages(dispositif, n, problematique, source, sortis=0):
    menages = []
    for rang in range(n):
        menage = MenageFactory(
            dispositif=dispositif,
            en_accompagnement=True,
            problematique=problematique,
            source_orientation=source,
        )
        sorti = rang < sortis
        Accompagnement.objects.create(
            menage=menage,
            numero_parcours=1,
            niveau="niveau_2",
            date_debut=datetime.date(2026, 2, 1),
            date_fin_prevue=datetime.date(2027, 1, 31),
            date_fin=datetime.date(2026, 5, 31) if sorti else None,
            motif_sortie="autonomie" if sorti else "",
            situation_sortie="maintien" if sorti else "",
        )
        menages.append(menage)
    return menages


@pytest.fixture
def deux_programmes(db):
    a = DispositifFactory(code="asea-aude", nom="ASEA Aude")
    b = DispositifFactory(code="asea-herault", nom="ASEA Hérault", territoire="Hérault")
    _menages(a, 1, "acces", "siao")
    _menages(a, 5, "maintien", "interne_bailleur", sortis=1)
    _menages(b, 2, "acces", "siao")
    _menages(b, 6, "maintien", "interne_bailleur", sortis=1)
    return a, b


def _table(tableau):
    """{(section, row label): (cell of each programme..., total cell)}."""
    return {
        (rubrique.titre, rangee.libelle): (*rangee.cellules, rangee.total)
        for rubrique in tableau.rubriques
        for rangee in rubrique.rangees
    }


def _shown(cellules):
    return [None if c.masquee else c.valeur for c in cellules]


@pytest.fixture
def tableau(deux_programmes):
    return _table(consolidation.consolider(deux_programmes, DEBUT, FIN))


def test_each_programme_column_is_its_own_figures_and_the_total_their_sum(deux_programmes, tableau):
    a, b = deux_programmes
    # Each programme's raw counts are those of its own page (indicators.calculer), before secrecy,
    # whether computed for the table or read from the figures kept for its dashboard.
    for dispositif in (a, b):
        propres = indicators.calculer(dispositif, DEBUT, FIN)
        calcules = consolidation.indicateurs(dispositif, indicators.Periode(DEBUT, FIN))
        assert calcules == {cle: propres[cle] for cle in consolidation.CLES}
        assert consolidation.chiffres(calcules) == consolidation.chiffres(propres)
    # A programme that does not run in the period has the same rows, all zero.
    vides = consolidation.chiffres(consolidation.indicateurs_vides())
    assert {code: [label for label, _n in paires] for code, paires in vides.items()} == {
        code: [label for label, _n in paires] for code, paires in consolidation.chiffres(calcules).items()
    }
    assert {n for paires in vides.values() for _label, n in paires} == {0}
    # Households followed: A 1 accès + 5 maintien = 6, B 2 + 6 = 8, in all 6 + 8 = 14.
    assert _shown(tableau[("Effectifs de la période", "Ménages suivis")]) == [6, 8, 14]
    # Every episode starts on 1 February 2026, in the period: entries = households followed.
    assert _shown(tableau[("Effectifs de la période", "Entrées en accompagnement")]) == [6, 8, 14]
    # No member recorded: every household counts as a single person.
    assert _shown(tableau[("Typologie des ménages", "Personne seule")]) == [6, 8, 14]
    assert _shown(tableau[("Typologie des ménages", "Couple avec enfants")]) == [0, 0, 0]


def test_secrecy_is_applied_after_summing(tableau):
    # « Accès » households: A 1 and B 2, each masked (« < 3 »); 1 + 2 = 3 in all: shown.
    acces = tableau[("Accès ou maintien (problématique à la saisine)", "Accès au logement")]
    assert [c.masque for c in acces[:2]] == [Masque.PRIMAIRE, Masque.PRIMAIRE]
    assert acces[2].valeur == 3 and not acces[2].masquee
    # The same households by referral source: SIAO, A 1, B 2, total 3.
    siao = tableau[("Origine de la saisine", "SIAO")]
    assert [c.masque for c in siao] == [Masque.PRIMAIRE, Masque.PRIMAIRE, None]
    assert siao[2].valeur == 3


def test_a_small_total_is_masked(tableau):
    # One exit in A and one in B: 1 + 1 = 2 in all, below the threshold: masked too.
    for cle in (
        ("Effectifs de la période", "Sorties d’accompagnement"),
        ("Motifs de sortie", "Autonomie"),
        ("Résultats des sorties", "Sorties de ménages « maintien »"),
        ("Résultats des sorties", "dont maintien réalisé"),
    ):
        assert [c.masque for c in tableau[cle]] == [Masque.PRIMAIRE] * 3, cle
        assert all(c.valeur is None for c in tableau[cle])


def test_a_masked_programme_cell_cannot_be_worked_out_from_the_others(tableau):
    # Down A's column, households followed 6 = accès (« < 3 ») + maintien 5: with maintien shown, A's
    # accès would be 6 - 5 = 1. So A's maintien is masked (« secret »); across, maintien 11 = A + B
    # would then give A = 11 - 6 = 5 and, down A's column again, accès = 1: B's maintien is masked
    # too. What is left has two solutions: A accès 1, maintien 5, B accès 2, maintien 6; or A accès
    # 2, maintien 4, B accès 1, maintien 7 (both add up to 6, 8, 3 and 11).
    maintien = tableau[("Accès ou maintien (problématique à la saisine)", "Maintien dans le logement")]
    assert [c.masque for c in maintien] == [Masque.SECONDAIRE, Masque.SECONDAIRE, None]
    assert maintien[2].valeur == 11
    bailleur = tableau[("Origine de la saisine", "Saisine interne du bailleur")]
    assert [c.masque for c in bailleur] == [Masque.SECONDAIRE, Masque.SECONDAIRE, None]
    # And in general: on each row (the programmes add up to the total), no masked cell has a single
    # possible value given the shown cells and what the labels say (« < 3 »: 1 or 2; « secret »: 3
    # or more). A row whose every cell is masked (1 + 1 = 2) cannot be helped by masking more.
    for cle, cellules in tableau.items():
        if all(c.masquee for c in cellules):
            continue
        masques = [rang for rang, c in enumerate(cellules) if c.masquee]
        if not masques:
            continue
        bornes = [
            range(1, SEUIL) if cellules[r].masque == Masque.PRIMAIRE else range(SEUIL, 40) for r in masques
        ]
        solutions = []
        for valeurs in itertools.product(*bornes):
            complet = [c.valeur for c in cellules]
            for rang, v in zip(masques, valeurs, strict=True):
                complet[rang] = v
            if sum(complet[:-1]) == complet[-1]:
                solutions.append(valeurs)
        for position in range(len(masques)):
            assert len({s[position] for s in solutions}) > 1, cle


def test_nothing_to_consolidate_gives_an_empty_table(db):
    tableau = consolidation.consolider([], DEBUT, FIN)
    assert tableau.rubriques == () and tableau.colonnes == ()


# --- The role and its pages ---------------------------------------------------------------------


@pytest.fixture
def financeur_national(deux_programmes):
    organisation = OrganisationFactory(nom="Préfecture de région", financeur=True)
    organisation.dispositifs.set(deux_programmes)
    return user_with_role(Role.FINANCEUR_NATIONAL, organisation, username="financeur.national")


def test_national_funder_reads_the_consolidated_page_without_any_household(
    client, financeur_national, deux_programmes
):
    client.force_login(financeur_national)
    response = client.get(reverse("financement:consolide") + "?" + QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    assert "ASEA Aude" in page and "ASEA Hérault" in page
    # Anonymised: no household's name or reference.
    for menage in Menage.objects.all():
        assert menage.nom not in page and menage.reference not in page
    assert reverse("financement:consolide_export", args=["csv"]) + "?" + QUERY in page.replace("&amp;", "&")


def test_consolidated_csv(client, financeur_national):
    client.force_login(financeur_national)
    response = client.get(reverse("financement:consolide_export", args=["csv"]) + "?" + QUERY)
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="chiffres-consolides-20260101-20260630.csv"'
    )
    contenu = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(contenu), delimiter=";"))
    # Both programmes run over the whole period: no line says a programme's own period.
    assert rows[:3] == [
        ["Période", "Du", "01/01/2026"],
        ["Période", "Au", "30/06/2026"],
        ["Rubrique", "Indicateur", "ASEA Aude", "ASEA Hérault", "Total"],
    ]
    par_indicateur = {(r[0], r[1]): r[2:] for r in rows[3:]}
    # The same cells as the page (golden figures: see the tests above).
    assert par_indicateur[("Effectifs de la période", "Ménages suivis")] == ["6", "8", "14"]
    assert par_indicateur[("Accès ou maintien (problématique à la saisine)", "Accès au logement")] == [
        "< 3",
        "< 3",
        "3",
    ]
    assert par_indicateur[
        ("Accès ou maintien (problématique à la saisine)", "Maintien dans le logement")
    ] == ["secret", "secret", "11"]
    assert par_indicateur[("Effectifs de la période", "Sorties d’accompagnement")] == ["< 3"] * 3
    for menage in Menage.objects.all():
        assert menage.nom not in contenu and menage.reference not in contenu


def test_consolidated_xlsx(client, financeur_national):
    from openpyxl import load_workbook

    client.force_login(financeur_national)
    response = client.get(reverse("financement:consolide_export", args=["xlsx"]) + "?" + QUERY)
    assert response.status_code == 200
    feuille = load_workbook(io.BytesIO(response.content)).active
    rows = {(r[0], r[1]): r[2:] for r in feuille.iter_rows(min_row=4, values_only=True)}
    assert rows[("Effectifs de la période", "Ménages suivis")] == (6, 8, 14)
    assert rows[("Origine de la saisine", "SIAO")] == ("< 3", "< 3", 3)


def test_national_funder_sees_only_the_programmes_its_organisation_takes_part_in(
    client, financeur_national, deux_programmes
):
    a, b = deux_programmes
    financeur_national.organisation.dispositifs.set([a])
    client.force_login(financeur_national)
    page = client.get(reverse("financement:consolide") + "?" + QUERY).content.decode()
    assert "ASEA Aude" in page and "ASEA Hérault" not in page


def test_national_funder_opens_no_household_and_no_single_programme_page(
    client, financeur_national, deux_programmes
):
    a, _b = deux_programmes
    menage = Menage.objects.filter(dispositif=a).first()
    client.force_login(financeur_national)
    interdites = [
        reverse("dossiers:liste"),
        reverse("financement:index"),
        reverse("financement:tableau", args=[a.pk]),
        reverse("financement:convention", args=[a.pk]),
        reverse("financement:export", args=[a.pk, "csv"]),
        reverse("financement:rapports"),
        reverse("logements:liste"),
        reverse("comites:seances"),
    ]
    for url in interdites:
        assert client.get(url).status_code == 403, url
    for url in (
        reverse("dossiers:detail", args=[menage.pk]),
        reverse("dossiers:chronologie", args=[menage.pk]),
        reverse("menages:journal", args=[menage.pk]),
        reverse("logements:dossier_locatif", args=[menage.pk]),
    ):
        assert client.get(url).status_code in (403, 404), url
    assert not Menage.objects.visible_to(financeur_national).exists()


def test_other_roles_do_not_read_the_consolidated_figures(client, deux_programmes):
    a, _b = deux_programmes
    local = OrganisationFactory(nom="DDCSPP de l’Aude", financeur=True)
    local.dispositifs.add(a)
    for user in (
        user_with_role(Role.FINANCEUR, local, username="financeur.local"),
        user_with_role(Role.TRAVAILLEUR_SOCIAL, OrganisationFactory(nom="ADAFF"), username="ts"),
    ):
        client.force_login(user)
        assert client.get(reverse("financement:consolide")).status_code == 403
        assert client.get(reverse("financement:consolide_export", args=["csv"])).status_code == 403
    client.logout()
    assert client.get(reverse("financement:consolide")).status_code == 302


def test_a_period_that_is_not_valid_is_said_next_to_its_field(client, financeur_national):
    client.force_login(financeur_national)
    response = client.get(reverse("financement:consolide") + "?debut=2026-06-30&fin=2026-01-01")
    assert response.status_code == 200
    page = response.content.decode()
    assert "La fin de la période doit suivre son début." in page
    assert 'value="2026-01-01"' in page  # what was typed is kept
    export = client.get(reverse("financement:consolide_export", args=["csv"]) + "?debut=2026-06-30&fin=nope")
    assert export.status_code == 400
    assert "Saisissez une date valide." in export.content.decode()
    assert client.get(reverse("financement:consolide_export", args=["pdf"])).status_code == 404


def test_the_page_makes_as_many_queries_whatever_the_number_of_households(
    client, financeur_national, deux_programmes, count_queries
):
    client.force_login(financeur_national)
    url = reverse("financement:consolide") + "?" + QUERY
    export = reverse("financement:consolide_export", args=["csv"]) + "?" + QUERY

    def requetes():
        # The figures computed (no kept figures), then read from those just kept, then the export.
        IndicateursArretes.objects.all().delete()
        return (
            count_queries(client.get, url),
            count_queries(client.get, url),
            count_queries(client.get, export),
        )

    client.get(url)
    avant = requetes()
    for dispositif in deux_programmes:
        _menages(dispositif, 4, "acces", "ccapex", sortis=2)
    assert requetes() == avant
    assert avant[1] < avant[0]


def test_the_page_reads_the_figures_kept_for_each_programmes_dashboard(
    client, financeur_national, deux_programmes
):
    # The default period runs from the programmes' earliest start (1 January 2026) to today: for
    # each, its own current period, whose figures the periodic task keeps.
    for dispositif in deux_programmes:
        debut, fin = periode_par_defaut(dispositif)
        services.arreter_indicateurs(dispositif=dispositif, debut=debut, fin=fin)
    kept = set(IndicateursArretes.objects.values_list("pk", "calcule_le"))
    # Recorded after the figures were kept: not on the page until they are computed again, but in
    # the export, computed afresh.
    _menages(deux_programmes[0], 3, "acces", "ccapex")
    client.force_login(financeur_national)
    page = client.get(reverse("financement:consolide")).content.decode()
    assert set(IndicateursArretes.objects.values_list("pk", "calcule_le")) == kept
    assert "Chiffres arrêtés au" in page
    ligne = re.search(r"Ménages suivis</th>(.*?)</tr>", page).group(1)
    assert re.findall(r">([^<]+)</td>", ligne) == ["6", "8", "14"]
    rows = csv.reader(
        io.StringIO(
            client.get(reverse("financement:consolide_export", args=["csv"])).content.decode("utf-8-sig")
        ),
        delimiter=";",
    )
    assert next(r for r in rows if r[1] == "Ménages suivis")[2:] == ["9", "8", "17"]


def test_each_programme_counts_over_the_part_of_the_period_it_runs_in(db):
    a = DispositifFactory(code="asea-aude", nom="ASEA Aude")
    b = DispositifFactory(code="asea-herault", nom="ASEA Hérault", date_debut=datetime.date(2026, 4, 1))
    c = DispositifFactory(code="asea-gard", nom="ASEA Gard", date_debut=datetime.date(2026, 9, 1))
    _menages(a, 3, "acces", "siao")
    _menages(b, 4, "maintien", "siao")
    tableau = consolidation.consolider([a, b, c], DEBUT, FIN)
    assert [col.periode for col in tableau.colonnes] == [
        indicators.Periode(DEBUT, FIN),
        indicators.Periode(datetime.date(2026, 4, 1), FIN),
        None,  # starts after the period: a column of zeros
    ]
    # B's households entered on 1 February 2026, before B's start: they count as followed over
    # its part of the period, not as entries in it. A: 3, B: 4, C: 0, in all 7.
    lignes = _table(tableau)
    assert _shown(lignes[("Effectifs de la période", "Ménages suivis")]) == [3, 4, 0, 7]
    assert _shown(lignes[("Effectifs de la période", "Entrées en accompagnement")]) == [3, 0, 0, 3]
    assert "du 01/04/2026 au 30/06/2026" in consolidation_csv(tableau)
    assert "ne se déroule pas pendant la période" in consolidation_csv(tableau)


def test_the_national_funders_organisation_is_not_asked_to_validate_households(
    financeur_national, deux_programmes
):
    from menages.selectors import financeurs_a_solliciter, financeurs_du_dispositif

    a, _b = deux_programmes
    local = OrganisationFactory(nom="Conseil départemental", financeur=True)
    local.dispositifs.add(a)
    user_with_role(Role.FINANCEUR, local, username="cd")
    assert list(financeurs_du_dispositif(a)) == [local]
    menage = Menage.objects.filter(dispositif=a).first()
    assert financeurs_a_solliciter(menage) == [local]


def consolidation_csv(tableau):
    return consolidation_en_csv(tableau).decode("utf-8-sig")


def test_national_funders_home_page_and_menu_lead_to_the_consolidated_figures_only(
    client, financeur_national
):
    client.force_login(financeur_national)
    response = client.get(reverse("tableau_de_bord"))
    menu = [entree["label"] for entree in response.context["navigation"]]
    assert menu == ["Tableau de bord", "Chiffres consolidés"]
    page = response.content.decode()
    assert "Voir les chiffres consolidés" in page
    assert "ASEA Aude" in page and "ASEA Hérault" in page
    assert "Mes ménages" not in page


def test_national_funders_header_offers_no_current_programme(client, financeur_national):
    """The national funder works on all its programmes at once and opens no household: the header
    says so, without the selector of the current programme that workers in two programmes get."""
    client.force_login(financeur_national)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    assert "Tous les dispositifs" in page
    assert 'name="dispositif"' not in page and "Dispositif courant" not in page


def test_the_administrator_reaches_the_consolidated_figures_from_the_funding_page(client, deux_programmes):
    """Her menu is long already: the consolidated figures are a link of « Financement » for her."""
    organisation = OrganisationFactory(nom="ADAFF")
    organisation.dispositifs.set(deux_programmes)
    admin = user_with_role(Role.ADMINISTRATEUR, organisation, username="admin")
    client.force_login(admin)
    menu = [entree["label"] for entree in client.get(reverse("tableau_de_bord")).context["navigation"]]
    assert "Financement" in menu and "Chiffres consolidés" not in menu
    assert reverse("financement:consolide") in client.get(reverse("financement:index")).content.decode()
