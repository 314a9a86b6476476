import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Contact, Document, Objectif
from accompagnement.tests.factories import AccompagnementFactory, ContactFactory, ObjectifFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def suivi(menage, programme):
    menage.etat = "accompagnement"
    menage.save()
    return AccompagnementFactory(menage=menage, rythme="hebdomadaire")


def test_quick_home_visit_needs_only_the_defaults(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:contact", args=[menage.pk])
    form = client.get(url).context["form"]
    assert (
        form.initial["date"]
        and form.fields["type"].initial == "vad"
        and form.fields["duree_minutes"].initial == 60
    )
    data = {
        "type": "vad",
        "date": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duree_minutes": "60",
        "confidentialite": "partage",
        "membres": [m.pk for m in menage.membres.all()],
    }
    assert client.post(url, data).status_code == 302
    contact = Contact.objects.get()
    assert contact.auteur == programme.ts_adaff
    assert list(contact.professionnels.all()) == [programme.ts_adaff]


def test_note_field_reminds_that_the_household_may_read_it(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    response = client.get(reverse("accompagnement:contact", args=[menage.pk]))
    assert "Le ménage peut demander à lire cette note" in response.text


@pytest.fixture
def notes(menage, programme, suivi):
    ContactFactory(menage=menage, auteur=programme.ts_adaff, note="Note partagée visible de tous")
    ContactFactory(
        menage=menage,
        auteur=programme.ts_adaff,
        note="Rendez-vous au CSAPA",
        confidentialite="travailleurs_sociaux",
    )


@pytest.mark.parametrize("persona", ["cesf_habitat", "tisf_afc"])
def test_landlord_and_tisf_never_see_social_workers_only_notes(client, programme, menage, notes, persona):
    client.force_login(getattr(programme, persona))
    for url in (menage.get_absolute_url(), reverse("accompagnement:contacts", args=[menage.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert "Note partagée visible de tous" in response.text
        assert "CSAPA" not in response.text
    confidential = Contact.objects.get(confidentialite="travailleurs_sociaux")
    url = reverse("accompagnement:contact_modifier", args=[menage.pk, confidential.pk])
    assert client.get(url).status_code in (403, 404)


@pytest.mark.parametrize("persona", ["cesf_habitat", "tisf_afc"])
def test_the_file_offers_to_edit_only_the_contacts_one_may_edit(client, programme, menage, suivi, persona):
    auteur = getattr(programme, persona)
    sien = ContactFactory(menage=menage, auteur=auteur)
    autre = ContactFactory(menage=menage, auteur=programme.ts_adaff)
    client.force_login(auteur)
    page = client.get(menage.get_absolute_url()).text
    sien_url = reverse("accompagnement:contact_modifier", args=[menage.pk, sien.pk])
    autre_url = reverse("accompagnement:contact_modifier", args=[menage.pk, autre.pk])
    assert sien_url in page and client.get(sien_url).status_code == 200
    assert autre_url not in page and client.get(autre_url).status_code == 403


def test_social_worker_sees_every_note(client, programme, menage, notes):
    client.force_login(programme.ts_adaff)
    assert "CSAPA" in client.get(menage.get_absolute_url()).text


def test_household_file_query_count_is_the_same_with_1_and_200_contacts(
    client, programme, menage, suivi, count_queries
):
    client.force_login(programme.ts_adaff)
    ContactFactory(menage=menage, auteur=programme.ts_adaff)
    ObjectifFactory(menage=menage)
    one = count_queries(client.get, menage.get_absolute_url())
    assert one <= 32  # 47 before the file and its timeline shared their reads
    Contact.objects.bulk_create(
        [
            Contact(menage=menage, auteur=programme.ts_adaff, note=f"n{i}", date=timezone.now())
            for i in range(199)
        ]
    )
    for _ in range(10):
        ObjectifFactory(menage=menage)
    assert count_queries(client.get, menage.get_absolute_url()) == one
    assert count_queries(client.get, reverse("accompagnement:contacts", args=[menage.pk])) == count_queries(
        client.get, reverse("accompagnement:contacts", args=[menage.pk]), {"page": 3}
    )


def test_file_shows_lateness_against_the_rythme(client, programme, menage, suivi):
    ContactFactory(
        menage=menage, auteur=programme.ts_adaff, date=timezone.now() - datetime.timedelta(days=20)
    )
    client.force_login(programme.ts_adaff)
    assert "En retard" in client.get(menage.get_absolute_url()).text
    assert "En retard" in client.get(reverse("tableau_de_bord")).text
    assert "En retard" in client.get(reverse("dossiers:liste")).text
    ContactFactory(menage=menage, auteur=programme.ts_adaff, date=timezone.now())
    assert "En retard" not in client.get(menage.get_absolute_url()).text


def test_objective_edit_conflict_keeps_what_the_second_person_typed(client, programme, menage, suivi):
    objectif = ObjectifFactory(menage=menage, auteur=programme.ts_adaff)
    url = reverse("accompagnement:objectif_modifier", args=[menage.pk, objectif.pk])
    client.force_login(programme.ts_adaff)
    base = {"axe": "budget", "date_debut": "2026-11-01", "statut": "en_cours", "version": objectif.version}
    assert client.post(url, {**base, "libelle": "Premier enregistrement"}).status_code == 302
    response = client.post(url, {**base, "libelle": "Ma saisie, faite en même temps"})
    assert response.status_code == 200
    assert "Quelqu’un d’autre a enregistré cette fiche" in response.text
    assert "Ma saisie, faite en même temps" in response.text
    objectif.refresh_from_db()
    assert objectif.libelle == "Premier enregistrement" and objectif.version == 2


def test_contact_edit_conflict(client, programme, menage, suivi):
    contact = ContactFactory(menage=menage, auteur=programme.ts_adaff)
    url = reverse("accompagnement:contact_modifier", args=[menage.pk, contact.pk])
    client.force_login(programme.ts_adaff)
    data = {
        "type": "vad",
        "date": "2026-11-20T10:00",
        "duree_minutes": 45,
        "confidentialite": "partage",
        "version": 1,
    }
    assert client.post(url, {**data, "note": "Version A"}).status_code == 302
    response = client.post(url, {**data, "note": "Version B"})
    assert "Quelqu’un d’autre a enregistré cette fiche" in response.text and "Version B" in response.text


def test_objective_status_history_is_kept(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    client.post(
        reverse("accompagnement:objectif", args=[menage.pk]),
        {"axe": "budget", "libelle": "Payer le loyer", "date_debut": "2026-11-01", "statut": "en_cours"},
    )
    objectif = Objectif.objects.get()
    client.post(
        reverse("accompagnement:objectif_modifier", args=[menage.pk, objectif.pk]),
        {
            "axe": "budget",
            "libelle": "Payer le loyer",
            "date_debut": "2026-11-01",
            "statut": "atteint",
            "version": 1,
            "commentaire": "Trois mois payés",
        },
    )
    assert [h.statut for h in objectif.historique.all()] == ["atteint", "en_cours"]


def upload(client, menage, name, content, **extra):
    return client.post(
        reverse("accompagnement:document_deposer", args=[menage.pk]),
        {"type": "justificatif", "titre": "Avis d’imposition", "confidentialite": "partage",
         "fichier": SimpleUploadedFile(name, content), **extra},
    )  # fmt: skip


def test_document_disguised_as_pdf_is_refused_in_french(client, programme, menage):
    client.force_login(programme.ts_adaff)
    response = upload(client, menage, "avis.pdf", b"MZ\x90\x00 this is an executable")
    assert response.status_code == 200
    assert "n’est pas un vrai PDF" in response.text
    assert 'value="Avis d’imposition"' in response.text  # nothing typed is lost
    assert not Document.objects.exists()


def test_too_large_document_is_refused(client, programme, menage):
    client.force_login(programme.ts_adaff)
    response = upload(client, menage, "gros.pdf", PDF + b"0" * (10 * 1024 * 1024))
    assert "10 Mo au plus" in response.text
    assert not Document.objects.exists()


def test_document_is_served_only_through_the_access_check(client, programme, menage):
    client.force_login(programme.ts_adaff)
    assert upload(client, menage, "scan.png", PNG).status_code == 302
    assert upload(client, menage, "note.pdf", PDF, confidentialite="travailleurs_sociaux").status_code == 302
    png, pdf = Document.objects.order_by("pk")
    assert png.format == "png" and pdf.format == "pdf"
    url = reverse("accompagnement:document", args=[menage.pk, png.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert "attachment" in response["Content-Disposition"]

    client.force_login(programme.cesf_habitat)  # same landlord: shared document only
    assert client.get(url).status_code == 200
    assert client.get(reverse("accompagnement:document", args=[menage.pk, pdf.pk])).status_code == 404
    for persona in ("cesf_alogea", "financeur", "ts_hdm"):
        client.force_login(getattr(programme, persona))
        assert client.get(url).status_code in (403, 404), persona


def test_media_files_are_not_served_publicly(client, programme, menage):
    client.force_login(programme.ts_adaff)
    upload(client, menage, "scan.png", PNG)
    doc = Document.objects.get()
    assert client.get("/media/" + doc.fichier.name).status_code == 404
    assert client.get("/static/" + doc.fichier.name).status_code == 404


def test_key_moment_is_planned_and_marked_done(client, programme, menage, suivi):
    client.force_login(programme.cesf_habitat)
    url = reverse("accompagnement:temps_fort", args=[menage.pk])
    data = {
        "type": "signature_bail",
        "date_prevue": "2026-12-03T14:00",
        "modalite": "cesf",
        "participants": "CESF",
    }
    assert client.post(url, data).status_code == 302
    temps_fort = menage.temps_forts.get()
    client.post(
        reverse("accompagnement:temps_fort_modifier", args=[menage.pk, temps_fort.pk]),
        {**data, "realise": "on"},
    )
    temps_fort.refresh_from_db()
    assert temps_fort.realise


def test_tisf_hours_are_counted_apart(client, programme, menage, suivi):
    ContactFactory(menage=menage, auteur=programme.tisf_afc, type="tisf", duree_minutes=90)
    ContactFactory(menage=menage, auteur=programme.tisf_afc, type="tisf", duree_minutes=120)
    ContactFactory(menage=menage, auteur=programme.ts_adaff, type="vad", duree_minutes=60)
    client.force_login(programme.ts_adaff)
    assert client.get(menage.get_absolute_url()).context["sections"]["accompagnement"]["heures_tisf"] == 3.5


def test_file_sums_up_every_contact_not_only_the_newest_shown(client, programme, menage, suivi):
    from dossiers.views import EVENEMENTS_PAR_PAGE

    nombre = 60  # more contacts than a page of the timeline holds
    now = timezone.now()
    ContactFactory(
        menage=menage,
        auteur=programme.tisf_afc,
        type="tisf",
        duree_minutes=90,
        date=now - datetime.timedelta(400),
    )
    vad = ContactFactory(menage=menage, auteur=programme.ts_adaff, date=now - datetime.timedelta(200))
    Contact.objects.bulk_create(
        Contact(
            menage=menage, auteur=programme.ts_adaff, type="coordination", date=now - datetime.timedelta(i)
        )
        for i in range(1, nombre + 10)
    )
    client.force_login(programme.ts_adaff)
    context = client.get(menage.get_absolute_url()).context["sections"]["contacts"]
    assert context["nombre_contacts"] == nombre + 11
    assert context["heures_tisf"] == 1.5
    # Coordination meetings are about the household, not with it.
    assert context["dernier_contact"] == vad.date
    assert len(context["contacts"]) == 10
    assert context["contacts"][0].date == now - datetime.timedelta(1)
    # The timeline has every event, newest first, page after page.
    url = reverse("dossiers:chronologie", args=[menage.pk])
    premiere = client.get(url).context["page"]
    assert len(premiere) == EVENEMENTS_PAR_PAGE
    evenements = [
        e for n in premiere.paginator.page_range for e in client.get(url, {"page": n}).context["page"]
    ]
    dates = [e.date for e in evenements]
    assert dates == sorted(dates, reverse=True)
    contacts = [e.date for e in evenements if e.categorie == "contact"]
    assert len(contacts) == nombre + 11
    assert contacts[0] == now - datetime.timedelta(1)


def test_contact_figures_leave_out_the_notes_the_reader_may_not_read(client, programme, menage, notes):
    ContactFactory(
        menage=menage,
        auteur=programme.tisf_afc,
        type="tisf",
        duree_minutes=60,
        confidentialite="travailleurs_sociaux",
    )
    client.force_login(programme.ts_adaff)
    context = client.get(menage.get_absolute_url()).context["sections"]["contacts"]
    assert (context["nombre_contacts"], context["heures_tisf"]) == (3, 1)
    client.force_login(programme.cesf_habitat)
    context = client.get(menage.get_absolute_url()).context["sections"]["contacts"]
    assert (context["nombre_contacts"], context["heures_tisf"]) == (1, 0)


def test_file_and_timeline_name_each_author(client, programme, menage, suivi):
    from menages.tests.factories import DiagnosticFactory, PreDiagnosticFactory

    ContactFactory(menage=menage, auteur=programme.tisf_afc, type="tisf")
    DiagnosticFactory(menage=menage, auteur=programme.ts_adaff, type="entree")
    PreDiagnosticFactory(menage=menage, auteur=programme.cesf_habitat)
    client.force_login(programme.ts_adaff)
    page = client.get(reverse("dossiers:chronologie", args=[menage.pk])).context["page"]
    auteurs = {e.categorie: e.auteur for e in page}
    assert auteurs["contact"] == str(programme.tisf_afc)
    assert auteurs["diagnostic"] == str(programme.ts_adaff)
    assert auteurs["pre_diagnostic"] == str(programme.cesf_habitat)
    response = client.get(menage.get_absolute_url())
    assert f"par {programme.tisf_afc}" in response.text
    assert f"par {programme.cesf_habitat}" in response.text


def test_exit_diagnostic_shows_progress_per_domain(client, programme, menage, suivi):
    from menages.tests.factories import DiagnosticFactory

    DiagnosticFactory(menage=menage, auteur=programme.ts_adaff, type="entree", score_budget=1)
    DiagnosticFactory(menage=menage, auteur=programme.ts_adaff, type="sortie", score_budget=3)
    client.force_login(programme.ts_adaff)
    rows = client.get(menage.get_absolute_url()).context["sections"]["diagnostic"]["progression"]
    progression = {row[0]: row[3] for row in rows}
    assert progression["Budget"] == 2


def test_closing_form_requires_reason_and_housing_situation(client, programme, menage, suivi):
    client.force_login(programme.admin)
    url = reverse("accompagnement:cloture", args=[menage.pk])
    response = client.post(url, {"date_fin": "2026-11-20", "correction": "Sortie décidée hors application"})
    assert response.status_code == 200 and "Ce champ est obligatoire" in response.text
    assert "Sortie décidée hors application" in response.text
    fin = {"date_fin": "2026-11-20", "motif_sortie": "autonomie", "situation_sortie": "maintien"}
    assert client.post(url, fin).status_code == 200  # no reason for the correction
    assert client.post(url, {**fin, "correction": "Sortie décidée hors application"}).status_code == 302
    suivi.refresh_from_db()
    assert suivi.correction_fin == "Sortie décidée hors application"
    page = client.get(menage.get_absolute_url()).text
    assert "correction par un administrateur : Sortie décidée hors application" in page


def test_social_worker_cannot_close_without_the_committee(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:cloture", args=[menage.pk])
    fin = {"date_fin": "2026-11-20", "motif_sortie": "autonomie", "situation_sortie": "maintien"}
    response = client.post(url, {**fin, "correction": "x", "motif": "x"})
    assert response.status_code == 200 and "C’est le comité de suivi qui décide" in response.text
    suivi.refresh_from_db()
    assert suivi.en_cours


def test_exit_diagnostic_is_entered_at_the_exit_relay(client, programme, menage, suivi):
    url = reverse("menages:diagnostic", args=[menage.pk]) + "?type=sortie"
    client.force_login(programme.ts_adaff)
    assert client.get(url).status_code == 302  # still in support: not yet
    menage.etat = "relais_sortant"
    menage.save()
    response = client.post(url, {"date": "2026-11-20", "score_budget": "3", "score_logement": "4"})
    assert response.status_code == 302
    sortie = menage.diagnostics.get(type="sortie")
    assert (sortie.score_budget, sortie.score_logement) == (3, 4)


def test_timeline_shows_support_events_but_not_confidential_contacts_to_the_landlord(
    client, programme, menage, notes
):
    client.force_login(programme.cesf_habitat)
    titres = [e.titre for e in client.get(reverse("dossiers:chronologie", args=[menage.pk])).context["page"]]
    assert titres.count("Visite à domicile") == 1  # the shared contact only
    client.force_login(programme.ts_adaff)
    titres = [e.titre for e in client.get(reverse("dossiers:chronologie", args=[menage.pk])).context["page"]]
    assert titres.count("Visite à domicile") == 2


def test_situation_after_exit_is_recorded_once_per_milestone(client, programme, menage, suivi):
    suivi.date_fin = timezone.localdate() - datetime.timedelta(days=200)
    suivi.date_debut = suivi.date_fin - datetime.timedelta(days=100)
    suivi.save()
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:suivi_post_sortie", args=[menage.pk])
    data = {"echeance_mois": "6", "date": timezone.localdate().isoformat(), "situation": "maintien"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 200 and "déjà renseignée" in response.text
    assert "6 mois après la sortie : Maintenu dans son logement" in client.get(menage.get_absolute_url()).text


def test_only_who_may_record_the_situation_after_exit_is_offered_its_form(client, programme, menage, suivi):
    """The form answers 403 without `accompagnement.gerer`: a landlord's CESF who reads the file
    sees the milestone without the link."""
    suivi.date_fin = timezone.localdate() - datetime.timedelta(days=200)
    suivi.date_debut = suivi.date_fin - datetime.timedelta(days=100)
    suivi.save()
    formulaire = reverse("accompagnement:suivi_post_sortie", args=[menage.pk])
    client.force_login(programme.cesf_habitat)
    html = client.get(menage.get_absolute_url()).text
    assert "Après la sortie" in html and "pas encore renseignée" in html
    assert formulaire not in html and "Renseigner" not in html
    assert client.get(formulaire).status_code == 403
    client.force_login(programme.ts_adaff)
    assert f'<a href="{formulaire}">Renseigner</a>' in client.get(menage.get_absolute_url()).text


def _contact_data(**extra):
    return {
        "type": "vad",
        "date": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duree_minutes": "60",
        "confidentialite": "partage",
        **extra,
    }


def test_next_step_gets_a_date_and_by_default_its_author(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:contact", args=[menage.pk])
    form = client.get(url).context["form"]
    assert form.initial["prochaine_etape_par"] == programme.ts_adaff.pk
    # The household's intervenants and the author, not every user of the programme.
    assert set(form.fields["prochaine_etape_par"].queryset) == {programme.ts_adaff, programme.tisf_afc}
    le = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        url,
        _contact_data(
            prochaine_etape="Dossier FSL", prochaine_etape_le=le.isoformat(), prochaine_etape_par=""
        ),
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.prochaine_etape_le, contact.prochaine_etape_par) == (le, programme.ts_adaff)
    page = client.get(reverse("accompagnement:contacts", args=[menage.pk])).text
    assert f"Prochaine étape le {le:%d/%m/%Y}, par {programme.ts_adaff}" in page


def test_next_step_may_be_given_to_the_households_tisf(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:contact", args=[menage.pk])
    data = _contact_data(prochaine_etape="Atelier budget", prochaine_etape_par=programme.tisf_afc.pk)
    assert client.post(url, data).status_code == 302
    assert Contact.objects.get().prochaine_etape_par == programme.tisf_afc


def test_next_step_cannot_go_to_a_user_outside_the_household(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:contact", args=[menage.pk])
    data = _contact_data(prochaine_etape="Atelier budget", prochaine_etape_par=programme.cesf_alogea.pk)
    response = client.post(url, data)
    assert response.status_code == 200 and not Contact.objects.exists()
    assert "prochaine_etape_par" in response.context["form"].errors
    assert "Atelier budget" in response.text


@pytest.mark.parametrize(
    ("extra", "champ", "message"),
    [
        ({"prochaine_etape_le": "2026-12-24"}, "prochaine_etape", "Décrivez la prochaine étape"),
        (
            {"prochaine_etape": "Rappeler", "prochaine_etape_le": "2020-01-01"},
            "prochaine_etape_le",
            "ne peut pas précéder la date du contact",
        ),
    ],
)
def test_bad_next_step_is_refused_next_to_its_field(client, programme, menage, suivi, extra, champ, message):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:contact", args=[menage.pk])
    response = client.post(url, _contact_data(note="Texte gardé", **extra))
    assert response.status_code == 200 and not Contact.objects.exists()
    assert message in response.context["form"].errors[champ][0]
    assert "Texte gardé" in response.text


def test_no_next_step_text_keeps_no_person(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:contact", args=[menage.pk])
    assert client.post(url, _contact_data(prochaine_etape_par=programme.ts_adaff.pk)).status_code == 302
    assert Contact.objects.get().prochaine_etape_par is None
