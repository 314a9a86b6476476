"""The household file, its timeline, its export and its retention are assembled from the parts the
apps register (`menages.parties`): these tests fail when an app's part is missing."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from accompagnement.tests.factories import AccompagnementFactory, ContactFactory, ObjectifFactory
from comites.enums import Decision, TypeInstance, TypePoint
from comites.models import Instance, PointOrdreDuJour, Seance
from menages import parties, retention
from menages.enums import EtatParcours
from menages.models import Menage
from menages.tests.factories import DiagnosticFactory, IntervenantFactory, MembreFactory, MenageFactory
from tests.support.droit_acces import dpo_de, pdf_remis


def _apps_holding_household_records() -> set[str]:
    """Every app with a model pointing at a household, and menages itself."""
    return {"menages"} | {
        model._meta.app_label
        for model in apps.get_models()
        if any(getattr(f, "related_model", None) is Menage for f in model._meta.fields)
    }


def test_every_app_holding_household_records_contributes_its_part():
    registered = {partie.app for partie in parties.parties()}
    assert registered == _apps_holding_household_records()
    assert registered >= {"menages", "accompagnement", "logements", "comites", "rappels"}


def test_every_part_that_holds_household_text_has_a_retention_step():
    steps = {partie.app for partie in parties.parties() if partie.anonymiser}
    assert steps >= {"menages", "accompagnement", "logements", "comites", "rappels"}


@pytest.fixture
def dossier(programme):
    menage = MenageFactory(
        dispositif=programme.dispositif, bailleur=programme.habitat, etat=EtatParcours.ACCOMPAGNEMENT
    )
    MembreFactory(menage=menage, nom="Lenoir", prenom="Aïcha")
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    AccompagnementFactory(menage=menage)
    ContactFactory(menage=menage, auteur=programme.ts_adaff, note="Visite du logement avec la famille.")
    ObjectifFactory(menage=menage, auteur=programme.ts_adaff, libelle="Ouvrir les droits à la CAF")
    DiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    return menage


# Each app's sections of the household file, by the heading the reader sees.
SECTIONS = {
    "accompagnement": ["Accompagnement", "Objectifs", "Contacts (1)", "Temps forts", "Documents"],
    "menages": [
        "Le ménage",
        "Composition",
        "Ressources et dettes",
        "Pré-diagnostic",
        "Validation des financeurs",
        "Diagnostic approfondi",
        "Intervenants",
    ],
}


def test_household_file_shows_each_apps_sections_in_place(client, programme, dossier):
    client.force_login(programme.ts_adaff)
    response = client.get(dossier.get_absolute_url())
    assert response.status_code == 200
    for app, titres in SECTIONS.items():
        for titre in titres:
            assert f">{titre}</h2>" in response.text, (app, titre)
    # The header gathers the actions of menages (the path), logements and comites.
    libelles = [action.libelle for action in response.context["actions"]]
    assert libelles == [
        "Noter un contact",
        "Logements adaptés",
        "Demander au comité",
        "Passer en relais sortant",
        "Clore l’accompagnement",
    ]
    principale = response.text.index("Accompagnement</h2>")
    assert (
        principale < response.text.index("Le ménage</h2>") < response.text.index("Diagnostic approfondi</h2>")
    )


def test_timeline_gathers_the_events_of_every_part(client, programme, dossier):
    instance = Instance.objects.create(
        dispositif=programme.dispositif, type=TypeInstance.COMITE_SUIVI, nom="Comité"
    )
    seance = Seance.objects.create(instance=instance, date=timezone.now())
    PointOrdreDuJour.objects.create(
        seance=seance,
        menage=dossier,
        type=TypePoint.CHANGEMENT_NIVEAU,
        decision=Decision.VALIDER,
        decide_le=timezone.now(),
        decide_par=programme.comite,
    )
    client.force_login(programme.ts_adaff)
    page = client.get(reverse("dossiers:chronologie", args=[dossier.pk])).context["page"]
    categories = {e.categorie for e in page}
    assert {
        "contact",
        "diagnostic",
        "intervenant",
        "comite",
    } <= categories  # menages, accompagnement, comites
    assert any(e.titre.startswith("Objectif") for e in page)


def test_right_of_access_export_holds_each_parts_pages(client, programme, dossier):
    text = pdf_remis(client, dossier, referent=programme.ts_adaff, dpo=dpo_de(programme.adaff))
    for titre in (
        "Vous et votre foyer",  # menages
        "Ressources et dettes",
        "Votre parcours",
        "Avant l’accompagnement",
        "Votre accompagnement",  # accompagnement
        "Vos objectifs",
        "Rencontres",
        "Vos orientations vers des partenaires",
        "Vos documents",
        "Votre logement et votre dossier locatif",  # logements
        "Le comité de suivi",  # comites
    ):
        assert titre in text
    assert "Ouvrir les droits à la CAF" in text and "Visite du logement avec la famille." in text


def test_retention_runs_the_step_of_every_part(programme, dossier):
    Menage.objects.filter(pk=dossier.pk).update(etat=EtatParcours.CLOS)
    retention.anonymiser(Menage.objects.get(pk=dossier.pk))
    assert not dossier.membres.filter(nom="Lenoir").exists()  # menages
    assert not dossier.objectifs.filter(libelle__contains="CAF").exists()  # accompagnement
    assert not dossier.contacts.exclude(note="").exists()
