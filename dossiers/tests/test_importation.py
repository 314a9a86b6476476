"""The import of an existing caseload (issue #22): a file prepared from the downloadable template
creates the households, members, referral facts, step, level and contacts, visible to the right
roles; a file with errors creates nothing and reports each error with its sheet and line; the
simulation creates nothing; only administrators import."""

import csv
import datetime
import io
import time
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accompagnement.enums import OrigineChangementNiveau, Rythme, SituationSortie, TypeContact
from accompagnement.models import Accompagnement, ChangementNiveau, Contact, MesureIml
from comptes.enums import CodeNiveau, Confidentialite
from comptes.importation import typographie
from comptes.models import NiveauAccompagnement
from comptes.tests.factories import CommuneFactory
from comptes.tests.niveaux import NIVEAUX
from dossiers import importation
from dossiers.models import ImportMenages, StatutImport
from menages.enums import EtatParcours, LienMembre, MotifSortie, Problematique, SourceOrientation
from menages.models import CompteurReference, ConsentementPartage, EvenementParcours, Membre, Menage, Saisine

AUJOURDHUI = timezone.localdate()
MOTIF = f"Reprise de l’existant (import du {AUJOURDHUI:%d/%m/%Y})"


@pytest.fixture
def niveaux(programme):
    for niveau in NIVEAUX:
        NiveauAccompagnement.objects.create(dispositif=programme.dispositif, **niveau)
    CommuneFactory(nom="Narbonne", code_insee="11262", code_postal="11100")
    return programme


def classeur(menages=(), membres=(), contacts=(), *, nom="existant.xlsx"):
    """A workbook made from the downloadable template: each row a dict of headers to values."""
    workbook = load_workbook(io.BytesIO(importation.modele_xlsx()))
    for feuille, lignes in (
        (importation.MENAGES, menages),
        (importation.MEMBRES, membres),
        (importation.CONTACTS, contacts),
    ):
        sheet = workbook[feuille]
        en_tetes = [cell.value for cell in sheet[1]]
        for ligne in lignes:
            inconnues = set(ligne) - set(en_tetes)
            assert not inconnues, inconnues
            sheet.append([ligne.get(titre, "") for titre in en_tetes])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(nom, buffer.getvalue())


def menage(reference, **valeurs):
    return {
        "référence import": reference,
        "nom du ménage": f"Ménage {reference}",
        "date de saisine": "15/03/2025",
        "origine de la saisine": "SIAO",
        "problématique": "accès",
        "situation de logement": "Hébergé chez un tiers",
        "étape": "Saisine / orientation",
        **valeurs,
    }


BON_FICHIER = {
    "menages": [
        menage(
            "M-1",
            **{
                "nom du ménage": "Martin Sophie",
                "orienté par": "Mme Roux, CCAS de Narbonne",
                "bailleur": "Habitat Audois",
                "commune": "Narbonne",
                "référent": "ts.adaff",
                "consentement au partage avec le bailleur": "20/03/2025",
                "étape": "Accompagnement",
                "niveau": "2",
                "début de l’accompagnement": "02/05/2025",
                "rythme": "Tous les quinze jours",
            },
        ),
        menage(
            "M-2",
            **{
                "date de saisine": "10/01/2024",
                "origine de la saisine": "CCAPEX",
                "problématique": "maintien",
                "situation de logement": "Locataire du parc social",
                "référent": "ts.adaff",
                "étape": "Clos",
                "niveau": "niveau 1",
                "début de l’accompagnement": "01/02/2024",
                "fin de l’accompagnement": "30/04/2024",
                "motif de sortie": "Autonomie",
                "situation à la sortie": "Maintenu dans son logement",
            },
        ),
        menage("M-3", **{"nom du ménage": "Sans Référent"}),
        menage(
            "M-4",
            **{
                "référent": "ts.adaff",
                "étape": "accompagnement",
                "niveau": "3",
                "début de l’accompagnement": "01/06/2025",
                "fin prévue": "31/05/2026",
                "IML : partenaire": "HDM",
                "IML : forme": "Sous-location",
                "IML : début du contrat": "01/06/2025",
            },
        ),
    ],
    "membres": [
        {"référence import": "M-1", "nom": "Martin", "prénom": "Sophie", "date de naissance": "04/07/1988",
         "lien avec le chef de ménage": "Chef de ménage"},
        {"référence import": "M-1", "nom": "Martin", "prénom": "Léo", "date de naissance": "12/09/2015",
         "lien avec le chef de ménage": "enfant"},
        {"référence import": "M-3", "nom": "Référent", "prénom": "Sans", "lien avec le chef de ménage": "chef"},
    ],
    "contacts": [
        {"référence import": "M-1", "date": "12/06/2025", "heure": "14:30", "type": "Visite à domicile",
         "durée (minutes)": "45", "note": "Point sur le budget.", "confidentialité": "Partagée avec tous les intervenants"},
        {"référence import": "M-1", "date": "20/06/2025", "type": "Appel téléphonique", "note": "Rendez-vous CAF."},
        {"référence import": "M-2", "date": "15/02/2024", "type": "Entretien au bureau", "auteur": "ts.adaff"},
    ],
}  # fmt: skip


