"""Browser tests: Playwright drives Debian's Chromium against Django's live server."""

import os

import pytest

from tests.support.demo import charger_demo

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# tests themselves (fixtures) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def password_only(settings):
    """As with `make run`, the demo accounts log in with their password only; the two-factor
    browser test switches OTP_REQUIRED back on."""
    settings.OTP_REQUIRED = False


@pytest.fixture
def demo(transactional_db):
    charger_demo()


@pytest.fixture
def login(page, live_server):
    from demo.comptes import DEMO_PASSWORD

    def run(username, password=DEMO_PASSWORD):
        page.goto(f"{live_server.url}/comptes/connexion/")
        page.get_by_label("Identifiant").fill(username)
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        return page

    return run
