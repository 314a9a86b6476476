import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Count, Sum
from django.urls import reverse

from accompagnement import services as acc_services
from accompagnement.models import Contact
from accompagnement.tests.factories import AccompagnementFactory, ContactFactory, ObjectifFactory
from menages import retention
from menages.enums import EtatParcours
from menages.models import Menage
from menages.tests.factories import DiagnosticFactory, IntervenantFactory, MembreFactory, MenageFactory
from tests.support.droit_acces import dpo_de, pdf_remis

NOW = datetime.datetime(2026, 11, 29, 9, tzinfo=datetime.UTC)


@pytest.fixture
def ferme(programme):
    """A household closed in 2024, with its support, contacts, scores, objectives and a document."""
    menage = MenageFactory(
        dispositif=programme.dispositif, bailleur=programme.habitat, etat=EtatParcours.CLOS, nom="Durand Hélène",
        telephone="04 68 00 00 00", date_saisine=datetime.date(2023, 9, 1),
    )  # fmt: skip
    MembreFactory(menage=menage, nom="Durand", prenom="Hélène", date_naissance=datetime.date(1984, 5, 17))
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff, date_debut=datetime.date(2023, 9, 1))
    AccompagnementFactory(
        menage=menage, niveau="niveau_2", date_debut=datetime.date(2023, 11, 1),
        date_fin_prevue=datetime.date(2024, 10, 31), date_fin=datetime.date(2024, 10, 15), motif_sortie="autonomie",
        situation_sortie="maintien",
    )  # fmt: skip
    for day in (1, 15):
        ContactFactory(
            menage=menage, auteur=programme.ts_adaff, duree_minutes=60, note="Mme Durand évoque son addiction",
            date=datetime.datetime(2024, 9, day, 10, tzinfo=datetime.UTC),
        )  # fmt: skip
    DiagnosticFactory(
        menage=menage, auteur=programme.ts_adaff, observations_sante="Suivi CSAPA", score_budget=1
    )
    ObjectifFactory(menage=menage, libelle="Rembourser la dette EDF")
    acc_services.deposer_document(
        menage=menage, fichier=SimpleUploadedFile("avis.pdf", b"%PDF-1.4 test"), format="pdf", auteur=programme.ts_adaff,
        type="justificatif", titre="Avis d’imposition de Mme Durand",
    )  # fmt: skip
    return menage


def figures(dispositif):
    """What the statistics read: counts, durations, levels, scores, time spent, birth years."""
    menages = Menage.objects.filter(dispositif=dispositif)
    return {
        "par_etat": dict(menages.values_list("etat").annotate(n=Count("pk"))),
        "contacts": Contact.objects.filter(menage__in=menages).aggregate(
            n=Count("pk"), minutes=Sum("duree_minutes")
        ),
        "episodes": list(
            menages.values_list(
                "accompagnements__niveau", "accompagnements__date_debut", "accompagnements__date_fin"
            )
        ),
        "scores": list(menages.values_list("diagnostics__score_budget", flat=True)),
        "naissances": sorted(d.year for d in menages.values_list("membres__date_naissance", flat=True) if d),
        "sorties": list(
            menages.values_list("accompagnements__motif_sortie", "accompagnements__situation_sortie")
        ),
    }


def test_dry_run_lists_without_changing_anything(ferme, capsys):
    with time_machine.travel(NOW, tick=False):
        call_command("anonymiser", "--dry-run")
    assert ferme.reference in capsys.readouterr().out
    ferme.refresh_from_db()
    assert ferme.nom == "Durand Hélène" and ferme.anonymise_le is None


def test_file_within_retention_is_kept(ferme):
    with time_machine.travel(datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC), tick=False):
        assert retention.a_anonymiser() == []  # less than 24 months since October 2024


def test_anonymisation_removes_identity_notes_and_documents_but_keeps_the_figures(ferme, programme):
    avant = figures(programme.dispositif)
    with time_machine.travel(NOW, tick=False):
        call_command("anonymiser")
    ferme.refresh_from_db()
    assert ferme.anonymise_le is not None
    assert "Durand" not in ferme.nom and ferme.telephone == ""
    assert ferme.membres.get().nom == "—"
    assert not Contact.objects.filter(note__contains="addiction").exists()
    assert ferme.diagnostics.get().observations_sante == ""
    assert ferme.objectifs.get().libelle == "—"
    assert not ferme.documents.exists()
    # No old value survives in the audit trail of the file.
    assert not LogEntry.objects.filter(changes_text__contains="Durand").exists()
    assert not LogEntry.objects.filter(changes__icontains="Durand").exists()
    assert figures(programme.dispositif) == avant
    assert retention.a_anonymiser(NOW) == []  # done once


def test_right_of_access_export_has_the_households_data_and_no_third_party(client, programme, ferme):
    ContactFactory(
        menage=ferme,
        auteur=programme.ts_adaff,
        note="Échange entre professionnels",
        confidentialite="travailleurs_sociaux",
    )
    text = pdf_remis(client, ferme, referent=programme.ts_adaff, dpo=dpo_de(programme.adaff))
    assert "Durand" in text and "Hélène" in text and ferme.reference in text
    assert "Rembourser la dette EDF" in text
    assert str(programme.ts_adaff) not in text  # no professional's name
    # A note reserved to social workers is the household's own data too (the DPO may withhold it).
    assert "Échange entre professionnels" in text
    for persona in ("cesf_habitat", "financeur", "cesf_alogea"):
        client.force_login(getattr(programme, persona))
        assert client.get(reverse("dossiers:export", args=[ferme.pk])).status_code in (403, 404)


def test_funder_indicators_of_a_past_period_are_the_same_after_anonymisation(ferme, programme):
    from financement import indicators

    DiagnosticFactory(menage=ferme, auteur=programme.ts_adaff, type="sortie", score_budget=3)

    def figures_financeur():
        data = indicators.calculer(
            programme.dispositif, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)
        )
        data.pop("periode")
        data.pop("convention")
        return data

    avant = figures_financeur()
    assert avant["contacts"]["nombre"] == 2  # the data set is really counted
    with time_machine.travel(NOW, tick=False):
        call_command("anonymiser")
    assert figures_financeur() == avant
