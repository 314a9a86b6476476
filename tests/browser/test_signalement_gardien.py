"""The caretaker's report, end to end on a tablet (768 × 1024): he finds a dwelling by its address
and reports a disturbance, the CESF sees it on her dashboard and closes it with a resolution. Every
page screenshot and checked with axe-core (test-results/parcours/)."""

import datetime

import pytest
from playwright.sync_api import expect

# The journeys' screenshots and axe-core audit, in French and Paris time.
from tests.browser.test_parcours import Journey, browser_context_args  # noqa: F401

pytestmark = pytest.mark.browser

TABLETTE = {"width": 768, "height": 1024}


def test_caretaker_reports_a_disturbance_and_the_cesf_closes_it(demo, page, live_server):
    from demo.comptes import DEMO_PASSWORD
    from logements.enums import DecisionCal
    from logements.models import Attribution, Logement, SignalementGardien
    from menages.models import Menage

    # A household of the programme living in a Habitat Audois dwelling, at an address of its own.
    menage = Menage.objects.en_cours().filter(bailleur__sigle="Habitat Audois").order_by("pk").first()
    logement = Logement.objects.filter(bailleur=menage.bailleur).order_by("pk").first()
    Logement.objects.filter(pk=logement.pk).update(adresse="7 impasse Zéphyrine")
    Attribution.objects.create(
        menage=menage,
        logement=logement,
        canal="rotation",
        decision_cal=DecisionCal.ACCEPTEE,
        date_cal=datetime.date(2026, 1, 5),
        date_entree=datetime.date(2026, 2, 1),
        auteur=menage.bailleur.utilisateurs.first(),
    )

    def connexion(identifiant):
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/comptes/connexion/")
        page.get_by_label("Identifiant").fill(identifiant)
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()

    j = Journey(page, "gardien-cesf", "tablet")
    page.set_viewport_size(TABLETTE)

    # The caretaker: from his dashboard to the dwelling, found by its address.
    connexion("gardien.habitat")
    page.get_by_role("link", name="Signaler une situation chez un locataire").click()
    expect(page.get_by_role("heading", name="Signaler une situation", level=1)).to_be_visible()
    expect(page.get_by_text(menage.nom)).to_have_count(0)
    j.check("caretaker-search")
    page.get_by_label("Adresse, commune ou référence du logement").fill("zéphyrine")
    resultats = page.get_by_role("list", name="Logements trouvés")
    expect(resultats).to_contain_text("7 impasse Zéphyrine")  # completed by htmx as he types
    expect(page.get_by_text("1 logement trouvé.")).to_be_visible()
    expect(page.locator("#resultats")).not_to_contain_text(menage.nom)
    j.check("caretaker-results")
    resultats.get_by_role("link", name="Signaler une situation au 7 impasse Zéphyrine").click()

    expect(page.get_by_role("main").locator("strong")).to_contain_text("7 impasse Zéphyrine")
    page.get_by_label("Nature").select_option("Troubles de voisinage")
    page.get_by_label("Observations").fill("Cris et musique forte vers 23 h, plusieurs voisins se plaignent.")
    j.check("caretaker-form")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_role("heading", name="Signalement transmis")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("transmis à votre bailleur")
    expect(page.get_by_text(menage.nom)).to_have_count(0)
    j.check("caretaker-confirmation")

    # The CESF: the report is new on her dashboard, by reference only.
    connexion("cesf.habitat")
    nouveautes = page.get_by_role("region", name="Nouveau dans les dossiers locatifs")
    lien = nouveautes.get_by_role("link", name=f"Signalement du gardien – dossier {menage.reference}")
    expect(lien).to_be_visible()
    expect(nouveautes).not_to_contain_text(menage.nom)
    j.check("cesf-dashboard")
    lien.click()

    expect(page.get_by_role("heading", name=f"Dossier locatif de {menage.nom}")).to_be_visible()
    signalements = page.get_by_role("region", name="Signalements du gardien")
    expect(signalements).to_contain_text("Cris et musique forte vers 23 h")
    j.check("cesf-tenant-file")
    signalements.get_by_role("link", name="Clore le signalement du").first.click()

    expect(page.get_by_role("heading", name="Clore le signalement du gardien")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("au 7 impasse Zéphyrine")
    j.check("cesf-close-confirmation")
    page.get_by_role("button", name="Confirmer la clôture").click()
    expect(page.get_by_text("Indiquez comment la situation a été résolue.")).to_be_visible()
    j.check("cesf-close-without-resolution")
    page.get_by_label("Résolution").fill(
        "Rencontre avec le ménage le lendemain ; rappel du règlement intérieur."
    )
    page.get_by_role("button", name="Confirmer la clôture").click()

    expect(page.get_by_text("Le signalement du gardien est clos.")).to_be_visible()
    expect(signalements).to_contain_text("Rencontre avec le ménage le lendemain")
    j.check("cesf-closed")
    signalement = SignalementGardien.objects.get(logement=logement)
    assert (signalement.menage_id, signalement.statut) == (menage.pk, "traitee")
    j.assert_accessible()
