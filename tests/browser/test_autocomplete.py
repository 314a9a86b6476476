"""The autocomplete (comptes.widgets) with the keyboard only: type, arrow down, Enter, save; the
open list audited with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_parcours import SIZES, Journey, browser_context_args  # noqa: F401
from tests.support.navigateur import ouvrir_menage

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", list(SIZES))
def test_social_worker_names_a_colleague_with_the_keyboard(demo, login, page, size):
    j = Journey(page, "autocomplete", size)
    login("ts.adaff")
    j.menu("Ménages")
    ouvrir_menage(page, "noel francoise", "Noël Françoise")
    page.get_by_role("region", name="Intervenants").get_by_role("link", name="Ajouter").click()

    page.get_by_label("Intervention").select_option(label="Travailleur social IML")
    champ = page.get_by_role("combobox", name="Professionnel du dispositif")
    champ.press_sequentially("mart", delay=30)
    liste = page.get_by_role("listbox")
    expect(liste.get_by_role("option", name=re.compile("Julien Marty"))).to_be_visible()
    expect(champ).to_have_attribute("aria-expanded", "true")
    champ.press("ArrowDown")
    expect(liste.get_by_role("option", name=re.compile("Julien Marty"))).to_have_attribute(
        "aria-selected", "true"
    )
    j.check("liste-ouverte")
    champ.press("Enter")
    expect(champ).to_have_value(re.compile("^Julien Marty"))
    expect(champ).to_have_attribute("aria-expanded", "false")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L’intervenant est ajouté.")).to_be_visible()
    expect(page.get_by_role("region", name="Intervenants").get_by_text("Julien Marty").first).to_be_visible()
    j.assert_accessible()
