import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_cesf_opens_a_tenant_file_records_a_complaint_and_sees_the_arrears_chart(demo, login, live_server):
    from logements.models import SoldeLocatif
    from menages.models import Menage

    menage = Menage.objects.filter(bailleur__sigle="Habitat Audois").order_by("pk").first()
    # The tenant's rent and charges, 450 €: a threshold of two months, 900 €.
    for mois, solde in ((10, "380"), (11, "760"), (12, "1140.50")):
        SoldeLocatif.objects.create(
            menage=menage,
            mois=datetime.date(2025, mois, 1),
            solde=Decimal(solde),
            loyer_charges=Decimal("450"),
        )

    page = login("cesf.habitat")
    page.goto(f"{live_server.url}/menages/{menage.pk}/")
    page.get_by_role("link", name="Dossier locatif").click()
    expect(page.get_by_role("heading", name=f"Dossier locatif de {menage.nom}")).to_be_visible()
    expect(page.get_by_role("img", name="Impayés de loyer mois par mois")).to_be_visible()
    expect(page.get_by_role("row", name="Décembre 2025")).to_contain_text("1\u202f140,50\u00a0€")
    expect(page.get_by_text("Seuil d’impayés franchi")).to_be_visible()

    page.get_by_role("link", name="Enregistrer une réclamation").click()
    page.get_by_label("Type").select_option("Troubles de voisinage")
    page.get_by_label("Description").fill("Musique forte après 22 h")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("La réclamation est enregistrée.")).to_be_visible()
    expect(page.get_by_text("Musique forte après 22 h")).to_be_visible()
    expect(page.get_by_role("img", name="Impayés de loyer mois par mois")).to_be_visible()