def bon_fichier():
    return classeur(BON_FICHIER["menages"], BON_FICHIER["membres"], BON_FICHIER["contacts"])


def importer(programme, fichier):
    """Simulate then confirm, as the pages do."""
    fichier.seek(0)
    rapport = importation.simuler(
        dispositif=programme.dispositif, nom_fichier=fichier.name, data=fichier.read(), auteur=programme.admin
    )
    if not rapport.reussi:
        return rapport
    return importation.confirmer(import_menages=rapport.import_menages, auteur=programme.admin)


def test_the_template_has_one_sheet_per_kind_with_french_headers_and_accepted_values():
    workbook = load_workbook(io.BytesIO(importation.modele_xlsx()))
    assert workbook.sheetnames == ["Mode d’emploi", "Ménages", "Membres", "Contacts"]
    assert [c.value for c in workbook["Membres"][1]][:3] == ["référence import", "nom", "prénom"]
    aide = {
        (row[0], row[1]): row[3] for row in workbook["Mode d’emploi"].iter_rows(min_row=2, values_only=True)
    }
    assert typographie("« Accompagnement »") in aide["Ménages", "étape"]
    assert typographie("« Validation des financeurs »") not in aide["Ménages", "étape"]
    assert typographie("« Visite à domicile »") in aide["Contacts", "type"]
    assert typographie("« Chef de ménage »") in aide["Membres", "lien avec le chef de ménage"]
    assert aide["Ménages", "date de saisine"] == "jj/mm/aaaa"


