import datetime

from django.test import Client
from django.urls import reverse

from accompagnement.tests.factories import ContactFactory
from accueil import ical
from accueil.agenda import Entree
from accueil.models import JetonCalendrier
from accueil.views import CLE_SESSION_JETON
from menages.tests.factories import MembreFactory

MARQUE = "Zorglubienne"


def creer_adresse(client, user):
    """Make the feed's address through the confirmation page; returns its path."""
    client.force_login(user)
    assert client.post(reverse("accueil:calendrier")).status_code == 302
    page = client.get(reverse("accueil:calendrier"))
    adresse = page.context["adresse"]
    assert adresse and adresse in page.text
    return adresse.removeprefix("http://testserver")


def lire(path):
    """The feed, read by a calendar application: no session."""
    return Client().get(path)


def test_feed_names_no_household_and_no_person_only_references(client, programme, semaine):
    semaine.nom = f"Famille {MARQUE}"
    semaine.save()
    MembreFactory(menage=semaine, nom=MARQUE, prenom="Aglaé")
    ContactFactory(
        menage=semaine,
        auteur=programme.ts_adaff,
        lieu=f"Chez Mme {MARQUE}",
        note=f"Vu Mme {MARQUE}",
        prochaine_etape=f"Appeler Aglaé {MARQUE}, pour le FSL",
        prochaine_etape_le=datetime.date(2026, 12, 18),
        prochaine_etape_par=programme.ts_adaff,
    )
    response = lire(creer_adresse(client, programme.ts_adaff))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    texte = response.content.decode()
    assert MARQUE not in texte and "Aglaé" not in texte and "FSL" not in texte
    # The next steps and the sessions are there, by kind and reference, with a link.
    depliee = texte.replace("\r\n ", "")
    assert f"SUMMARY:Prochaine étape – {semaine.reference}" in depliee
    assert "DTSTART;VALUE=DATE:20261218" in depliee
    assert "SUMMARY:Comité de suivi de l’Aude" in depliee and "DTSTART:20261208T130000Z" in depliee
    assert f"URL:http://testserver/menages/{semaine.pk}/contacts/" in depliee
    assert texte.startswith("BEGIN:VCALENDAR\r\n") and texte.endswith("END:VCALENDAR\r\n")
    assert all(len(ligne.encode()) <= 75 for ligne in texte.split("\r\n"))


def test_feed_stops_working_once_revoked_and_the_old_address_once_replaced(client, programme, semaine):
    premiere = creer_adresse(client, programme.ts_adaff)
    seconde = creer_adresse(client, programme.ts_adaff)
    assert lire(premiere).status_code == 404
    assert lire(seconde).status_code == 200
    confirmation = client.get(reverse("accueil:calendrier_revoquer"))
    assert "cessera aussitôt de fonctionner" in confirmation.text
    assert lire(seconde).status_code == 200  # the confirmation page changes nothing
    assert client.post(reverse("accueil:calendrier_revoquer")).status_code == 302
    assert lire(seconde).status_code == 404
    assert not JetonCalendrier.objects.exists()


def test_address_is_shown_once_and_stored_only_hashed(client, programme, semaine):
    adresse = creer_adresse(client, programme.ts_adaff)
    jeton = adresse.split("/")[-1].removesuffix(".ics")
    assert CLE_SESSION_JETON not in client.session
    assert client.get(reverse("accueil:calendrier")).context["adresse"] is None
    assert not JetonCalendrier.objects.filter(empreinte=jeton).exists()
    assert JetonCalendrier.objects.get().utilisateur == programme.ts_adaff


def test_unknown_address_or_deactivated_user_gets_404(client, programme, semaine):
    assert lire(reverse("accueil:flux", args=["nimporte-quoi"])).status_code == 404
    adresse = creer_adresse(client, programme.ts_adaff)
    programme.ts_adaff.is_active = False
    programme.ts_adaff.save()
    assert lire(adresse).status_code == 404


def test_feed_is_scoped_like_the_diary(client, programme, semaine):
    texte = lire(creer_adresse(Client(), programme.ts_hdm)).content.decode()
    assert semaine.reference not in texte and "Comité de suivi" not in texte
    assert "BEGIN:VCALENDAR" in texte


def test_calendar_pages_need_a_login(client):
    for name in ("accueil:agenda", "accueil:calendrier", "accueil:calendrier_revoquer"):
        assert client.get(reverse(name)).status_code == 302


def test_feed_query_count_does_not_grow_with_rows(client, programme, semaine, count_queries):
    from accueil.tests.conftest import ajouter_une_ligne_de_chaque

    adresse = creer_adresse(client, programme.ts_adaff)
    lecteur = Client()
    few = count_queries(lecteur.get, adresse)
    for i in range(1, 6):
        ajouter_une_ligne_de_chaque(programme, semaine, i)
    assert count_queries(lecteur.get, adresse) == few


def test_text_is_escaped_and_long_lines_folded_on_character_boundaries():
    assert ical.echapper("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    ligne = "SUMMARY:" + "é" * 80
    pliee = ical.plier(ligne)
    morceaux = pliee.split("\r\n")
    assert all(len(m.encode()) <= 75 for m in morceaux)
    assert all(m.startswith(" ") for m in morceaux[1:])
    assert "".join([morceaux[0], *(m[1:] for m in morceaux[1:])]) == ligne


def test_all_day_and_timed_events():
    entrees = [
        Entree(
            "a-1", datetime.date(2026, 12, 9), "Prochaine étape", "Prochaine étape", "/x/", "ASEA-1", "secret"
        ),
        Entree(
            "b-2",
            datetime.datetime(2026, 12, 9, 8, 30, tzinfo=datetime.UTC),
            "Contact",
            "Visite à domicile",
            "/y/",
            "ASEA-2",
            "secret",
            45,
        ),
    ]
    texte = ical.calendrier(entrees, base_url="https://asea.example", domaine="asea.example")
    assert "DTSTART;VALUE=DATE:20261209\r\nDTEND;VALUE=DATE:20261210\r\n" in texte
    assert "DTSTART:20261209T083000Z\r\nDTEND:20261209T091500Z\r\n" in texte
    assert "UID:b-2@asea.example" in texte and "SUMMARY:Visite à domicile – ASEA-2" in texte
    assert "secret" not in texte
