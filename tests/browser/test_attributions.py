import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

# The journeys' screenshots (test-results/parcours/) and axe-core audit, in French and Paris time.
from tests.browser.test_parcours import Journey, browser_context_args  # noqa: F401

pytestmark = pytest.mark.browser


def test_attribution_officer_follows_a_proposal_on_the_board_on_a_tablet(demo, login, page):
    """The chargé d'attribution finds the proposal on her home page and board, records the visit,
    and sees it move to the next column; every page checked with axe-core."""
    from comptes.models import Utilisateur
    from logements import services
    from logements.models import Attribution, Logement
    from menages.models import Menage

    officer = Utilisateur.objects.get(username="attribution.habitat")
    menage = Menage.objects.filter(bailleur=officer.organisation).order_by("pk").first()
    logement = (
        Logement.objects.filter(bailleur=officer.organisation, statut="vacant", attributions__isnull=True)
        .order_by("pk")
        .first()
    )
    services.enregistrer_attribution(
        attribution=Attribution(menage=menage, logement=logement, canal="rotation"), auteur=officer
    )

    j = Journey(page, "attribution-pipeline", "tablet")
    login("attribution.habitat")
    expect(page.get_by_role("heading", name="Attributions en cours", level=2)).to_be_visible()
    j.check("dashboard")
    j.menu("Attributions")
    expect(page.get_by_role("heading", name="Attributions en cours", level=1)).to_be_visible()
    propose = page.get_by_role("region", name="Logement proposé")
    expect(propose.get_by_role("link", name=menage.nom)).to_be_visible()
    j.check("board")

    propose.get_by_role("link", name=menage.nom).click()
    expect(page.get_by_role("heading", name="Suivi de l’attribution")).to_be_visible()
    j.check("attribution")
    visite = timezone.localdate() - datetime.timedelta(days=1)
    page.get_by_label("Visite le").fill(visite.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L’attribution est enregistrée")).to_be_visible()

    j.menu("Attributions")
    visitee = page.get_by_role("region", name="Visite faite")
    expect(visitee.get_by_role("link", name=menage.nom)).to_be_visible()
    expect(visitee).to_contain_text(f"visite le {visite:%d/%m/%Y}")
    j.assert_accessible()