def test_a_good_file_creates_households_members_referral_step_level_and_contacts(niveaux):
    programme = niveaux
    rapport = importer(programme, bon_fichier())
    assert rapport.reussi, rapport.erreurs
    assert (
        rapport.apercu.menages,
        rapport.apercu.membres,
        rapport.apercu.accompagnements,
        rapport.apercu.contacts,
    ) == (4, 3, 3, 3)

    # The programme's numbering, by year of referral, and its counters moved past them.
    references = dict(Menage.objects.values_list("nom", "reference"))
    assert references["Martin Sophie"] == "ASEA-2025-0001"
    assert references["Ménage M-2"] == "ASEA-2024-0001"
    assert CompteurReference.objects.get(dispositif=programme.dispositif, annee=2025).dernier == 3

    martin = Menage.objects.get(nom="Martin Sophie")
    assert martin.dispositif == programme.dispositif
    assert (martin.etat, martin.niveau, martin.bailleur, martin.commune.nom) == (
        EtatParcours.ACCOMPAGNEMENT, CodeNiveau.NIVEAU_2, programme.habitat, "Narbonne"
    )  # fmt: skip
    saisine = Saisine.objects.get(menage=martin)
    assert (saisine.date, saisine.source_orientation, saisine.problematique, saisine.bailleur) == (
        datetime.date(2025, 3, 15), SourceOrientation.SIAO, Problematique.ACCES, programme.habitat
    )  # fmt: skip
    assert martin.orienteur == "Mme Roux, CCAS de Narbonne"
    assert sorted(martin.membres.values_list("prenom", "lien")) == [
        ("Léo", LienMembre.ENFANT),
        ("Sophie", LienMembre.CHEF),
    ]
    assert "leo" in martin.texte_recherche  # found by a member's name in the list's search

    # The level: an administrator's correction with its written reason, not an invented decision.
    episode = Accompagnement.objects.get(menage=martin)
    assert (episode.niveau, episode.date_debut, episode.rythme) == (
        CodeNiveau.NIVEAU_2,
        datetime.date(2025, 5, 2),
        Rythme.BIMENSUEL,
    )
    assert episode.date_fin_prevue == datetime.date(2026, 5, 1)  # the level's 12 months
    changement = ChangementNiveau.objects.get(accompagnement=episode)
    assert (changement.origine, changement.motif, changement.auteur, changement.decision) == (
        OrigineChangementNiveau.ADMINISTRATEUR, MOTIF, programme.admin, None
    )  # fmt: skip
    assert list(
        EvenementParcours.objects.filter(menage=martin).order_by("date").values_list("etat_apres", "motif")
    ) == [(EtatParcours.SAISINE, "Saisine du dispositif – reprise de l’existant (import du " + f"{AUJOURDHUI:%d/%m/%Y})"),
          (EtatParcours.ACCOMPAGNEMENT, MOTIF)]  # fmt: skip
    visite, appel = Contact.objects.filter(menage=martin).order_by("date")
    assert timezone.localtime(visite.date).strftime("%d/%m/%Y %H:%M") == "12/06/2025 14:30"
    assert (visite.type, visite.duree_minutes, visite.confidentialite, visite.auteur) == (
        TypeContact.VAD, 45, Confidentialite.PARTAGE, programme.ts_adaff
    )  # fmt: skip
    # Without a level of confidentiality, a note is reserved to social workers; its author is the referent.
    assert (appel.duree_minutes, appel.confidentialite, appel.auteur) == (
        60,
        Confidentialite.TRAVAILLEURS_SOCIAUX,
        programme.ts_adaff,
    )
    assert ConsentementPartage.objects.get(menage=martin).date_consentement == datetime.date(2025, 3, 20)

    clos = Accompagnement.objects.get(menage__nom="Ménage M-2")
    assert (clos.menage.etat, clos.date_fin, clos.motif_sortie, clos.situation_sortie) == (
        EtatParcours.CLOS, datetime.date(2024, 4, 30), MotifSortie.AUTONOMIE, SituationSortie.MAINTIEN
    )  # fmt: skip
    assert clos.correction_fin == MOTIF
    assert MesureIml.objects.get(accompagnement__menage__nom="Ménage M-4").partenaire == programme.hdm
    sans_referent = Menage.objects.get(nom="Sans Référent")
    assert (sans_referent.etat, sans_referent.niveau) == (EtatParcours.SAISINE, "")
    assert not Accompagnement.objects.filter(menage=sans_referent).exists()

    # The trace: who, when, which file, what it created; each record's history names the import.
    trace = ImportMenages.objects.get()
    assert (trace.statut, trace.auteur, trace.nom_fichier, bytes(trace.contenu)) == (
        StatutImport.IMPORTE,
        programme.admin,
        "existant.xlsx",
        b"",
    )
    assert (trace.menages, trace.membres, trace.accompagnements, trace.contacts) == (4, 3, 3, 3)
    # The import's row is in the audit trail (created, then confirmed), without the file's content.
    entrees = LogEntry.objects.get_for_object(trace).order_by("timestamp")
    assert [e.action for e in entrees] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entrees[1].changes_dict["statut"] == [StatutImport.SIMULATION, StatutImport.IMPORTE]
    assert not any("contenu" in e.changes_dict for e in entrees)
    entree = LogEntry.objects.get_for_object(martin).get()
    assert entree.actor == programme.admin and entree.action == LogEntry.Action.CREATE
    assert entree.additional_data == {"menage_id": martin.pk, "import_menages": trace.pk}
    assert "existant.xlsx" in entree.changes_dict["origine"][1]
    assert LogEntry.objects.filter(additional_data__import_menages=trace.pk).count() == 4 + 3 + 3 + 3


