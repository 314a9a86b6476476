import re

import pytest
from playwright.sync_api import expect

# The journeys' screenshots (test-results/parcours/) and axe-core audit, in French and Paris time.
from tests.browser.test_parcours import SIZES, Journey, browser_context_args  # noqa: F401

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


@pytest.mark.parametrize("size", list(SIZES))
def test_secretary_settles_a_past_session_through_the_confirmation_page(demo, page, live_server, size):
    """The session's day has passed and it is still planned: the secretary sees it on her
    dashboard, tries to move it to a Sunday (refused beside the field), records the attendance and
    closes it after reading what closing does. Every page screenshot and checked with axe-core."""
    import datetime

    from django.utils import timezone

    from comites.models import Seance
    from demo.comptes import DEMO_PASSWORD

    # The demo's next session, brought back to yesterday: left planned after its day.
    seance = Seance.objects.ouvertes().filter(date__gte=timezone.now()).order_by("date").first()
    seance.date = timezone.localtime().replace(hour=14, minute=0) - datetime.timedelta(days=1)
    seance.save(update_fields=["date"])

    j = Journey(page, "secretary", size)
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill("ts.adaff")
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    region = page.get_by_role("region", name="Séances à régulariser")
    expect(region).to_be_visible()
    j.check("dashboard-to-regularise")
    region.get_by_role("link").first.click()
    expect(page.get_by_text("La date de cette séance est passée")).to_be_visible()
    j.check("session-to-regularise")

    page.get_by_role("link", name="Déplacer la séance").click()
    page.get_by_label("Nouvelle date et heure").fill("2027-01-03T14:00")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le dimanche 3 janvier 2027 tombe un week-end")).to_be_visible()
    j.check("move-to-a-sunday-refused")
    page.get_by_role("link", name="Annuler").click()

    page.get_by_role("link", name="Clore la séance…").click()
    expect(page.get_by_text("Les présences ne sont pas enregistrées.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Confirmer"))).to_have_count(0)
    j.check("close-refused-without-attendance")
    page.get_by_role("link", name="Retour à la séance").click()
    for presence in page.locator("input[name=presents]").all()[:3]:
        presence.check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Les présences sont enregistrées.")).to_be_visible()

    page.get_by_role("link", name="Clore la séance…").click()
    expect(page.get_by_role("heading", name="Procès-verbal")).to_be_visible()
    expect(page.get_by_text("soumis à l’approbation du comité lors de la prochaine séance")).to_be_visible()
    j.check("close-confirmation")
    page.get_by_role("button", name=re.compile("^Confirmer")).click()
    expect(page.get_by_text("La séance est tenue et close")).to_be_visible()
    expect(page.get_by_role("link", name="Télécharger le procès-verbal (PDF)")).to_be_visible()
    j.check("session-held")
    seance.refresh_from_db()
    assert seance.statut == "tenue"
    j.assert_accessible()
