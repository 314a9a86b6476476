import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_committee_member_reads_a_summary_and_gives_an_opinion(demo, login, page):
    login("financeur.ddcspp")  # a funder who sits on the comité de suivi
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Comités").click()
    page.get_by_role("region", name="Séances à venir").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Ordre du jour")).to_be_visible()
    page.get_by_role("table", name="Points de l’ordre du jour").get_by_role("link").first.click()

    expect(page.get_by_role("heading", name="Le ménage en bref")).to_be_visible()
    expect(page.get_by_text("Résumé anonymisé")).to_be_visible()
    page.get_by_label("Favorable", exact=True).check()
    page.get_by_label("Commentaire").fill("Dossier complet, accord.")
    page.get_by_role("button", name="Donner mon avis").click()
    expect(page.get_by_text("Votre avis est enregistré")).to_be_visible()
    expect(
        page.get_by_role("region", name="Avis des membres").get_by_text("Dossier complet, accord.")
    ).to_be_visible()
