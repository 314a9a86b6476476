"""Field work on a 768×1024 tablet: noting a contact is the first thing on the household's file,
with the household's own intervenants as the people present; the composition takes several
members at once; the pages pass axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_parcours import axe_violations, describe
from tests.support.navigateur import ouvrir_menage

pytestmark = pytest.mark.browser

TABLETTE = {"width": 768, "height": 1024}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


def _ouvrir(page, nom, recherche):
    page.get_by_role("button", name="Afficher ou masquer le menu").click()
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Ménages").click()
    ouvrir_menage(page, recherche, nom)


def test_contact_first_on_a_tablet_with_the_households_people_only(demo, login, page):
    page.set_viewport_size(TABLETTE)
    login("ts.adaff")
    _ouvrir(page, "Noël Françoise", "noel francoise")

    noter = page.get_by_role("link", name="Noter un contact")
    expect(noter).to_have_count(1)
    boite = noter.bounding_box()
    assert boite["y"] + boite["height"] <= TABLETTE["height"]  # no scroll needed
    assert "btn-primary" in noter.get_attribute("class")
    relais = page.get_by_role("link", name="Passer en relais sortant")
    if relais.count():
        assert "btn-primary" not in relais.get_attribute("class").split()
    assert not axe_violations(page), describe(axe_violations(page))
    page.screenshot(path="test-results/terrain-dossier-tablette.png")

    noter.click()
    expect(page.get_by_role("heading", name="Nouveau contact")).to_be_visible()
    from menages.models import Intervenant

    attendus = sorted(
        str(i.utilisateur)
        for i in Intervenant.objects.actifs().filter(menage__nom="Noël Françoise", utilisateur__isnull=False)
        if i.utilisateur.username != "ts.adaff"
    )
    assert attendus  # the demo household has another intervenant than its referent
    # The form is long: its main action stays in view at the bottom of the tablet's screen.
    enregistrer = page.get_by_role("button", name="Enregistrer").bounding_box()
    assert enregistrer["y"] + enregistrer["height"] <= TABLETTE["height"]
    presents = page.locator("#div_id_professionnels")
    expect(presents).to_be_visible()
    cases = presents.get_by_role("checkbox")
    expect(cases).to_have_count(len(attendus))
    noms = sorted(
        re.sub(r" \(.*\)$", "", t) for t in presents.locator("label.form-check-label").all_inner_texts()
    )
    assert noms == attendus
    assert not axe_violations(page), describe(axe_violations(page))
    page.screenshot(path="test-results/terrain-contact-tablette.png", full_page=True)
    cases.first.check()
    page.get_by_label("Note", exact=True).fill("Visite : point sur le budget du mois.")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le contact est enregistré.")).to_be_visible()


def test_composition_takes_several_members_and_a_row_more_without_script(demo, login, page):
    page.set_viewport_size(TABLETTE)
    login("ts.adaff")
    _ouvrir(page, "Noël Françoise", "noel francoise")
    page.get_by_role("link", name="Modifier la composition").click()
    # count() does not wait: read it only once the form has replaced the household's file.
    expect(page.get_by_role("heading", name="Composition du ménage", level=1)).to_be_visible()
    prenoms = page.get_by_label("Prénom")
    expect(prenoms.first).to_be_visible()
    avant = prenoms.count()
    assert avant >= 1
    page.get_by_role("button", name=re.compile("^Ajouter une ligne")).click()
    expect(page.get_by_label("Prénom")).to_have_count(avant + 1)
    expect(page.get_by_label("Prénom").last).to_be_focused()
    assert not axe_violations(page), describe(axe_violations(page))
    page.screenshot(path="test-results/terrain-composition-tablette.png", full_page=True)


def test_a_visit_typed_offline_is_kept_then_sent_once_when_the_network_returns(demo, login, page, context):
    from accompagnement.models import Contact

    page.set_viewport_size(TABLETTE)
    login("ts.adaff")
    _ouvrir(page, "Noël Françoise", "noel francoise")
    page.get_by_role("link", name="Noter un contact").click()
    formulaire = page.url
    assert not axe_violations(page), describe(axe_violations(page))
    # The field pages' service worker keeps the form opened, to show it again without network.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)").endswith("/menages/")
    page.reload()
    en_cache = "caches.open('asea-terrain').then(c => c.match(location.href)).then(r => !!r)"
    assert page.evaluate(en_cache)

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Nouveau contact")).to_be_visible()
    texte = "Visite hors réseau : la cage d’escalier n’a pas de signal."
    page.get_by_label("Note", exact=True).fill(texte)
    page.get_by_role("button", name="Enregistrer").click()
    etat = page.locator("#etat-brouillon")
    expect(etat).to_contain_text("en attente d’envoi")
    assert page.url == formulaire  # no browser error page, the typed text is still there
    expect(page.get_by_label("Note", exact=True)).to_have_value(texte)
    brouillons = page.evaluate("JSON.parse(localStorage.getItem('asea-brouillons'))")
    assert [b["etat"] for b in brouillons] == ["attente"]
    assert not Contact.objects.filter(note=texte).exists()
    assert not axe_violations(page), describe(axe_violations(page))
    page.screenshot(path="test-results/terrain-hors-reseau-tablette.png", full_page=True)

    context.set_offline(False)
    expect(page.locator("#etat-brouillon")).to_have_text("Contact envoyé. Le contact est enregistré.")
    assert page.url == formulaire.removesuffix("contacts/nouveau/")
    assert not axe_violations(page), describe(axe_violations(page))
    assert page.evaluate("localStorage.getItem('asea-brouillons')") is None
    contact = Contact.objects.get(note=texte)
    assert contact.auteur.username == "ts.adaff"
    assert contact.cle_envoi is not None

    # The same draft replayed (twice) still makes one contact.
    jeton = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    donnees = {
        "csrfmiddlewaretoken": jeton,
        "cle_envoi": str(contact.cle_envoi),
        "type": contact.type,
        "date": "2026-01-05T10:00",
        "duree_minutes": "60",
        "confidentialite": contact.confidentialite,
        "note": texte,
    }
    for _ in range(2):
        reponse = page.request.post(formulaire, form=donnees, headers={"Referer": formulaire})
        assert reponse.ok
    assert Contact.objects.filter(note=texte).count() == 1


def test_a_draft_refused_by_the_server_shows_why_and_keeps_the_text(demo, login, page, context):
    page.set_viewport_size(TABLETTE)
    login("ts.adaff")
    _ouvrir(page, "Noël Françoise", "noel francoise")
    page.get_by_role("link", name="Noter un contact").click()
    context.set_offline(True)
    page.get_by_label("Note", exact=True).fill("Visite à reprendre.")
    page.get_by_label("Durée (minutes)").fill("0")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#etat-brouillon")).to_contain_text("en attente d’envoi")
    context.set_offline(False)
    expect(page.locator("#etat-brouillon")).to_contain_text("Refusé :")
    expect(page.get_by_label("Note", exact=True)).to_have_value("Visite à reprendre.")
    expect(page.locator("#div_id_duree_minutes .invalid-feedback")).to_be_visible()  # next to its field
    assert not axe_violations(page), describe(axe_violations(page))
    page.screenshot(path="test-results/terrain-refuse-tablette.png", full_page=True)
    # Reloaded, the page shows the refused draft again, ready to correct.
    page.reload()
    expect(page.locator("#etat-brouillon")).to_contain_text("Refusé :")
    expect(page.get_by_label("Note", exact=True)).to_have_value("Visite à reprendre.")
    page.get_by_label("Durée (minutes)").fill("45")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le contact est enregistré.")).to_be_visible()
    from accompagnement.models import Contact

    assert Contact.objects.filter(note="Visite à reprendre.", duree_minutes=45).count() == 1

    # Drafts older than 24 hours are dropped on load; another person's are neither shown nor sent.
    page.get_by_role("link", name="Noter un contact").click()
    moi = page.locator("script[data-utilisateur]").get_attribute("data-utilisateur")
    page.evaluate(
        """([moi, action]) => localStorage.setItem('asea-brouillons', JSON.stringify([
          {cle: 'a', action: action, etat: 'attente', utilisateur: moi, cree: Date.now() - 25 * 3600 * 1000,
           champs: [['note', 'Trop ancien']]},
          {cle: 'b', action: action, etat: 'attente', utilisateur: moi + '0', cree: Date.now(),
           champs: [['note', 'D’une autre personne']]}]))""",
        [moi, page.evaluate("location.pathname")],
    )
    page.reload()
    expect(page.get_by_label("Note", exact=True)).to_have_value("")
    restants = page.evaluate("JSON.parse(localStorage.getItem('asea-brouillons'))")
    assert [b["cle"] for b in restants] == ["b"]
    assert not Contact.objects.filter(note__in=["Trop ancien", "D’une autre personne"]).exists()

    # Logging out empties what the site keeps on the device.
    page.locator("form[action$='/comptes/deconnexion/'] button").evaluate("b => b.click()")
    page.wait_for_url(re.compile("/comptes/connexion/"))
    assert page.evaluate("localStorage.length") == 0


def test_the_diary_keeps_the_day_s_contact_forms_for_a_visit_without_network(
    demo, login, page, context, live_server
):
    """The worker opens her diary in the morning, with the network; later, without it, the contact
    form of a household of her day opens, and the visit typed waits on the tablet."""
    import datetime

    from django.utils import timezone

    from accompagnement.models import Contact
    from accompagnement.tests.factories import ContactFactory
    from comptes.models import Utilisateur
    from menages.models import Menage

    travailleuse = Utilisateur.objects.get(username="ts.adaff")
    menage = next(
        m
        for m in Menage.objects.visible_to(travailleuse).search("noel francoise")
        if m.etat in ("accompagnement", "relais_sortant")
    )
    ContactFactory(
        menage=menage,
        auteur=travailleuse,
        date=timezone.now() - datetime.timedelta(days=3),
        prochaine_etape="Passer voir la famille",
        prochaine_etape_le=timezone.localdate(),
        prochaine_etape_par=travailleuse,
    )
    formulaire = f"{live_server.url}/menages/{menage.pk}/contacts/nouveau/"
    page.set_viewport_size(TABLETTE)
    login("ts.adaff")
    page.goto(f"{live_server.url}/agenda/")
    expect(page.locator("#hors-reseau")).to_contain_text("sans réseau")
    assert not axe_violations(page), describe(axe_violations(page))
    en_cache = f"caches.open('asea-terrain').then(c => c.match('{formulaire}')).then(r => !!r)"
    for _ in range(50):
        if page.evaluate(en_cache):
            break
        page.wait_for_timeout(200)
    assert page.evaluate(en_cache)
    # The field pages' worker is registered for /menages/, where the form is (not the diary).
    inscrit = "navigator.serviceWorker.getRegistration('/menages/').then(r => !!(r && r.active))"
    for _ in range(50):
        if page.evaluate(inscrit):
            break
        page.wait_for_timeout(200)
    assert page.evaluate(inscrit)

    page.screenshot(path="test-results/agenda-du-jour-tablette.png", full_page=True)

    # The network drops; the diary, still open, leads straight to the kept form.
    context.set_offline(True)
    page.get_by_role("link", name=f"Noter un contact – {menage.reference}").first.click()
    expect(page.get_by_role("heading", name="Nouveau contact")).to_be_visible()
    assert page.url == formulaire
    texte = "Visite du jour, sans réseau, formulaire gardé par l’agenda."
    page.get_by_label("Note", exact=True).fill(texte)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#etat-brouillon")).to_contain_text("en attente d’envoi")
    assert not Contact.objects.filter(note=texte).exists()

    context.set_offline(False)
    expect(page.locator("#etat-brouillon")).to_have_text("Contact envoyé. Le contact est enregistré.")
    assert Contact.objects.filter(note=texte).count() == 1


def _attendre_brouillon(page, mot):
    """Waits for the autosave (wait_for_function would evaluate a string, which the CSP forbids)."""
    for _ in range(50):
        if mot in (page.evaluate("localStorage.getItem('asea-brouillons')") or ""):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"« {mot} » is not in the drafts kept on the device")


def test_a_visit_being_typed_survives_a_reload_and_is_not_shown_to_another_user(demo, login, page, context):
    """The tab reloads (or crashes) while a visit is typed: the text is back with a notice until the
    contact is saved. On a shared tablet, the next person to log in does not get it."""
    from accompagnement.models import Contact
    from menages.models import Intervenant

    page.set_viewport_size(TABLETTE)
    login("ts.adaff")
    _ouvrir(page, "Noël Françoise", "noel francoise")
    page.get_by_role("link", name="Noter un contact").click()
    formulaire = page.url
    note = page.get_by_label("Note", exact=True)
    texte = "Visite : la famille montre les factures d’énergie."
    note.fill(texte)
    page.get_by_label("Lieu", exact=True).fill("Domicile")
    _attendre_brouillon(page, "factures")  # kept while typing, before any save
    page.reload()
    expect(note).to_have_value(texte)
    etat = page.locator("#etat-brouillon")
    expect(etat).to_contain_text(re.compile(r"Brouillon restauré du \d\d/\d\d/\d{4} à \d\d:\d\d"))
    expect(etat.get_by_role("button", name="Effacer le brouillon")).to_be_visible()
    expect(etat).to_be_in_viewport()  # not left above a scroll position restored by the reload
    assert not axe_violations(page), describe(axe_violations(page))
    page.screenshot(path="test-results/terrain-brouillon-restaure-tablette.png", full_page=True)
    # What the screen shows (a full-page capture draws the sticky « Enregistrer » mid-page).
    page.screenshot(path="test-results/terrain-brouillon-restaure-ecran-tablette.png")

    # « Effacer le brouillon » empties the form back to its defaults and forgets the draft.
    etat.get_by_role("button", name="Effacer le brouillon").click()
    expect(note).to_have_value("")
    expect(etat).to_have_text("Brouillon effacé.")
    assert page.evaluate("localStorage.getItem('asea-brouillons')") is None
    page.reload()
    expect(note).to_have_value("")

    # A link followed at once, before the pause the autosave waits for: what was typed is kept too.
    note.fill("Départ précipité.")
    page.get_by_role("navigation", name="Fil d’Ariane").get_by_role("link", name="Noël Françoise").click()
    page.get_by_role("link", name="Noter un contact").click()
    expect(note).to_have_value("Départ précipité.")
    etat.get_by_role("button", name="Effacer le brouillon").click()

    # Typed again, then saved: the draft is gone and the form opens empty.
    note.fill(texte)
    _attendre_brouillon(page, "factures")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le contact est enregistré.")).to_be_visible()
    assert Contact.objects.filter(note=texte).count() == 1
    assert page.evaluate("localStorage.getItem('asea-brouillons')") is None
    page.goto(formulaire)
    expect(note).to_have_value("")
    expect(page.locator("#etat-brouillon")).to_be_empty()

    # A draft left behind by a session that ended without logging out is not restored for the
    # household's other intervenant who logs in next on the same tablet; their logout clears it.
    note.fill("Brouillon de la référente.")
    _attendre_brouillon(page, "référente")
    context.clear_cookies()
    autre = (
        Intervenant.objects.actifs()
        .filter(menage__nom="Noël Françoise", utilisateur__isnull=False)
        .exclude(utilisateur__username="ts.adaff")
        .select_related("utilisateur")
        .first()
        .utilisateur
    )
    login(autre.username)
    page.goto(formulaire)
    expect(page.get_by_role("heading", name="Nouveau contact")).to_be_visible()
    expect(note).to_have_value("")
    expect(page.locator("#etat-brouillon")).to_be_empty()
    assert "référente" in page.evaluate("localStorage.getItem('asea-brouillons')")  # kept, not shown
    page.locator("form[action$='/comptes/deconnexion/'] button").evaluate("b => b.click()")
    page.wait_for_url(re.compile("/comptes/connexion/"))
    assert page.evaluate("localStorage.length") == 0
