import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("username", "widget"),
    [
        ("ts.adaff", "Mes ménages"),
        ("cesf.habitat", "Mes ménages"),
        ("financeur.ddcspp", "Le dispositif en chiffres"),
        ("comite.cg", "Comité de suivi"),
        ("admin", "Administration"),
    ],
)
def test_demo_user_logs_in_and_sees_their_dashboard(demo, login, username, widget):
    page = login(username)
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=widget, level=2)).to_be_visible()


def test_cesf_sees_only_her_landlords_households_in_the_list(demo, login, live_server):
    page = login("cesf.alogea")
    page.get_by_role("link", name="Ménages", exact=True).click()
    expect(page.get_by_role("heading", name="Ménages", level=1)).to_be_visible()
    page.get_by_label("Nom ou référence").fill("lefevre")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name="Lefèvre Éric")).to_be_visible()
    page.get_by_label("Nom ou référence").fill("durand")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_text("Aucun ménage ne correspond")).to_be_visible()
    expect(page.get_by_text("Durand Hélène")).to_have_count(0)


def test_wrong_password_shows_a_french_message(demo, login):
    page = login("ts.adaff", "mauvais-mot-de-passe")
    expect(page.get_by_text("Identifiant ou mot de passe incorrect")).to_be_visible()
    expect(page.get_by_label("Identifiant")).to_have_value("ts.adaff")


def test_menu_works_with_the_keyboard_on_a_tablet(demo, login, page):
    page.set_viewport_size({"width": 768, "height": 1024})
    login("ts.adaff")
    toggler = page.get_by_role("button", name="Afficher ou masquer le menu")
    toggler.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Ménages", exact=True)).to_be_visible()
