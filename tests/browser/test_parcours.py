"""One journey per role, at desktop and tablet sizes: every page visited is screenshot under
test-results/parcours/ and checked with axe-core against the WCAG 2.1 A and AA rules."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

AXE_SOURCE = (Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = Path("test-results") / "parcours"
SIZES = {"desktop": {"width": 1280, "height": 800}, "tablet": {"width": 810, "height": 1080}}

# page.add_script_tag(path=...) adds an inline script, which the app's CSP refuses; page.evaluate goes
# through the DevTools protocol, outside the CSP, so axe is injected without weakening it.
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""


# axe only asks for a review of repeated ids; a label then names the wrong field, so it fails here.
DUPLICATE_IDS = """() => {
  const seen = new Set(), repeated = new Set();
  for (const el of document.querySelectorAll("[id]")) (seen.has(el.id) ? repeated : seen).add(el.id);
  return [...repeated];
}"""


def axe_violations(page):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    if repeated := page.evaluate(DUPLICATE_IDS):
        violations.append(
            {"id": "duplicate-id", "impact": "serious", "help": "ids must be unique", "targets": repeated}
        )
    return violations


def describe(violations):
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"]) for v in violations
    )


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


class Journey:
    """Screenshots and audits each page of one role's journey at one size."""

    def __init__(self, page, role, size):
        self.page, self.role, self.size, self.step = page, role, size, 0
        self.problems = []
        self.menu_checked = False
        page.set_viewport_size(SIZES[size])

    def check(self, name):
        self.step += 1
        self.page.wait_for_load_state()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=SCREENSHOTS / f"{self.role}-{self.size}-{self.step}-{name}.png", full_page=True
        )
        violations = axe_violations(self.page)
        if violations:
            self.problems.append(f"{name} ({self.page.url}):\n{describe(violations)}")

    def menu(self, label):
        """Follows a main menu link, opening the collapsed menu first on a tablet."""
        toggler = self.page.get_by_role("button", name="Afficher ou masquer le menu")
        nav = self.page.get_by_role("navigation", name="Navigation principale")
        link = nav.get_by_role("link", name=re.compile(f"^{label}"))
        if toggler.is_visible():
            toggler.click()
            expect(self.page.locator("#menu-principal")).to_have_class(re.compile(r"\bshow\b"))  # opened
            if not self.menu_checked:  # the opened menu is audited once per journey
                self.menu_checked = True
                self.check("menu")
        link.click()

    def assert_accessible(self):
        assert not self.problems, "axe-core (WCAG 2.1 A/AA) violations:\n" + "\n".join(self.problems)


@pytest.fixture(params=list(SIZES))
def journey(request, demo, page, live_server):
    from demo.comptes import DEMO_PASSWORD

    def start(username, role):
        journey = Journey(page, role, request.param)
        page.goto(f"{live_server.url}/comptes/connexion/")
        journey.check("login")
        page.get_by_label("Identifiant").fill(username)
        page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
        journey.check("dashboard")
        return journey

    return start


def test_social_worker_journey(journey, page):
    from rappels.generation import generer

    generer()  # the reminders the scheduler would have created, so the notifications page has some
    j = journey("ts.adaff", "social-worker")
    j.menu("Ménages")
    j.check("households")
    page.get_by_label("Nom ou référence").fill("noel francoise")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name="Noël Françoise")).to_be_visible()
    j.check("households-search")
    page.get_by_role("link", name="Noël Françoise").click()
    expect(page.get_by_role("heading", name="Noël Françoise", level=1)).to_be_visible()
    j.check("household")
    page.get_by_role("link", name="Noter un contact").click()
    j.check("contact-form")
    page.get_by_label("Note", exact=True).fill("Point sur le budget du mois, fait ensemble.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le contact est enregistré.")).to_be_visible()
    j.check("household-after-contact")
    page.get_by_role("link", name=re.compile("^Voir la chronologie")).click()
    expect(page.get_by_role("heading", name=re.compile("^Chronologie du ménage"), level=1)).to_be_visible()
    # The contact just noted is in it, dated today.
    expect(page.locator("ol.chronologie")).to_contain_text(timezone.localdate().strftime("%d/%m/%Y"))
    j.check("household-timeline")
    j.menu("Notifications")
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Ouvrir")).first).to_be_visible()
    j.check("notifications")
    j.assert_accessible()


def test_cesf_journey(journey, page):
    j = journey("cesf.habitat", "cesf")
    page.get_by_role("region", name="Mes ménages").get_by_role("listitem").first.get_by_role("link").click()
    expect(page.get_by_role("term").filter(has_text="Bailleur concerné")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text="Habitat Audois")).to_be_visible()
    j.check("household")
    page.get_by_role("region", name="Temps forts").get_by_role("link", name="Planifier").click()
    j.check("key-moment-form")
    page.get_by_label("Temps fort").select_option(index=1)
    page.get_by_label("Date prévue").fill("2026-12-15T10:00")
    page.get_by_label("Déroulement").select_option(index=1)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("C’est enregistré")).to_be_visible()
    j.check("household-after-key-moment")
    j.assert_accessible()


def test_committee_member_journey(journey, page):
    j = journey("comite.cg", "committee-member")
    j.menu("Comités")
    j.check("sessions")
    page.get_by_role("region", name="Séances à venir").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Ordre du jour")).to_be_visible()
    j.check("session-agenda")
    page.get_by_role("table", name="Points de l’ordre du jour").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Le ménage en bref")).to_be_visible()
    j.check("case-summary")
    page.get_by_label("Favorable", exact=True).check()
    page.get_by_label("Commentaire").fill("Accord.")
    page.get_by_role("button", name="Donner mon avis").click()
    expect(page.get_by_text("Votre avis est enregistré")).to_be_visible()
    j.check("case-summary-after-opinion")
    j.assert_accessible()


def test_funder_journey(journey, page):
    j = journey("financeur.ddcspp", "funder")
    expect(page.get_by_role("heading", name="Le dispositif en chiffres", level=2)).to_be_visible()
    j.menu("Comités")
    j.check("sessions")
    page.get_by_role("region", name="Séances à venir").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Ordre du jour")).to_be_visible()
    j.check("session-agenda")
    page.get_by_role("table", name="Points de l’ordre du jour").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Le ménage en bref")).to_be_visible()
    j.check("case-summary")
    j.assert_accessible()


def test_administrator_journey(journey, page, live_server):
    from comptes.models import Utilisateur

    j = journey("admin", "administrator")
    page.get_by_role("link", name="Paramétrer le dispositif").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    j.check("admin-site")
    page.go_back()
    page.get_by_role("region", name="Ménages du dispositif").get_by_role("listitem").first.get_by_role(
        "link"
    ).click()
    j.check("household")
    page.get_by_role("link", name="Journal des consultations et modifications").click()
    expect(page.get_by_role("heading", name=re.compile("^Journal du dossier"), level=1)).to_be_visible()
    j.check("household-journal")
    social_worker = Utilisateur.objects.get(username="ts.adaff")
    page.goto(f"{live_server.url}/comptes/utilisateurs/{social_worker.pk}/journal/")
    expect(page.get_by_role("heading", name=re.compile("^Journal de"), level=1)).to_be_visible()
    j.check("user-journal")
    j.assert_accessible()


def test_skip_link_and_account_menu_work_with_the_keyboard(demo, login, page):
    login("ts.adaff")
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Aller au contenu")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.get_by_role("button", name=re.compile("^Claire Vidal")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_hidden()
