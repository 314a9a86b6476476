"""The worker's diary on a 768×1024 tablet: a list per day, keyboard and axe-core clean, and the
calendar address made and revoked through its confirmation pages."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_parcours import axe_violations, describe

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


def test_worker_reads_her_week_and_subscribes_her_calendar_on_a_tablet(demo, login, page):
    page.set_viewport_size({"width": 768, "height": 1024})
    login("ts.adaff")
    page.get_by_role("button", name="Afficher ou masquer le menu").click()
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon agenda"
    ).click()
    expect(page.get_by_role("heading", name="Mon agenda", level=1)).to_be_visible()
    expect(page.get_by_role("heading", level=3)).to_have_count(7)
    expect(page.locator("[aria-current=date]")).to_have_count(1)
    page.screenshot(path="test-results/agenda-tablette.png", full_page=True)
    assert not (v := axe_violations(page)), describe(v)
    # No horizontal scroll on the tablet.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    etapes = page.locator("li", has=page.locator(".badge", has_text="Prochaine étape"))
    cette_semaine = etapes.count()
    page.get_by_role("link", name="Semaine suivante").click()
    expect(page.get_by_role("link", name="Cette semaine")).to_be_visible()
    expect(page.locator("[aria-current=date]")).to_have_count(0)
    # The dated next steps of the demo's contacts fall within the next six days: they are in the
    # diary, with the step's text.
    assert cette_semaine + etapes.count() > 0
    page.screenshot(path="test-results/agenda-semaine-suivante-tablette.png", full_page=True)
    page.get_by_role("link", name="Cette semaine").click()

    page.get_by_role("link", name="Recevoir l’agenda dans mon calendrier").click()
    page.get_by_role("button", name="Créer l’adresse de mon agenda").click()
    adresse = page.get_by_label("Adresse de l’agenda").input_value()
    assert adresse.endswith(".ics")
    page.screenshot(path="test-results/agenda-calendrier-tablette.png", full_page=True)
    assert not (v := axe_violations(page)), describe(v)
    feed = page.request.get(adresse)
    assert feed.ok and "BEGIN:VCALENDAR" in feed.text()

    page.get_by_role("link", name="Révoquer l’adresse…").click()
    assert not (v := axe_violations(page)), describe(v)
    page.get_by_role("button", name="Révoquer l’adresse").click()
    expect(page.get_by_text("L’adresse de votre agenda est révoquée")).to_be_visible()
    assert page.request.get(adresse).status == 404
