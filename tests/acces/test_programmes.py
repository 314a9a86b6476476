"""Two programmes on one instance (issue #22): the demo's second programme, ASEA Pyrénées-Orientales,
sees nothing of ASEA Aude and the other way round, and a person working in both (ts.hdm) sees only
the programme chosen in the header.

The demo is seeded once for the module (not per test): every test runs in a transaction rolled
back after it, so they share the same data.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import resolve, reverse

from tests.acces.test_matrice import PERSONAS, read_table
from tests.support.matrice import build_url, construire_monde, url_names

# The second programme's accounts, each with the Aude account of the same part in the matrix (the
# data protection officer has none there: his pages are the right-of-access ones).
HOMOLOGUES = {
    "ts.araf": "ts.adaff",
    "cesf.tramontane": "cesf.habitat",
    "attribution.tramontane": "attribution.habitat",
    "gardien.tramontane": "gardien.habitat",
    "tisf.fsc": "tisf.afc",
    "financeur.ddets66": "financeur.ddcspp",
    "comite.dep66": "comite.cg",
    "dpo.araf": None,
    "admin.araf": "admin",
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        monde = construire_monde()
    yield monde
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def monde(demo, db):
    return demo


def client_de(username):
    from comptes.models import Utilisateur

    client = Client(raise_request_exception=False)
    client.force_login(Utilisateur.objects.get(username=username))
    return client


def dispositif(code):
    from comptes.models import Dispositif

    return Dispositif.objects.get(code=code)


def references(response):
    return set(re.findall(r"ASEA(?:-PO)?-\d{4}-\d{4}", response.text))


def test_a_user_of_the_second_programme_gets_404_on_every_record_of_the_first(monde):
    """The access matrix's walk, around the same Aude household and records, for the accounts of
    ASEA Pyrénées-Orientales: where the Aude account of the same part opens a record's page (or is
    refused it as out of its scope), the Pyrénées-Orientales account gets 404. A page the role may
    not open at all (403) or not with a GET (405) is refused before any record is read: the matrix
    asks it, not this test."""
    users, kwargs, specific = monde
    table = read_table()
    clients = {username: client_de(username) for username in HOMOLOGUES}
    pages_de_fiche = 0
    problemes = []
    for name in url_names():
        url = build_url(name, kwargs, specific)
        if not any(k.endswith("pk") for k in resolve(url).kwargs):
            continue  # not a record's page (lists, forms, links with a token)
        pages_de_fiche += 1
        for username, homologue in HOMOLOGUES.items():
            if homologue is None:
                if not name.startswith("dossiers:"):
                    continue
                attendu = {403, 404}
            elif table[name][PERSONAS.index(homologue)] in (403, 405):
                continue
            else:
                attendu = {404}
            status = clients[username].get(url).status_code
            if status not in attendu:
                problemes.append(f"{name} as {username}: {status}, expected {sorted(attendu)}")
    assert pages_de_fiche > 60
    assert not problemes, "\n".join(problemes)


def test_users_of_the_first_programme_get_404_on_records_of_the_second(monde):
    from comites.models import PointOrdreDuJour
    from logements.models import Logement
    from menages.models import Menage

    po = dispositif("asea-po")
    menage = Menage.objects.filter(dispositif=po, etat="accompagnement", contacts__isnull=False).first()
    point = PointOrdreDuJour.objects.filter(seance__instance__dispositif=po).first()
    logement = Logement.objects.filter(bailleur__sigle="Tramontane Habitat", statut="vacant").first()
    urls = [
        reverse("dossiers:detail", args=[menage.pk]),
        reverse("dossiers:chronologie", args=[menage.pk]),
        reverse("accompagnement:contact_modifier", args=[menage.pk, menage.contacts.first().pk]),
        reverse("comites:seance", args=[point.seance_id]),
        reverse("comites:point", args=[point.pk]),
        reverse("financement:tableau", args=[po.pk]),
        reverse("logements:detail", args=[logement.pk]),
    ]
    for username in [
        "ts.adaff",
        "cesf.habitat",
        "attribution.habitat",
        "financeur.ddcspp",
        "comite.cg",
        "ts.hdm",
        "admin",
    ]:
        client = client_de(username)
        statuses = {url: client.get(url).status_code for url in urls}
        assert set(statuses.values()) <= {403, 404}, (username, statuses)
    # The second programme's own people open them.
    assert client_de("ts.araf").get(urls[0]).status_code == 200
    assert client_de("comite.dep66").get(urls[3]).status_code == 200
    assert client_de("financeur.ddets66").get(urls[5]).status_code == 200
    assert client_de("cesf.tramontane").get(urls[6]).status_code == 200


def test_the_header_names_the_current_programme_and_offers_a_choice_only_with_two(monde):
    page = client_de("ts.araf").get(reverse("tableau_de_bord")).text
    assert "ASEA Pyrénées-Orientales" in page and 'name="dispositif"' not in page
    # The administrator as anyone: her programme's name, no « all programmes ».
    page = client_de("admin").get(reverse("tableau_de_bord")).text
    assert "ASEA Aude" in page and "Tous les dispositifs" not in page and 'name="dispositif"' not in page
    page = client_de("ts.hdm").get(reverse("tableau_de_bord")).text
    selecteur = re.search(
        r'<select id="dispositif-courant" name="dispositif".*?</select>', page, re.S
    ).group()
    assert re.search(r'<label for="dispositif-courant"', page)
    # By default the first of her programmes by name.
    assert re.search(r"selected>ASEA Aude<", selecteur) and ">ASEA Pyrénées-Orientales<" in selecteur


def test_a_person_in_both_programmes_sees_only_the_current_one_and_switching_changes_it(monde, count_queries):
    from menages.models import Menage

    aude, po = dispositif("asea-aude"), dispositif("asea-po")
    suivis = Menage.objects.filter(intervenants__utilisateur__username="ts.hdm", etat="accompagnement")
    menage_aude = suivis.filter(dispositif=aude).first()
    menage_po = suivis.filter(dispositif=po).first()
    client = client_de("ts.hdm")
    liste = reverse("dossiers:liste")

    vus = references(client.get(liste))
    assert menage_aude.reference in vus and not any(r.startswith("ASEA-PO-") for r in vus)
    assert client.get(menage_aude.get_absolute_url()).status_code == 200
    assert client.get(menage_po.get_absolute_url()).status_code == 404
    requetes_aude = count_queries(client.get, liste)

    response = client.post(reverse("changer_dispositif"), {"dispositif": po.pk}, follow=True)
    assert "Vous travaillez maintenant dans le dispositif ASEA Pyrénées-Orientales" in response.text
    assert re.search(r"selected>ASEA Pyrénées-Orientales<", response.text)
    vus = references(client.get(liste))
    assert vus and all(r.startswith("ASEA-PO-") for r in vus) and menage_po.reference in vus
    assert client.get(menage_aude.get_absolute_url()).status_code == 404
    assert client.get(menage_po.get_absolute_url()).status_code == 200
    # The current programme costs no query: the same page, the same count in either programme.
    assert count_queries(client.get, liste) == requetes_aude

    # A programme that is not hers: refused, nothing changes.
    from comptes.tests.factories import DispositifFactory

    autre = DispositifFactory(code="asea-ailleurs", nom="ASEA Ailleurs", territoire="Ailleurs")
    response = client.post(reverse("changer_dispositif"), {"dispositif": autre.pk}, follow=True)
    assert "n’est pas l’un des vôtres" in response.text
    assert client.get(menage_po.get_absolute_url()).status_code == 200

    client.post(reverse("changer_dispositif"), {"dispositif": aude.pk})
    assert client.get(menage_aude.get_absolute_url()).status_code == 200


def test_a_household_is_created_in_the_current_programme(monde):
    from comptes.models import Commune, Organisation
    from menages.models import Menage

    po = dispositif("asea-po")
    client = client_de("ts.hdm")
    client.post(reverse("changer_dispositif"), {"dispositif": po.pk})
    form = client.get(reverse("menages:creer")).context["form"]
    assert "dispositif" not in form.fields  # no choice: the current programme
    assert {str(b) for b in form.fields["bailleur"].queryset} == {"Tramontane Habitat"}
    response = client.post(
        reverse("menages:creer"),
        {
            "nom": "Sunyer Anna",
            "bailleur": Organisation.objects.get(sigle="Tramontane Habitat").pk,
            "commune": Commune.objects.get(nom="Perpignan").pk,
            "date_saisine": "2026-11-02",
            "source_orientation": "ccapex",
            "problematique": "maintien",
            "situation_logement": "locataire_social",
        },
    )
    assert response.status_code == 302
    menage = Menage.objects.get(nom="Sunyer Anna")
    assert menage.dispositif == po and menage.reference.startswith("ASEA-PO-")


def test_committees_and_funding_follow_the_programme(monde):
    seances = client_de("comite.dep66").get(reverse("comites:seances")).text
    assert "Pyrénées-Orientales" in seances and "Habitat Audois, Carcassonne" not in seances
    seances = client_de("comite.cg").get(reverse("comites:seances")).text
    assert "Tramontane Habitat, Perpignan" not in seances
    financement = client_de("financeur.ddets66").get(reverse("financement:index")).text
    assert "ASEA Pyrénées-Orientales" in financement and "ASEA Aude" not in financement


def test_the_administrator_of_one_programme_gets_404_on_the_records_of_the_other(monde):
    """The programme administrator is scoped like everyone (need to know): the Aude one (ADAFF)
    opens her programme's household, dwelling, committee session and convention, and gets 404 on
    the Pyrénées-Orientales ones; the Pyrénées-Orientales one (ARAF) the other way round."""
    from comites.models import Seance
    from logements.models import Logement
    from menages.models import Menage

    def fiches(code, bailleur):
        programme = dispositif(code)
        return [
            Menage.objects.filter(dispositif=programme).first().get_absolute_url(),
            reverse("logements:detail", args=[Logement.objects.filter(bailleur__sigle=bailleur).first().pk]),
            reverse(
                "comites:seance", args=[Seance.objects.filter(instance__dispositif=programme).first().pk]
            ),
            reverse("financement:tableau", args=[programme.pk]),
            reverse("financement:convention", args=[programme.pk]),
        ]

    aude, po = fiches("asea-aude", "Habitat Audois"), fiches("asea-po", "Tramontane Habitat")
    for username, siennes, autres in [("admin", aude, po), ("admin.araf", po, aude)]:
        client = client_de(username)
        assert {url: client.get(url).status_code for url in siennes} == dict.fromkeys(siennes, 200)
        assert {url: client.get(url).status_code for url in autres} == dict.fromkeys(autres, 404)
    # The lists show her programme's households only.
    vus = references(client_de("admin").get(reverse("dossiers:liste")))
    assert vus and not any(r.startswith("ASEA-PO-") for r in vus)
    vus = references(client_de("admin.araf").get(reverse("dossiers:liste")))
    assert vus and all(r.startswith("ASEA-PO-") for r in vus)


def test_technical_staff_see_no_business_record(monde):
    from menages.models import Menage

    client = client_de("technicien")
    menage = Menage.objects.filter(dispositif=dispositif("asea-aude")).first()
    assert client.get(menage.get_absolute_url()).status_code in (403, 404)
    assert not references(client.get(reverse("dossiers:liste")))
