import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from comptes.tests.factories import DispositifFactory, OrganisationFactory, UtilisateurFactory
from financement import services
from financement.enums import StatutRapport
from financement.models import IndicateursArretes, RapportFinanceur
from financement.tests.conftest import DEBUT, FIN
from financement.tests.factories import ConventionFactory, PartFinanceurFactory, RapportFinanceurFactory


def _texte(contenu: bytes) -> str:
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)
    return re.sub(r"\s+", " ", texte.replace("\u202f", " ").replace("\u00a0", " "))


def _demander(client, user, **data):
    client.force_login(user)
    return client.post(reverse("financement:rapports"), data)


def test_funder_report_pdf_shows_the_golden_figures_without_names(
    client, jeu, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _demander(
            client,
            jeu.financeur,
            dispositif=jeu.dispositif.pk,
            financeur=jeu.ddcspp.pk,
            debut=DEBUT.isoformat(),
            fin=FIN.isoformat(),
        )
    assert response.status_code == 302
    rapport = RapportFinanceur.objects.get()
    assert (rapport.statut, rapport.progression, rapport.demande_par) == ("termine", 100, jeu.financeur)
    texte = _texte(client.get(reverse("financement:rapport_telecharger", args=[rapport.pk])).getvalue())

    for attendu in [
        "Rapport au financeur",
        "Destinataire DDCSPP de l’Aude",
        # 5 followed, 3 exits: masked, or the levels (3, 1, 1) and the exit reasons (1, 1, 1)
        # would give their « < 3 » away.
        "Ménages suivis secret",
        "Entrées 4",
        "Sorties secret",
        # The social workers' 4 contacts and 3 hours; the TISF's intervention is apart, masked.
        "Contacts 4",
        "Temps passé auprès des ménages 3 h",
        "Heures TISF < 3",
        "Visite à domicile < 3 < 3",
        "Interventions et heures TISF (ligne budgétaire distincte) < 3 < 3",
        "Personne seule < 3 Parent seul avec enfants < 3 Couple sans enfant < 3",
        "Logements mobilisés par bailleur",
        "SIAO 3",
        "CCAPEX < 3",
        "Saisine interne du bailleur < 3",
        "Commission technique DALO 0",
        "Niveau 1 – Accompagnement vers le droit commun 3 111 211",
        "Niveau 3 – Accompagnement global renforcé < 3 < 3 < 3",
        "Logement 3 1,67 2,00 0,33",
        "Budget 3 1,67 2,33 0,67",
        "Séances tenues 1",
        "Total 56 000 € 21 500 € 38,4 %",
        "DDCSPP de l’Aude 50 % Confirmée 52 000 € 20 000 € 20 000 €",
        "Conseil Général de l’Aude 20 % À confirmer 20 800 €",
        "Total 6 sur 50 (12,0 %)",
        "ALOGEA < 3 sur 25 Habitat Audois secret sur 25",
        "Procédures d’expulsion stoppées 0",
        "Décisions : valider l’accompagnement < 3",
        "Relais vers le droit commun < 3",
    ]:
        assert attendu in texte, attendu
    for nom in ["Durand", "Martin", "Garcia", "Petit", "Faure", "ASEA-2026"]:
        assert nom not in texte


def test_running_the_report_task_twice_produces_it_once(jeu):
    rapport = RapportFinanceurFactory(dispositif=jeu.dispositif, financeur=jeu.ddcspp)
    services.produire_rapport(rapport_id=rapport.pk)
    rapport.refresh_from_db()
    produit_le, fichier = rapport.genere_le, rapport.fichier.name
    services.produire_rapport(rapport_id=rapport.pk)
    rapport.refresh_from_db()
    assert (rapport.genere_le, rapport.fichier.name, rapport.statut) == (produit_le, fichier, "termine")


def test_a_failed_report_is_marked_and_can_be_asked_again(
    jeu, monkeypatch, django_capture_on_commit_callbacks
):
    def panne(*args, **kwargs):
        raise RuntimeError("WeasyPrint absent")

    monkeypatch.setattr("financement.documents.rapport_pdf", panne)
    rapport = RapportFinanceurFactory(dispositif=jeu.dispositif, financeur=jeu.ddcspp)
    with pytest.raises(RuntimeError):
        services.produire_rapport(rapport_id=rapport.pk)
    rapport.refresh_from_db()
    assert rapport.statut == StatutRapport.ECHEC and "WeasyPrint absent" in rapport.erreur
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.demander_rapport(
            dispositif=jeu.dispositif,
            financeur=jeu.ddcspp,
            date_debut=rapport.date_debut,
            date_fin=rapport.date_fin,
        )
    rapport.refresh_from_db()
    assert rapport.statut == StatutRapport.TERMINE and rapport.erreur == ""


def test_scheduled_reports_are_created_once_per_funder_and_period(
    convention, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        crees = services.planifier_rapports(aujourdhui=datetime.date(2027, 1, 10))
    # Q4 2026 and the year 2026, for each of the four funders.
    assert len(crees) == 8
    assert {(r.periodicite, r.date_debut, r.date_fin) for r in crees} == {
        ("trimestriel", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
        ("annuel", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    }
    assert all(r.statut == "termine" for r in RapportFinanceur.objects.all())
    assert services.planifier_rapports(aujourdhui=datetime.date(2027, 1, 11)) == []
    # Before the convention started, nothing is due.
    assert services.planifier_rapports(aujourdhui=datetime.date(2026, 1, 5)) == []


def test_progress_is_polled_while_the_report_is_produced(client, jeu):
    rapport = RapportFinanceurFactory(
        dispositif=jeu.dispositif, financeur=jeu.ddcspp, statut="en_cours", progression=50
    )
    client.force_login(jeu.financeur)
    page = client.get(reverse("financement:rapports")).content.decode()
    assert 'hx-get="{}"'.format(reverse("financement:rapport_statut", args=[rapport.pk])) in page
    partiel = client.get(reverse("financement:rapport_statut", args=[rapport.pk])).content.decode()
    assert "50 %" in partiel and "hx-trigger" in partiel
    RapportFinanceur.objects.filter(pk=rapport.pk).update(statut="termine", fichier="x.pdf", progression=100)
    partiel = client.get(reverse("financement:rapport_statut", args=[rapport.pk])).content.decode()
    assert "Télécharger le rapport (PDF)" in partiel and "hx-trigger" not in partiel


@pytest.fixture
def autre_programme(db):
    dispositif = DispositifFactory(code="autre", nom="Autre dispositif")
    region = OrganisationFactory(nom="Région", financeur=True, dispositifs=[dispositif])
    PartFinanceurFactory(convention=ConventionFactory(dispositif=dispositif), financeur=region)
    rapport = RapportFinanceurFactory(
        dispositif=dispositif, financeur=region, statut="termine", fichier="r.pdf"
    )
    return dispositif, region, rapport


def test_funder_of_one_programme_gets_404_on_another_programmes_report(
    client, convention, autre_programme, programme
):
    dispositif, _region, rapport = autre_programme
    client.force_login(programme.financeur)
    for url in [
        reverse("financement:rapport_telecharger", args=[rapport.pk]),
        reverse("financement:rapport_statut", args=[rapport.pk]),
        reverse("financement:tableau", args=[dispositif.pk]),
        reverse("financement:convention", args=[dispositif.pk]),
        reverse("financement:export", args=[dispositif.pk, "csv"]),
    ]:
        assert client.get(url).status_code == 404, url
    assert rapport.pk not in {r.pk for r in client.get(reverse("financement:rapports")).context["rapports"]}


def test_funder_sees_only_the_reports_addressed_to_its_organisation(client, convention, programme):
    RapportFinanceurFactory(dispositif=programme.dispositif, financeur=programme.cg)
    mien = RapportFinanceurFactory(dispositif=programme.dispositif, financeur=programme.ddcspp)
    assert list(RapportFinanceur.objects.visible_to(programme.financeur)) == [mien]
    assert RapportFinanceur.objects.visible_to(programme.admin).count() == 2


def test_funder_cannot_ask_a_report_for_another_funder(client, convention, programme):
    response = _demander(
        client,
        programme.financeur,
        dispositif=programme.dispositif.pk,
        financeur=programme.cg.pk,
        debut="2026-01-01",
        fin="2026-03-31",
    )
    assert response.status_code == 200
    assert not RapportFinanceur.objects.exists()


@pytest.mark.parametrize("persona", ["ts_adaff", "cesf_habitat", "tisf_afc"])
def test_social_workers_and_landlords_get_403_on_the_funder_pages(client, convention, programme, persona):
    client.force_login(getattr(programme, persona))
    rapport = RapportFinanceurFactory(
        dispositif=programme.dispositif, financeur=programme.ddcspp, fichier="r.pdf"
    )
    for url in [
        reverse("financement:index"),
        reverse("financement:rapports"),
        reverse("financement:tableau", args=[programme.dispositif.pk]),
        reverse("financement:convention", args=[programme.dispositif.pk]),
        reverse("financement:export", args=[programme.dispositif.pk, "xlsx"]),
        reverse("financement:rapport_telecharger", args=[rapport.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert "Financement" not in [item["label"] for item in client.get("/").context["navigation"]]


def test_funder_menu_and_pages_show_figures_never_a_household(client, jeu):
    client.force_login(jeu.financeur)
    assert "Financement" in [item["label"] for item in client.get("/").context["navigation"]]
    for url in [
        reverse("financement:index"),
        reverse("financement:convention", args=[jeu.dispositif.pk]),
        reverse("financement:tableau", args=[jeu.dispositif.pk]) + "?debut=2026-01-01&fin=2026-06-30",
    ]:
        page = client.get(url).content.decode()
        for nom in ["Durand", "Martin", "Garcia", "ASEA-2026"]:
            assert nom not in page
    page = client.get(
        reverse("financement:tableau", args=[jeu.dispositif.pk]) + "?debut=2026-01-01&fin=2026-06-30"
    )
    assert (
        "<svg" in page.content.decode()
        and "<script" not in page.content.decode().split("<main")[1].split("</main>")[0]
    )


def test_report_list_query_count_does_not_grow_with_reports(client, convention, programme, count_queries):
    client.force_login(programme.financeur)
    url = reverse("financement:rapports")
    RapportFinanceurFactory(dispositif=programme.dispositif, financeur=programme.ddcspp)
    peu = count_queries(client.get, url)
    RapportFinanceurFactory.create_batch(10, dispositif=programme.dispositif, financeur=programme.ddcspp)
    assert count_queries(client.get, url) == peu


def test_dashboard_query_count_does_not_grow_with_households(client, jeu, count_queries):
    client.force_login(jeu.financeur)
    url = reverse("financement:tableau", args=[jeu.dispositif.pk]) + "?debut=2026-01-01&fin=2026-06-30"

    def calcul_et_affichage():
        IndicateursArretes.objects.all().delete()
        return client.get(url)

    peu = count_queries(calcul_et_affichage)
    affichage = count_queries(client.get, url)  # the figures just computed are served
    assert affichage < peu
    from accompagnement.models import Accompagnement
    from menages.tests.factories import MenageFactory

    for n in range(20):
        menage = MenageFactory(dispositif=jeu.dispositif, bailleur=jeu.alogea)
        Accompagnement.objects.create(
            menage=menage,
            numero_parcours=1,
            niveau="niveau_1",
            date_debut=datetime.date(2026, 2, 1 + n),
            date_fin_prevue=datetime.date(2026, 5, 1),
        )
    assert count_queries(calcul_et_affichage) == peu
    assert count_queries(client.get, url) == affichage


def test_indicators_export_to_csv_and_xlsx_with_statistical_secrecy(client, jeu):
    from openpyxl import load_workbook

    client.force_login(jeu.financeur)
    base = reverse("financement:export", args=[jeu.dispositif.pk, "csv"]) + "?debut=2026-01-01&fin=2026-06-30"
    csv = client.get(base).content.decode("utf-8-sig")
    assert "Effectifs;Ménages suivis;secret" in csv
    assert "Effectifs;Entrées;4" in csv
    assert "Origine de la saisine;CCAPEX;< 3" in csv
    assert "Décisions du comité;Changer de niveau;< 3" in csv
    assert "Budget réalisé (€);Travailleur social ADAFF (1 ETP);20000,00" in csv
    response = client.get(base.replace("indicateurs.csv", "indicateurs.xlsx"))
    feuille = load_workbook(io.BytesIO(response.content)).active
    lignes = {(r[0], r[1]): r[2] for r in feuille.iter_rows(min_row=2, values_only=True)}
    assert lignes[("Effectifs", "Sorties")] == "secret"
    assert lignes[("Effectifs", "Entrées")] == 4
    assert lignes[("Origine de la saisine", "CCAPEX")] == "< 3"
    assert client.get(base.replace("indicateurs.csv", "indicateurs.pdf")).status_code == 404


def test_convention_page_shows_the_financing_plan_in_french_formats(client, convention, programme):
    client.force_login(programme.financeur)
    page = client.get(reverse("financement:convention", args=[programme.dispositif.pk])).content.decode()
    assert "104\u202f000\u00a0€" in page
    assert "À confirmer" in page
    assert "20\u00a0%" in page


def test_asking_again_leaves_a_report_in_production_alone_unless_its_worker_died(
    convention, programme, django_capture_on_commit_callbacks
):
    rapport = RapportFinanceurFactory(
        dispositif=programme.dispositif, financeur=programme.ddcspp, statut="en_cours"
    )
    demande = {
        "dispositif": programme.dispositif,
        "financeur": programme.ddcspp,
        "date_debut": rapport.date_debut,
        "date_fin": rapport.date_fin,
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.demander_rapport(**demande)
    assert callbacks == []
    RapportFinanceur.objects.filter(pk=rapport.pk).update(
        modifie_le=rapport.modifie_le - services.DELAI_BLOCAGE - datetime.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.demander_rapport(**demande)
    rapport.refresh_from_db()
    assert rapport.statut == "termine"


def test_a_report_left_waiting_by_a_broker_outage_is_queued_again_by_the_sweep(
    convention, programme, monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from financement import tasks

    def broker_absent(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.generer_rapport, "apply_async", broker_absent)
    with django_capture_on_commit_callbacks(execute=True):
        rapport = services.demander_rapport(
            dispositif=programme.dispositif,
            financeur=programme.ddcspp,
            date_debut=datetime.date(2026, 1, 1),
            date_fin=datetime.date(2026, 3, 31),
        )
    rapport.refresh_from_db()
    assert rapport.statut == "en_attente"
    monkeypatch.undo()
    assert services.reprendre_rapports() == []  # too recent: it may still be on its way
    with django_capture_on_commit_callbacks(execute=True):
        repris = services.reprendre_rapports(maintenant=rapport.modifie_le + services.DELAI_BLOCAGE * 2)
    assert repris == [rapport.pk]
    rapport.refresh_from_db()
    assert rapport.statut == "termine"


def test_the_technical_staff_edits_the_convention_in_the_admin(client, convention, programme):
    technicien = UtilisateurFactory(username="technicien", organisation=None, is_superuser=True)
    client.force_login(technicien)
    ligne = convention.lignes.first()
    for url in [
        reverse("admin:financement_convention_change", args=[convention.pk]),
        reverse("admin:financement_lignebudgetaire_change", args=[ligne.pk]),
        reverse("admin:financement_versement_changelist"),
        reverse("admin:financement_rapportfinanceur_changelist"),
    ]:
        assert client.get(url).status_code == 200, url
    for user in (programme.financeur, programme.admin):  # the administrator uses the French pages
        client.force_login(user)
        assert client.get(reverse("admin:financement_convention_changelist")).status_code == 302