def test_imported_households_are_seen_by_the_right_roles(niveaux, client):
    programme = niveaux
    assert importer(programme, bon_fichier()).reussi
    martin = Menage.objects.get(nom="Martin Sophie")
    sans_referent = Menage.objects.get(nom="Sans Référent")
    pages = {
        (programme.ts_adaff, martin): 200,  # its referent's organisation
        (programme.cesf_habitat, martin): 200,  # its landlord, with the household's consent
        (programme.cesf_alogea, martin): 404,  # another landlord
        (programme.ts_hdm, martin): 404,  # the IML partner does not intervene on it
        (programme.ts_adaff, sans_referent): 404,  # nobody intervenes on it yet
        (programme.admin, sans_referent): 200,
    }
    for (user, menage_), status in pages.items():
        client.force_login(user)
        response = client.get(reverse("dossiers:detail", args=[menage_.pk]))
        assert response.status_code == status, (user.username, menage_.nom)
    client.force_login(programme.ts_adaff)
    page = client.get(reverse("dossiers:detail", args=[martin.pk])).content.decode()
    assert "Léo" in page


def test_a_file_with_errors_creates_nothing_and_reports_each_error_with_its_line(niveaux):
    programme = niveaux
    fichier = classeur(
        [
            menage("M-1"),
            menage("M-2", **{"date de saisine": "31/02/2025"}),  # line 3
            menage("M-3", **{"origine de la saisine": "Pôle emploi"}),  # line 4
            menage("M-1"),  # line 5: duplicate key
            menage("M-5", **{"étape": "Accompagnement"}),  # line 6: no level, no start
            menage("M-6", **{"date de saisine": "2025-03-15"}),  # line 7
            menage("M-7", **{"étape": "Validation des financeurs"}),  # line 8
            menage("M-8", **{"référent": "inconnu"}),  # line 9
        ],
        [
            {"référence import": "M-1", "nom": "A", "prénom": "B", "lien avec le chef de ménage": "cousin"},
            {"référence import": "M-99", "nom": "A", "prénom": "B", "lien avec le chef de ménage": "enfant"},
        ],
        [{"référence import": "M-1", "date": "01/01/2099", "type": "Visite à domicile"}],
    )
    rapport = importer(programme, fichier)
    assert not rapport.reussi
    assert not Menage.objects.exists() and not Membre.objects.exists() and not Contact.objects.exists()
    assert not ImportMenages.objects.exists()
    assert not CompteurReference.objects.filter(dernier__gt=0).exists()
    erreurs = {(e.feuille, e.ligne, e.colonne): e.message for e in rapport.erreurs}
    assert "n’existe pas" in erreurs["Ménages", 3, "date de saisine"]
    assert "Pôle emploi" in erreurs["Ménages", 4, "origine de la saisine"]
    assert "déjà à la ligne 2" in erreurs["Ménages", 5, "référence import"]
    assert "obligatoire" in erreurs["Ménages", 6, "niveau"]
    assert "obligatoire" in erreurs["Ménages", 6, "début de l’accompagnement"]
    assert "jj/mm/aaaa" in erreurs["Ménages", 7, "date de saisine"]
    assert "Validation des financeurs" in erreurs["Ménages", 8, "étape"]
    assert "inconnu" in erreurs["Ménages", 9, "référent"]
    # A value out of a closed list: the message lists the accepted ones.
    assert "cousin" in erreurs["Membres", 2, "lien avec le chef de ménage"]
    assert "Chef de ménage" in erreurs["Membres", 2, "lien avec le chef de ménage"]
    assert "aucun ménage" in erreurs["Membres", 3, "référence import"]
    assert "futur" in erreurs["Contacts", 2, "date"]
    assert len(rapport.erreurs) == 11  # each error once, none else


