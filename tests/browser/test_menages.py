import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

# The journeys' screenshots (test-results/parcours/) and axe-core audit, in French and Paris time.
from tests.browser.test_parcours import SIZES, Journey, browser_context_args  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", list(SIZES))
def test_social_worker_creates_household_moves_it_to_diagnostic_and_finds_it(
    demo, login, live_server, page, size
):
    """The submission to the funders and the end of an intervention are confirmed on pages that
    are screenshot and checked with axe-core (test-results/parcours/)."""
    j = Journey(page, "household-path", size)
    login("ts.adaff")
    j.menu("Ménages")  # opens the collapsed menu first on a tablet
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

    # Submitting opens a page that lists what the funders' email still lacks, with links to where
    # it is entered, and no button to send until the file is complete.
    page.get_by_role("link", name="Soumettre aux financeurs").click()
    expect(page.get_by_role("heading", name="Le dossier n’est pas prêt pour les financeurs")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Envoyer"))).to_have_count(0)
    j.check("submission-incomplete")
    page.get_by_role("link", name="Saisir la composition").click()
    # Several empty rows: the first one is enough here.
    page.get_by_label("Prénom").first.fill("Mélanie")
    page.get_by_role("textbox", name=re.compile(r"^Nom\b")).first.fill("Pérès")
    page.get_by_label("Lien avec le chef de ménage").first.select_option(label="Chef de ménage")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Soumettre aux financeurs").click()
    page.get_by_role("link", name="Saisir les ressources").click()
    page.get_by_role("combobox", name=re.compile(r"^Type\b")).select_option(label="RSA")
    page.get_by_label("Montant mensuel (€)").fill("635,71")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Les modifications sont enregistrées.")).to_be_visible()

    # The funders read the summary only with the household's consent: its référente records it.
    page.get_by_role("link", name="Soumettre aux financeurs").click()
    page.get_by_role("link", name="Enregistrer le consentement").click()
    expect(page.get_by_role("heading", name="Consentements au partage", level=1)).to_be_visible()
    page.get_by_label("Partage avec").select_option(label="Financeurs (validation de l’entrée)")
    page.get_by_label("Consentement donné le").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Enregistrer le consentement").click()
    expect(page.get_by_text("Financeurs (validation de l’entrée) est enregistré.")).to_be_visible()
    j.check("consents")
    page.get_by_role("link", name="Retour au dossier").click()

    # Complete: the page says who will get the email and what they will read.
    page.get_by_role("link", name="Soumettre aux financeurs").click()
    destinataires = page.get_by_role("region", name="Destinataires")
    expect(destinataires).to_contain_text("DDCSPP")
    expect(page.get_by_text("1 adulte, 0 enfant")).to_be_visible()
    j.check("submission-confirmation")
    page.get_by_role("button", name=re.compile("^Envoyer la demande à")).click()
    expect(page.get_by_text("demande de validation envoyée")).to_be_visible()
    page.get_by_role("link", name="Saisir une réponse reçue").click()
    page.get_by_label("Financeur").select_option(label="DDCSPP")
    page.get_by_label("Validé").check()
    page.get_by_label("Commentaire").fill("Accord donné par téléphone.")
    page.get_by_role("button", name="Enregistrer").click()

    page.get_by_role("link", name="Commencer le diagnostic approfondi").click()
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("est passé à l’étape « Diagnostic approfondi »")).to_be_visible()

    # Ending her own intervention is confirmed first, with what it changes; she cancels.
    page.get_by_role("link", name=re.compile("^Terminer l’intervention de")).first.click()
    expect(page.get_by_text("Le ménage n’aura plus de travailleur social référent.")).to_be_visible()
    j.check("end-intervention-confirmation")
    page.get_by_role("link", name="Annuler").click()
    expect(page.get_by_role("heading", name="Pérès Mélanie", level=1)).to_be_visible()

    j.menu("Ménages")
    page.get_by_label("Nom ou référence").fill("peres melanie")
    page.get_by_role("button", name="Rechercher").click()
    row = page.get_by_role("row", name="Pérès Mélanie")
    expect(row).to_be_visible()
    expect(row.get_by_role("cell", name="Diagnostic approfondi")).to_be_visible()
    j.assert_accessible()
