import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_funder_starts_a_report_follows_its_progress_and_downloads_it(demo, login, page, monkeypatch):
    from financement import services

    # Hold the task back so that the page shows the report waiting, then run it as a worker would:
    # the row, polled by htmx, turns into the download link.
    en_file = []
    monkeypatch.setattr(services, "_enqueue", lambda rapport: en_file.append(rapport.pk))
    login("financeur.ddcspp")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Financement"
    ).click()
    page.get_by_role("link", name="Rapports financeurs").click()
    page.get_by_label("Du", exact=True).fill("2026-01-01")
    page.get_by_label("Au", exact=True).fill("2026-06-30")
    page.get_by_role("button", name="Produire le rapport").click()
    expect(page.get_by_text("Le rapport est en cours de production")).to_be_visible()
    expect(page.get_by_text("En attente : 0 %")).to_be_visible()

    services.produire_rapport(rapport_id=en_file[0])
    lien = page.get_by_role("link", name="Télécharger le rapport (PDF)")
    expect(lien).to_be_visible(timeout=15_000)
    with page.expect_download() as telechargement:
        lien.click()
    with open(telechargement.value.path(), "rb") as fichier:
        assert fichier.read(5) == b"%PDF-"
    assert telechargement.value.suggested_filename.startswith("rapport-financeur-")


def test_funder_sees_why_a_period_is_refused_next_to_its_field(demo, login, page):
    login("financeur.ddcspp")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Financement"
    ).click()
    page.get_by_role("link", name="Objectifs et indicateurs").click()
    page.get_by_label("Du", exact=True).fill("2026-06-30")
    page.get_by_label("Au", exact=True).fill("9999-12-31")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_label("Au", exact=True)).to_have_accessible_description(
        "Le dispositif se termine le 31 décembre 2028\u00a0: la période ne peut pas finir après."
    )
    expect(page.get_by_label("Du", exact=True)).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("La période demandée n’est pas valide")).to_be_visible()
    # The figures of the default period are still there.
    expect(page.locator(".graphique svg").first).to_be_visible()