def test_step_and_level_must_agree_with_the_programmes_rules(niveaux):
    accompagne = {"étape": "Accompagnement", "début de l’accompagnement": "02/05/2025"}
    rapport = importer(
        niveaux,
        classeur(
            [
                menage("A", **{"niveau": "2"}),  # line 2: a level before the support
                menage("B", **accompagne, **{"niveau": "3"}),  # line 3: reinforced, no IML, no end
                menage("C", **{**accompagne, "étape": "Relais sortant", "niveau": "2"}),  # line 4
                menage("D", **{**accompagne, "étape": "Clos", "niveau": "1"}),  # line 5: no end, no reason
                menage("E", **{**accompagne, "niveau": "1", "début de l’accompagnement": "01/01/2025"}),
                menage("F", **{"étape": "Refusé"}),  # line 7: no reason for the refusal
            ]
        ),
    )
    erreurs = {(e.ligne, e.colonne): e.message for e in rapport.erreurs}
    assert "laissez cette case vide" in erreurs[2, "niveau"]
    assert "IML" in erreurs[3, "IML : partenaire"]
    assert "fixée par le comité" in erreurs[3, "fin prévue"]
    assert "Relais sortant" in erreurs[4, "niveau"]
    assert {"fin de l’accompagnement", "motif de sortie", "situation à la sortie"} <= {
        c for ligne, c in erreurs if ligne == 5
    }
    assert "avant la saisine" in erreurs[6, "début de l’accompagnement"]
    assert "motif du refus" in erreurs[7, "motif de refus"]
    assert not Menage.objects.exists()


def test_the_simulation_creates_nothing_and_says_what_the_confirmation_creates(niveaux):
    programme = niveaux
    fichier = bon_fichier()
    data = fichier.read()
    rapport = importation.simuler(
        dispositif=programme.dispositif, nom_fichier=fichier.name, data=data, auteur=programme.admin
    )
    assert rapport.reussi
    assert (rapport.apercu.menages, rapport.apercu.contacts) == (4, 3)
    assert [m["reference"] for m in rapport.apercu.premiers][:2] == ["ASEA-2025-0001", "ASEA-2024-0001"]
    assert ("Accompagnement", 2) in rapport.apercu.par_etape
    for model in (Menage, Membre, Contact, Accompagnement, ChangementNiveau, EvenementParcours):
        assert not model.objects.exists(), model
    assert not CompteurReference.objects.filter(dernier__gt=0).exists()
    assert not LogEntry.objects.filter(additional_data__has_key="import_menages").exists()
    # Only the file waits, for its confirmation.
    attente = ImportMenages.objects.get()
    assert attente.statut == StatutImport.SIMULATION and bytes(attente.contenu) == data

    confirme = importation.confirmer(import_menages=attente, auteur=programme.admin)
    assert confirme.reussi
    assert sorted(Menage.objects.values_list("reference", flat=True)) == sorted(
        m["reference"] for m in rapport.apercu.premiers
    )


def test_the_same_file_is_not_imported_twice(niveaux):
    programme = niveaux
    fichier = bon_fichier()
    assert importer(programme, fichier).reussi
    rapport = importer(programme, fichier)
    assert "déjà été importé" in rapport.erreurs[0].message
    assert Menage.objects.count() == 4


