"""A committee session in the browser, from attendance to the minutes: the secretary records who
is present, the chair decides an item with the form of the decision chosen (its fields swapped by
htmx), confirms it, and closes the session through its confirmation page. Every page is
screenshot and checked with axe-core, at desktop and tablet sizes."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_parcours import SIZES, Journey, browser_context_args  # noqa: F401

pytestmark = pytest.mark.browser


def connexion(page, live_server, username):
    from demo.comptes import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()


@pytest.mark.parametrize("size", list(SIZES))
def test_session_from_attendance_to_minutes(demo, page, live_server, size):
    from comites.models import PointOrdreDuJour, Seance

    # The demo's next session, held today.
    seance = Seance.objects.ouvertes().filter(date__gte=timezone.now()).order_by("date").first()
    seance.date = timezone.now() - datetime.timedelta(minutes=5)
    seance.save(update_fields=["date"])
    point = seance.points.a_decider().order_by("ordre", "pk").first()
    assert point is not None, "the demo's next session has an item to decide"
    j = Journey(page, "committee", size)

    # The secretary records the attendance.
    connexion(page, live_server, "ts.adaff")
    page.goto(f"{live_server.url}{seance.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Ordre du jour")).to_be_visible()
    j.check("session")
    for presence in page.locator("input[name=presents]").all():
        presence.check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Les présences sont enregistrées.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"requis – atteint"))).to_be_visible()
    j.check("attendance-recorded")

    # The chair opens the item from the agenda.
    connexion(page, live_server, "comite.cg")
    page.goto(f"{live_server.url}{seance.get_absolute_url()}")
    page.locator(f"#point-{point.pk}").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Synthèse du référent")).to_be_visible()
    expect(page.get_by_role("navigation", name="Points de l’ordre du jour")).to_be_visible()
    j.check("item")

    # Choosing another decision swaps its fields in place (htmx), without reloading the page.
    page.evaluate("window.pasRecharge = true")
    formulaire = page.get_by_role("region", name="Décision de la présidence")
    formulaire.get_by_role("combobox", name=re.compile("^Décision")).select_option(label="Ajourner")
    expect(formulaire.get_by_role("textbox", name=re.compile("^Motif de l’ajournement"))).to_be_visible()
    expect(formulaire.get_by_role("combobox", name=re.compile("^Niveau"))).to_have_count(0)
    assert page.evaluate("window.pasRecharge") is True  # the same page: only the fields changed
    j.check("item-decision-fields-swapped")

    # Checked by the server: the reason is required.
    formulaire.get_by_role("button", name=re.compile("^Vérifier la décision")).click()
    expect(page.get_by_text("Indiquez pourquoi le point est ajourné.")).to_be_visible()
    j.check("item-decision-refused")
    formulaire = page.get_by_role("region", name="Décision de la présidence")
    formulaire.get_by_role("textbox", name=re.compile("^Motif de l’ajournement")).fill(
        "Pièces du dossier à compléter."
    )
    formulaire.get_by_role("button", name=re.compile("^Vérifier la décision")).click()

    # The confirmation page says what will happen; nothing is recorded yet.
    expect(page.get_by_role("heading", name="Confirmer la décision : ajourner")).to_be_visible()
    expect(page.get_by_text("Rien ne change au dossier")).to_be_visible()
    expect(page.get_by_role("heading", name="Qui en est informé")).to_be_visible()
    point.refresh_from_db()
    assert not point.est_decide
    j.check("decision-confirmation")
    page.get_by_role("button", name="Confirmer et appliquer la décision").click()
    expect(page.get_by_text("La décision est enregistrée et appliquée au dossier.")).to_be_visible()
    j.check("after-decision")
    point.refresh_from_db()
    assert point.decision == "ajourner" and point.decision_commentaire == "Pièces du dossier à compléter."

    # The session is closed through its confirmation page; the minutes are produced.
    page.goto(f"{live_server.url}{seance.get_absolute_url()}")
    page.get_by_role("link", name="Clore la séance…").click()
    expect(page.get_by_role("heading", name="Procès-verbal")).to_be_visible()
    expect(page.get_by_text(re.compile("1 décision figure au procès-verbal"))).to_be_visible()
    j.check("close-confirmation")
    page.get_by_role("button", name=re.compile("^Confirmer")).click()
    expect(page.get_by_text("La séance est tenue et close")).to_be_visible()
    expect(page.get_by_role("link", name="Télécharger le procès-verbal (PDF)")).to_be_visible()
    j.check("session-held")
    seance.refresh_from_db()
    assert seance.statut == "tenue" and seance.pv
    assert PointOrdreDuJour.objects.get(pk=point.pk).decision == "ajourner"
    j.assert_accessible()
