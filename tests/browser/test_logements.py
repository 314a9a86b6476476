import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CSV = (
    "Référence;Adresse;Commune;Typologie;Surface;Loyer;Charges;Étage;Ascenseur;PMR;DPE;Statut\n"
    "HA-9001;12 impasse des Tilleuls;Limoux;T2;48,5;365,20;42;0;non;oui;C;vacant\n"
    "HA-9002;14 impasse des Tilleuls;11304;T4;81;512,50;61,30;3;oui;non;D;en rotation\n"
)


def test_cesf_imports_a_small_csv_and_sees_the_dwellings_in_the_list(demo, login):
    page = login("cesf.habitat")
    page.get_by_role("link", name="Logements", exact=True).click()
    expect(page.get_by_role("heading", name="Logements", level=1)).to_be_visible()
    page.get_by_role("link", name="Importer un fichier").click()
    expect(page.get_by_role("heading", name="Importer les logements de Habitat Audois")).to_be_visible()

    page.get_by_label("Fichier du bailleur (CSV ou Excel)").set_input_files(
        files=[{"name": "patrimoine.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Importer").click()

    expect(page.get_by_text("Import réussi : 2 logements créés, 0 mis à jour.")).to_be_visible()
    page.get_by_label("Référence ou adresse").fill("impasse des Tilleuls")
    page.get_by_role("button", name="Filtrer").click()
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(3)  # header and the two dwellings
    expect(page.get_by_role("link", name="12 impasse des Tilleuls")).to_be_visible()
    expect(page.get_by_role("row", name="14 impasse des Tilleuls")).to_contain_text("Quillan")
    expect(page.get_by_role("row", name="14 impasse des Tilleuls")).to_contain_text("En rotation")
