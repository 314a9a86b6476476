"""Steps the browser journeys share."""

from urllib.parse import urljoin

from playwright.sync_api import expect


def ouvrir_menage(page, recherche, nom):
    """Search the households' list for `recherche` and open the file of `nom`. The list answers
    with htmx, as it is typed (after 400 ms) and on « Rechercher »: a click on a link that a later
    answer replaces is lost (the journey then waited 30 s on the list for the file's links). The
    file is opened from the address of the link found."""
    page.get_by_label("Nom ou référence").fill(recherche)
    page.get_by_role("button", name="Rechercher").click()
    lien = page.get_by_role("link", name=nom)
    expect(lien).to_be_visible()
    page.goto(urljoin(page.url, lien.get_attribute("href")))
    expect(page.get_by_role("heading", name=nom, level=1)).to_be_visible()