def test_a_zip_of_csv_files_and_a_single_csv_file_are_accepted(niveaux):
    programme = niveaux

    def en_csv(lignes):
        sortie = io.StringIO()
        writer = csv.DictWriter(sortie, fieldnames=list(lignes[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(lignes)
        return sortie.getvalue().encode("utf-8")

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Ménages.csv", en_csv([menage("Z-1"), menage("Z-2")]))
        membre = {
            "référence import": "Z-1",
            "nom": "Zola",
            "prénom": "Émile",
            "lien avec le chef de ménage": "Chef de ménage",
        }
        archive.writestr("membres.csv", en_csv([membre]))
    rapport = importer(programme, SimpleUploadedFile("reprise.zip", buffer.getvalue()))
    assert rapport.reussi, rapport.erreurs
    assert (Menage.objects.count(), Membre.objects.get().prenom) == (2, "Émile")

    rapport = importer(
        programme,
        SimpleUploadedFile(
            "menages.csv", en_csv([menage("C-1", **{"nom du ménage": "Seul"})]).decode().encode("cp1252")
        ),
    )
    assert rapport.reussi, rapport.erreurs
    assert Menage.objects.filter(nom="Seul").exists()


# The pages ------------------------------------------------------------------------------------


def test_only_administrators_import(programme, client):
    urls = [
        ("get", reverse("dossiers:importer")),
        ("get", reverse("dossiers:importer_modele")),
        ("get", reverse("dossiers:importer_modele_csv")),
        ("post", reverse("dossiers:importer_confirmer", args=[1])),
        ("post", reverse("dossiers:importer_abandonner", args=[1])),
    ]
    for user in (
        programme.ts_adaff,
        programme.cesf_habitat,
        programme.tisf_afc,
        programme.financeur,
        programme.comite,
        programme.gardien_habitat,
    ):
        client.force_login(user)
        for methode, url in urls:
            assert getattr(client, methode)(url).status_code == 403, (user.username, url)
        assert reverse("dossiers:importer") not in client.get(reverse("tableau_de_bord")).content.decode()
    client.force_login(programme.admin)
    page = client.get(reverse("dossiers:importer"))
    assert page.status_code == 200
    hub = client.get(reverse("administration:index")).content.decode()
    assert f'href="{reverse("dossiers:importer")}"' in hub  # a section of the « Administration » page
    modele = client.get(reverse("dossiers:importer_modele"))
    assert modele["Content-Disposition"] == 'attachment; filename="modele-import-menages.xlsx"'
    assert load_workbook(io.BytesIO(modele.content)).sheetnames[1:] == ["Ménages", "Membres", "Contacts"]


def test_an_administrator_simulates_then_confirms_through_the_pages(niveaux, client):
    programme = niveaux
    client.force_login(programme.admin)
    page = client.post(reverse("dossiers:importer"), {"fichier": bon_fichier()})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Simulation" in html and "Confirmer l’import de 4 ménages" in html and "Martin Sophie" in html
    assert not Menage.objects.exists()
    attente = ImportMenages.objects.get()

    # Another administrator cannot confirm a simulation that is not theirs.
    autre = type(programme.admin).objects.create(username="admin2", organisation=programme.adaff)
    autre.attributions_roles.create(role="administrateur")
    client.force_login(autre)
    assert client.post(reverse("dossiers:importer_confirmer", args=[attente.pk])).status_code == 404

    client.force_login(programme.admin)
    response = client.post(reverse("dossiers:importer_confirmer", args=[attente.pk]))
    assert response.status_code == 302
    assert Menage.objects.count() == 4
    page = client.get(response.url).content.decode()
    assert "Import réussi" in page and "existant.xlsx" in page
    # Confirmed once: the second click finds nothing to confirm.
    assert client.post(reverse("dossiers:importer_confirmer", args=[attente.pk])).status_code == 404


def test_an_abandoned_simulation_keeps_no_file(niveaux, client):
    client.force_login(niveaux.admin)
    client.post(reverse("dossiers:importer"), {"fichier": bon_fichier()})
    attente = ImportMenages.objects.get()
    assert client.post(reverse("dossiers:importer_abandonner", args=[attente.pk])).status_code == 302
    assert not ImportMenages.objects.exists() and not Menage.objects.exists()


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("existant.xlsx", b"\x00\x01garbage\xff" * 50, "illisible"),
        ("existant.xlsx", b"PK\x03\x04 not really a zip", "illisible"),
        ("existant.csv", b"", "vide"),
        ("existant.pdf", b"%PDF-1.4", "pas accepté"),
        ("existant.xls", b"\xd0\xcf\x11\xe0", "pas accepté"),
        ("existant.zip", b"garbage", "illisible"),
        (
            "existant.csv",
            "référence import;nom du ménage\nM-1;Martin\n".encode(),
            "Colonnes obligatoires absentes",
        ),
        ("existant.csv", b"\x00\x00\x00binary", "illisible"),
    ],
)
def test_a_malformed_file_gets_a_french_message_never_a_500(niveaux, client, nom, contenu, message):
    client.force_login(niveaux.admin)
    response = client.post(reverse("dossiers:importer"), {"fichier": SimpleUploadedFile(nom, contenu)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Menage.objects.exists()


def test_a_workbook_without_the_households_sheet_says_which_sheets_it_has(niveaux, client):
    client.force_login(niveaux.admin)
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Feuil1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        reverse("dossiers:importer"), {"fichier": SimpleUploadedFile("x.xlsx", buffer.getvalue())}
    )
    assert "La feuille «\u00a0Ménages\u00a0» est introuvable" in response.content.decode()


def test_the_import_page_queries_do_not_grow_with_past_imports(niveaux, client, count_queries):
    client.force_login(niveaux.admin)
    url = reverse("dossiers:importer")
    ImportMenages.objects.create(
        dispositif=niveaux.dispositif,
        auteur=niveaux.admin,
        statut=StatutImport.IMPORTE,
        importe_le=timezone.now(),
    )
    une = count_queries(client.get, url)
    for _ in range(8):
        ImportMenages.objects.create(
            dispositif=niveaux.dispositif,
            auteur=niveaux.admin,
            statut=StatutImport.IMPORTE,
            importe_le=timezone.now(),
        )
    assert count_queries(client.get, url) == une


def test_two_thousand_households_go_through_in_reasonable_time(niveaux):
    programme = niveaux
    n = 2000
    menages = [
        menage(f"M-{i}", **{"référent": "ts.adaff", "étape": "Accompagnement", "niveau": "2",
                            "début de l’accompagnement": "02/05/2025"} if i % 2 else {})
        for i in range(n)
    ]  # fmt: skip
    membres = [
        {
            "référence import": f"M-{i}",
            "nom": "Nom",
            "prénom": f"Prénom {k}",
            "lien avec le chef de ménage": "enfant",
        }
        for i in range(n)
        for k in range(2)
    ]
    contacts = [
        {"référence import": f"M-{i}", "date": "12/06/2025", "type": "Visite à domicile", "note": "Visite."}
        for i in range(n)
        for _k in range(2)
    ]
    fichier = classeur(menages, membres, contacts)
    debut = time.perf_counter()
    rapport = importer(programme, fichier)
    duree = time.perf_counter() - debut
    assert rapport.reussi, rapport.erreurs[:3]
    assert (Menage.objects.count(), Membre.objects.count(), Contact.objects.count()) == (n, 2 * n, 2 * n)
    print(f"\nimport de {n} ménages (simulation et confirmation) : {duree:.1f} s")
    assert duree < 60, f"{duree:.1f} s"


def test_a_refusal_of_the_database_is_reported_not_a_server_error(niveaux, monkeypatch):
    """Every rule is checked line by line first; should one slip through, the file is refused with a
    message and nothing is written."""
    from django.db import DataError

    def refus(*args, **kwargs):
        raise DataError("value too long")

    monkeypatch.setattr(Contact.objects, "bulk_create", refus)
    rapport = importer(niveaux, bon_fichier())
    assert "refusée par la base de données" in rapport.erreurs[0].message
    assert not Menage.objects.exists() and not ImportMenages.objects.exists()


def test_the_confirmation_checks_the_file_again(niveaux):
    """Between the simulation and its confirmation, the referent named in the file left: the
    confirmation finds it, imports nothing and drops the simulation."""
    programme = niveaux
    fichier = bon_fichier()
    simulation = importation.simuler(
        dispositif=programme.dispositif, nom_fichier=fichier.name, data=fichier.read(), auteur=programme.admin
    )
    assert simulation.reussi
    type(programme.ts_adaff).objects.filter(pk=programme.ts_adaff.pk).update(is_active=False)
    rapport = importation.confirmer(import_menages=simulation.import_menages, auteur=programme.admin)
    assert not rapport.reussi
    assert {(e.feuille, e.ligne, e.colonne) for e in rapport.erreurs} >= {
        ("Ménages", 2, "référent"),
        ("Contacts", 4, "auteur"),
    }
    assert not Menage.objects.exists() and not ImportMenages.objects.exists()
