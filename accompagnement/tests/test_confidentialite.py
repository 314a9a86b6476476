"""Objectives and pre-diagnostics carry the confidentiality levels of notes (comptes.confidentialite)."""

import pytest
from django.urls import reverse

from accompagnement.models import Objectif
from accompagnement.tests.factories import AccompagnementFactory
from comptes.confidentialite import MASQUE
from menages.models import PreDiagnostic
from menages.tests.factories import PreDiagnosticFactory


@pytest.fixture
def suivi(menage, programme):
    menage.etat = "accompagnement"
    menage.save()
    return AccompagnementFactory(menage=menage, rythme="hebdomadaire")


def nouvel_objectif(client, menage, axe, **extra):
    data = {
        "axe": axe,
        "libelle": f"Objectif {axe}",
        "date_debut": "2026-03-02",
        "statut": "en_cours",
        **extra,
    }
    response = client.post(reverse("accompagnement:objectif", args=[menage.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    return Objectif.objects.get(libelle=f"Objectif {axe}")


def test_a_health_objective_is_for_social_workers_unless_shared(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    assert nouvel_objectif(client, menage, "soins").confidentialite == "travailleurs_sociaux"
    assert nouvel_objectif(client, menage, "budget").confidentialite == "partage"
    partage = nouvel_objectif(client, menage, "competences", confidentialite="partage")
    assert partage.confidentialite == "partage"
    assert "Objectif soins" in client.get(menage.get_absolute_url()).text


@pytest.mark.parametrize("persona", ["cesf_habitat", "admin"])
def test_a_reserved_objective_is_neither_shown_nor_opened_beyond_social_workers(
    client, programme, menage, suivi, persona
):
    client.force_login(programme.ts_adaff)
    soins = nouvel_objectif(client, menage, "soins")
    client.force_login(getattr(programme, persona))
    assert "Objectif soins" not in client.get(menage.get_absolute_url()).text
    assert "Objectif soins" not in client.get(reverse("dossiers:chronologie", args=[menage.pk])).text
    url = reverse("accompagnement:objectif_modifier", args=[menage.pk, soins.pk])
    assert client.get(url).status_code in (403, 404)


def test_who_may_not_read_a_reserved_objective_does_not_choose_its_level(client, programme, menage, suivi):
    client.force_login(programme.admin)
    form = client.get(reverse("accompagnement:objectif", args=[menage.pk])).context["form"]
    assert "confidentialite" not in form.fields
    assert nouvel_objectif(client, menage, "soins").confidentialite == "travailleurs_sociaux"


def test_a_social_workers_pre_diagnostic_shows_only_that_it_exists_to_the_landlord(client, programme, menage):
    reserve = PreDiagnosticFactory(
        menage=menage,
        auteur=programme.ts_adaff,
        situation="Suivi psychiatrique",
        confidentialite="travailleurs_sociaux",
    )
    PreDiagnosticFactory(menage=menage, auteur=programme.cesf_habitat, situation="Impayés depuis mars")
    client.force_login(programme.cesf_habitat)
    page = client.get(menage.get_absolute_url()).text
    assert "Suivi psychiatrique" not in page and MASQUE in page and "Impayés depuis mars" in page
    url = reverse("menages:pre_diagnostic_modifier", args=[menage.pk, reserve.pk])
    assert client.get(url).status_code == 404
    client.force_login(programme.ts_adaff)
    assert "Suivi psychiatrique" in client.get(menage.get_absolute_url()).text


def test_a_pre_diagnostic_is_reserved_by_default_when_a_social_worker_writes_it(client, programme, menage):
    menage.etat = "saisine"
    menage.save()
    data = {
        "date": "2026-03-02",
        "situation": "s",
        "difficultes": "d",
        "motif_orientation": "m",
        "propose": "on",
    }
    for persona, attendu in (("ts_adaff", "travailleurs_sociaux"), ("cesf_habitat", "partage")):
        client.force_login(getattr(programme, persona))
        form = client.get(reverse("menages:pre_diagnostic", args=[menage.pk])).context["form"]
        if persona == "ts_adaff":
            data["confidentialite"] = form.initial["confidentialite"]
        else:
            assert "confidentialite" not in form.fields
            data.pop("confidentialite")
        assert client.post(reverse("menages:pre_diagnostic", args=[menage.pk]), data).status_code == 302
        assert PreDiagnostic.objects.latest("pk").confidentialite == attendu


@pytest.mark.parametrize(
    ("url_name", "persona"),
    [("accompagnement:contact", "cesf_habitat"), ("accompagnement:document_deposer", "cesf_habitat"),
     ("accompagnement:orientation", "admin")],
)  # fmt: skip
def test_who_may_not_read_the_reserved_level_is_not_offered_it(
    client, programme, menage, suivi, url_name, persona
):
    url = reverse(url_name, args=[menage.pk])
    client.force_login(getattr(programme, persona))
    assert "confidentialite" not in client.get(url).context["form"].fields
    client.force_login(programme.ts_adaff)
    assert "confidentialite" in client.get(url).context["form"].fields


def test_a_contact_written_by_the_landlord_is_shared(client, programme, menage, suivi):
    from django.utils import timezone

    from accompagnement.models import Contact

    client.force_login(programme.cesf_habitat)
    data = {"type": "vad", "date": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "duree_minutes": "30",
            "note": "Visite du logement", "confidentialite": "travailleurs_sociaux"}  # fmt: skip
    assert client.post(reverse("accompagnement:contact", args=[menage.pk]), data).status_code == 302
    assert Contact.objects.get().confidentialite == "partage"
