import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_social_worker_creates_household_moves_it_to_diagnostic_and_finds_it(demo, login, live_server):
    page = login("ts.adaff")
    page.get_by_role("link", name="Ménages", exact=True).click()
    page.get_by_role("link", name="Nouveau ménage").click()

    page.get_by_label("Nom du ménage").fill("Pérès Mélanie")
    page.get_by_label("Bailleur concerné").select_option(label="ALOGEA")
    page.get_by_label("Commune").select_option(label="Limoux")
    page.get_by_label("Origine de la saisine").select_option(label="SIAO")
    page.get_by_label("Accès au logement").check()
    page.get_by_label("Situation de logement actuelle").select_option(label="Hébergé chez un tiers")
    page.get_by_label("Isolement social").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="Pérès Mélanie", level=1)).to_be_visible()
    expect(page.get_by_text("Saisine / orientation").first).to_be_visible()

    page.get_by_role("link", name="Ajouter un pré-diagnostic").click()
    page.get_by_label("Situation du ménage").fill("Hébergée chez sa sœur depuis trois mois.")
    page.get_by_label("Difficultés repérées").fill("Isolement, premier logement autonome.")
    page.get_by_label("Pourquoi le dispositif ASEA").fill(
        "Besoin d’un accompagnement global à l’entrée dans les lieux."
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le pré-diagnostic est enregistré.")).to_be_visible()

    page.get_by_role("button", name="Soumettre aux financeurs").click()
    expect(page.get_by_text("demande de validation envoyée")).to_be_visible()
    page.get_by_role("link", name="Saisir une réponse reçue").click()
    page.get_by_label("Financeur").select_option(label="DDCSPP")
    page.get_by_label("Validé").check()
    page.get_by_label("Commentaire").fill("Accord donné par téléphone.")
    page.get_by_role("button", name="Enregistrer").click()

    page.get_by_role("link", name="Commencer le diagnostic approfondi").click()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("est passé à l’étape « Diagnostic approfondi »")).to_be_visible()

    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Ménages").click()
    page.get_by_label("Nom ou référence").fill("peres melanie")
    page.get_by_role("button", name="Rechercher").click()
    row = page.get_by_role("row", name="Pérès Mélanie")
    expect(row).to_be_visible()
    expect(row.get_by_role("cell", name="Diagnostic approfondi")).to_be_visible()
