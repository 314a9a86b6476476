"""The administrator invites a worker; the worker follows the emailed link, chooses her password,
enrols her second factor and lands on her dashboard. axe-core is clean on every page."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.test_parcours import axe_violations, describe

pytestmark = pytest.mark.browser


def code_for(secret: str) -> str:
    key = secret.replace(" ", "")
    key += "=" * (-len(key) % 8)
    return f"{totp(b32decode(key)):06d}"


# The main menu's entries that stick out of the window, and the bar's height (one line: < 64 px).
NAVIGATION = """() => {
  const nav = document.querySelector('nav.navbar');
  const visibles = [...nav.querySelectorAll('.navbar-brand, .nav-link, .navbar-toggler')]
    .filter(e => e.offsetParent !== null);
  return {
    dehors: visibles.filter(e => e.getBoundingClientRect().right > window.innerWidth).map(e => e.textContent.trim()),
    hauteur: nav.getBoundingClientRect().height,
  };
}"""


def check_navigation_fits(page):
    """The administrator's menu (the longest) on one line at 1280 × 800, in the burger menu on a
    tablet (768 × 1024), opened with the keyboard."""
    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.evaluate(NAVIGATION) == {"dehors": [], "hauteur": pytest.approx(56, abs=7)}
    page.set_viewport_size({"width": 768, "height": 1024})
    assert page.evaluate(NAVIGATION)["dehors"] == []
    page.get_by_role("button", name="Afficher ou masquer le menu").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Administration", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Agnès Rivière (ADAFF) : mon compte")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 720})


def test_the_administrator_invites_a_worker_who_enrols_and_lands_on_her_dashboard(
    demo, login, page, live_server, settings
):
    from comptes.models import Utilisateur

    settings.OTP_REQUIRED = True
    problems = []

    def check(name):
        page.wait_for_load_state()
        if violations := axe_violations(page):
            problems.append(f"{name} ({page.url}):\n{describe(violations)}")

    admin = Utilisateur.objects.get(username="admin")
    device = TOTPDevice.objects.create(user=admin, name="Téléphone", confirmed=True)
    login("admin")
    page.get_by_label("Code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()

    page.get_by_role("link", name="Administration", exact=True).click()
    expect(page.get_by_role("heading", name="Administration", level=1)).to_be_visible()
    check("hub")
    check_navigation_fits(page)
    page.get_by_role("link", name="Utilisateurs").click()
    expect(page.get_by_role("heading", name="Utilisateurs", level=1)).to_be_visible()
    check("liste")
    page.get_by_role("link", name="Inviter une personne").click()
    check("invitation")
    page.get_by_label("Prénom").fill("Nadia")
    page.locator("#id_nom").fill("Benali")  # its label « Nom » is also in « Prénom »
    page.get_by_label("Adresse électronique").fill("nadia.benali@exemple.invalid")
    page.get_by_label("Organisation").select_option(label="ADAFF")
    page.get_by_label("Travailleur social").check()
    page.get_by_role("button", name="Envoyer l’invitation").click()
    expect(page.get_by_text("Invitation envoyée à nadia.benali@exemple.invalid")).to_be_visible()
    expect(page.get_by_text("Invitation en attente")).to_be_visible()
    check("fiche")
    page.locator("nav .dropdown-toggle").click()
    page.get_by_role("button", name="Se déconnecter").click()

    (message,) = [m for m in mail.outbox if m.to == ["nadia.benali@exemple.invalid"]]
    chemin = re.search(r"https?://[^/\s]+(/comptes/invitation/\S+)", message.body).group(1)
    page.goto(live_server.url + chemin)
    expect(page.get_by_role("heading", name="Choisir votre mot de passe")).to_be_visible()
    expect(page.get_by_text("nadia.benali", exact=True)).to_be_visible()
    check("mot de passe")
    page.locator("#id_new_password1").fill("Cheval-Agrafe-Batterie-2026")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("Cheval-Agrafe-Batterie-2026")
    page.get_by_role("button", name="Enregistrer mon mot de passe").click()

    expect(page.get_by_role("heading", name="Activer la double authentification")).to_be_visible()
    check("activation")
    page.get_by_label("Code à 6 chiffres affiché par l’application").fill(
        code_for(page.locator("#cle-secrete").inner_text())
    )
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", name="Codes de secours")).to_be_visible()
    check("codes de secours")
    page.get_by_role("link", name="Continuer").click()
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    check("tableau de bord")
    assert re.search(r"/$", page.url)
    assert not problems, "\n\n".join(problems)

    # The link served once: opened again, it says so.
    page.goto(live_server.url + chemin)
    expect(page.get_by_text("Ce lien d’invitation a déjà servi")).to_be_visible()
