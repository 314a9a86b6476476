import pytest
from playwright.sync_api import expect

from tests.support.navigateur import ouvrir_menage

pytestmark = pytest.mark.browser


def test_social_worker_logs_a_home_visit_and_sets_an_objective_on_a_tablet(demo, login, page):
    page.set_viewport_size({"width": 810, "height": 1080})  # a 10-inch tablet, portrait
    login("ts.adaff")
    page.get_by_role("button", name="Afficher ou masquer le menu").click()
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Ménages").click()
    ouvrir_menage(page, "noel francoise", "Noël Françoise")

    page.get_by_role("link", name="Noter un contact").click()
    expect(page.get_by_label("Type")).to_have_value("vad")
    page.get_by_label("Note", exact=True).fill(
        "Visite du logement : chauffage réparé, budget du mois revu ensemble."
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le contact est enregistré.")).to_be_visible()
    expect(page.get_by_role("region", name="Contacts").get_by_text("chauffage réparé")).to_be_visible()

    page.get_by_role("link", name="Ajouter un objectif").click()
    page.get_by_role("combobox", name="Axe").select_option(label="Gestion budgétaire")
    page.get_by_label("Objectif, tel que formulé avec le ménage").fill("Mettre de côté 20 € par mois")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L’objectif est enregistré.")).to_be_visible()
    expect(
        page.get_by_role("region", name="Objectifs").get_by_text("Mettre de côté 20 € par mois")
    ).to_be_visible()
    page.screenshot(path="test-results/tablette-dossier.png", full_page=True)
