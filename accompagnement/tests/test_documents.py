"""Documents deleted or replaced by the person who deposited them or by an administrator, through a
page that says what will happen; the audit trail keeps what was there."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accompagnement import services
from accompagnement.models import Document
from menages.tests.factories import IntervenantFactory, MenageFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _deposer(menage, auteur, nom="avis.pdf", contenu=PDF, **extra):
    fields = {"type": "justificatif", "titre": "Avis d’imposition", "confidentialite": "partage", **extra}
    return services.deposer_document(
        menage=menage,
        auteur=auteur,
        fichier=SimpleUploadedFile(nom, contenu),
        format=nom.rsplit(".", 1)[1],
        **fields,
    )


def _urls(doc):
    return (
        reverse("accompagnement:document_supprimer", args=[doc.menage_id, doc.pk]),
        reverse("accompagnement:document_remplacer", args=[doc.menage_id, doc.pk]),
    )


def _entrees(action):
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Document), action=action)


@pytest.fixture
def doc(menage, programme):
    return _deposer(menage, programme.ts_adaff)


@pytest.mark.parametrize("persona", ["ts_adaff", "admin"])
def test_author_or_administrator_deletes_after_a_confirmation_page(
    client, programme, menage, doc, persona, django_capture_on_commit_callbacks
):
    fichier = doc.fichier.name
    nom_du_journal = str(doc)
    client.force_login(getattr(programme, persona))
    supprimer, _ = _urls(doc)
    response = client.get(supprimer)
    assert response.status_code == 200
    assert "Avis d’imposition" in response.text and "avis.pdf" in response.text
    assert menage.nom in response.text and "ne se récupèrent pas" in response.text
    assert Document.objects.filter(pk=doc.pk).exists()  # GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(supprimer)
    assert response.status_code == 302 and response.url == menage.get_absolute_url()
    assert not Document.objects.filter(pk=doc.pk).exists()
    assert not default_storage.exists(fichier)
    entree = _entrees(LogEntry.Action.DELETE).get(object_pk=str(doc.pk))
    assert entree.actor == getattr(programme, persona)
    assert entree.changes_dict["nom_original"][0] == "avis.pdf"
    # The journal names the document without its title, which is classified content
    # (comptes.confidentialite): journals are read by roles that may not read it.
    assert entree.object_repr == nom_du_journal and "Avis" not in entree.object_repr


def test_author_replaces_the_file_and_the_audit_keeps_the_old_name(
    client, programme, menage, doc, django_capture_on_commit_callbacks
):
    ancien = doc.fichier.name
    client.force_login(programme.ts_adaff)
    _, remplacer = _urls(doc)
    response = client.get(remplacer)
    assert response.status_code == 200
    assert "avis.pdf" in response.text and "Remplacer le fichier" in response.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remplacer, {"fichier": SimpleUploadedFile("avis-signe.png", PNG)})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.titre, doc.nom_original, doc.format, doc.taille) == (
        "Avis d’imposition",
        "avis-signe.png",
        "png",
        len(PNG),
    )
    assert doc.fichier.read() == PNG
    assert not default_storage.exists(ancien)
    entree = _entrees(LogEntry.Action.UPDATE).get(object_pk=str(doc.pk))
    assert entree.actor == programme.ts_adaff
    assert entree.changes_dict["nom_original"] == ["avis.pdf", "avis-signe.png"]


def test_a_bad_replacement_file_is_refused_in_french_and_the_document_stays(client, programme, menage, doc):
    client.force_login(programme.ts_adaff)
    _, remplacer = _urls(doc)
    response = client.post(remplacer, {"fichier": SimpleUploadedFile("faux.pdf", b"MZ\x90\x00")})
    assert response.status_code == 200
    assert "n’est pas un vrai PDF" in response.text
    doc.refresh_from_db()
    assert doc.nom_original == "avis.pdf" and doc.fichier.read() == PDF
    assert not _entrees(LogEntry.Action.UPDATE).exists()


@pytest.mark.parametrize("persona", ["cesf_habitat", "tisf_afc"])
def test_another_worker_who_sees_the_document_gets_403(client, programme, menage, doc, persona):
    client.force_login(getattr(programme, persona))
    assert client.get(reverse("accompagnement:document", args=[menage.pk, doc.pk])).status_code == 200
    for url in _urls(doc):
        assert client.get(url).status_code == 403
        assert client.post(url, {"fichier": SimpleUploadedFile("x.png", PNG)}).status_code == 403
    doc.refresh_from_db()
    assert doc.nom_original == "avis.pdf"


def test_another_social_worker_of_the_same_organisation_gets_403_too(client, programme, menage, doc):
    from comptes.enums import Role
    from comptes.tests.factories import user_with_role

    collegue = user_with_role(Role.TRAVAILLEUR_SOCIAL, programme.adaff)
    client.force_login(collegue)
    for url in _urls(doc):
        assert client.post(url).status_code == 403
    assert Document.objects.filter(pk=doc.pk).exists()


@pytest.mark.parametrize("persona, status", [("ts_hdm", 404), ("cesf_alogea", 404), ("financeur", 403)])
def test_out_of_scope_gets_404_and_a_role_without_files_403(client, programme, menage, doc, persona, status):
    client.force_login(getattr(programme, persona))
    for url in _urls(doc):
        assert client.get(url).status_code == status
        assert client.post(url).status_code == status
    assert Document.objects.filter(pk=doc.pk).exists()


def test_a_document_reserved_to_social_workers_is_out_of_reach_for_its_landlord_author_too(
    client, programme, menage
):
    reserve = _deposer(menage, programme.ts_adaff, confidentialite="travailleurs_sociaux")
    client.force_login(programme.cesf_habitat)
    for url in _urls(reserve):
        assert client.get(url).status_code == 404


def test_a_document_is_reached_only_through_its_own_household(client, programme, menage, doc):
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    IntervenantFactory(menage=autre, utilisateur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:document_supprimer", args=[autre.pk, doc.pk])
    assert client.post(url).status_code == 404
    assert Document.objects.filter(pk=doc.pk).exists()


def test_the_file_offers_the_links_to_the_author_and_administrator_only(client, programme, menage, doc):
    supprimer, remplacer = _urls(doc)
    for persona, visible in (("ts_adaff", True), ("admin", True), ("cesf_habitat", False)):
        client.force_login(getattr(programme, persona))
        text = client.get(menage.get_absolute_url()).text
        assert (supprimer in text, remplacer in text) == (visible, visible), persona


def test_the_service_refuses_someone_else(programme, menage, doc):
    with pytest.raises(services.RegleNonRespectee):
        services.supprimer_document(document=doc, par=programme.cesf_habitat)
    assert Document.objects.filter(pk=doc.pk).exists()
