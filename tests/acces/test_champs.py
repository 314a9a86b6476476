"""The access matrix, extended to fields: confidential content reaches only the roles that may
read it, on every page, PDF, export, audit journal and admin page.

A marker is planted in every classified text field (comptes.confidentialite) of records of the
matrix's household, at the "social workers only" level, by its social worker; then every page of
the project is opened by every demo role and by the technical staff's account (a superuser, the only
one who reaches the admin site), with the planted records as the pages' records, and so are the two
audit journals and the admin pages of the classified records. A marker never appears for a role
that may not read it (the administrator and the superuser included), and every marker appears at
least once for the household's social worker, so the test cannot pass by showing nothing.
"""

import contextlib
import io
import re

import pytest
from auditlog.context import set_actor
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, reverse
from pypdf import PdfReader

from comptes.confidentialite import MASQUE, Classement, modeles_classes
from tests.acces.test_matrice import PERSONAS, build_url, monde, url_names  # noqa: F401 (fixture)

LECTEURS = {"ts.adaff"}  # the household's social worker: may read what is reserved to social workers
TECHNICIEN = "technicien"  # the demo's superuser: every permission, but no role that reads classified content


def marqueur(model, champ):
    return f"SECRET{model._meta.model_name.upper()}{champ.upper().replace('_', '')}"


def texte(response) -> str:
    """What a reader gets: the page, or the text of a PDF, and the name of a file downloaded."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    entete = response.get("Content-Disposition", "")
    if content.startswith(b"%PDF-") and len(content) > 100:
        return entete + "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return entete + content.decode("utf-8", errors="replace")


@pytest.fixture
def confidentiel(monde):  # noqa: F811
    """Classified records of the matrix's household, every classified text field holding its marker,
    written and then changed by its social worker (so that the journals hold before/after values)."""
    from accompagnement import services as acc
    from accompagnement.models import Contact, Document, HistoriqueObjectif, Objectif, Orientation
    from menages.models import Diagnostic, Menage, PreDiagnostic
    from menages.services import enregistrer_diagnostic

    users, kwargs, specific = monde
    ts = users["ts.adaff"]
    menage = Menage.objects.get(pk=kwargs["pk"])
    m = marqueur
    with set_actor(ts):
        contact = Contact.objects.create(
            menage=menage, auteur=ts, confidentialite="travailleurs_sociaux", note=m(Contact, "note"),
            prochaine_etape=m(Contact, "prochaine_etape"), lieu=m(Contact, "lieu"),
            autres_participants=m(Contact, "autres_participants"),
        )  # fmt: skip
        orientation = Orientation.objects.create(
            menage=menage, auteur=ts, confidentialite="travailleurs_sociaux",
            partenaire=m(Orientation, "partenaire"), motif=m(Orientation, "motif"),
        )  # fmt: skip
        document = acc.deposer_document(
            menage=menage, fichier=SimpleUploadedFile(f"{m(Document, 'nom_original')}.pdf", b"%PDF-1.4 x"),
            format="pdf", auteur=ts, type="justificatif", titre=m(Document, "titre"),
            confidentialite="travailleurs_sociaux",
        )  # fmt: skip
        # A health objective, reserved by default, changed once with a comment.
        objectif = acc.creer_objectif(
            menage=menage, auteur=ts, axe="soins", libelle="avant", actions=m(Objectif, "actions")
        )
        acc.modifier_objectif(
            objectif=objectif, version=objectif.version, auteur=ts, libelle=m(Objectif, "libelle"),
            statut="atteint", commentaire=m(HistoriqueObjectif, "commentaire"),
        )  # fmt: skip
        HistoriqueObjectif.objects.filter(objectif=objectif, libelle="avant").update(
            libelle=m(HistoriqueObjectif, "libelle")
        )
        pre = PreDiagnostic.objects.create(
            menage=menage, numero_parcours=menage.numero_parcours, organisation=ts.organisation, auteur=ts,
            confidentialite="travailleurs_sociaux", situation=m(PreDiagnostic, "situation"),
            difficultes=m(PreDiagnostic, "difficultes"), dispositifs_mobilises=m(PreDiagnostic, "dispositifs_mobilises"),
            motif_orientation=m(PreDiagnostic, "motif_orientation"),
        )  # fmt: skip
        diagnostic = menage.diagnostics.filter(type="entree").first()
        enregistrer_diagnostic(
            menage=menage, auteur=ts, instance=diagnostic, type="entree",
            observations_sante=m(Diagnostic, "observations_sante"),
        )  # fmt: skip
    kwargs = {
        **kwargs,
        "contact_pk": contact.pk,
        "objectif_pk": objectif.pk,
        "doc_pk": document.pk,
        "pre_pk": pre.pk,
    }
    specific = {
        **specific,
        "accompagnement:orientation_modifier": {"pk": menage.pk, "obj_pk": orientation.pk},
        "journal_utilisateur": {"pk": ts.pk},
    }
    records = [contact, orientation, document, objectif, objectif.historique.first(), pre, diagnostic]
    return users, kwargs, specific, records


def marqueurs_plantes():
    """Every marker: one per classified text field of every classified model."""
    found = {}
    for model in modeles_classes():
        for champ in model.confidentiel.champs:
            field = model._meta.get_field(champ)
            if isinstance(field, (models.CharField, models.TextField)):
                found[marqueur(model, champ)] = (model, champ)
    return found


def admin_urls(menage_pk, records):
    urls = [reverse("admin:menages_menage_delete", args=[menage_pk])]
    for r in records:
        opts = r._meta
        for page, args in (("changelist", []), ("change", [r.pk]), ("history", [r.pk]), ("delete", [r.pk])):
            name = f"admin:{opts.app_label}_{opts.model_name}_{page}"
            with contextlib.suppress(NoReverseMatch):  # a model without an admin page
                urls.append(reverse(name, args=args))
    return urls


def test_classified_content_reaches_only_the_roles_that_may_read_it(confidentiel):
    from comptes.models import Utilisateur

    users, kwargs, specific, records = confidentiel
    attendus = marqueurs_plantes()
    assert len(attendus) >= 17, "a classified text field without its planted marker"
    urls = [build_url(name, kwargs, specific) for name in url_names()]
    urls += admin_urls(kwargs["pk"], records)
    vus_par_lecteur, fuites = set(), []
    for persona in [*PERSONAS, TECHNICIEN]:
        client = Client(raise_request_exception=False)
        if persona != "anonyme":
            client.force_login(Utilisateur.objects.get(username=persona))
        for url in urls:
            page = texte(client.get(url))
            presents = {mq for mq in attendus if mq in page}
            if persona in LECTEURS:
                vus_par_lecteur |= presents
            else:
                fuites += [
                    f"{persona} reads {attendus[mq][0].__name__}.{attendus[mq][1]} at {url}"
                    for mq in presents
                ]
    assert not fuites, "\n".join(fuites)
    # The test is not vacuous: the social worker reads every marker somewhere.
    jamais_vus = sorted(f"{m.__name__}.{c}" for mq, (m, c) in attendus.items() if mq not in vus_par_lecteur)
    assert not jamais_vus, f"Planted but never shown to the social worker: {jamais_vus}"


def test_the_journals_show_classified_values_as_confidential_to_the_administrator(confidentiel):
    from comptes.models import Utilisateur

    users, kwargs, specific, records = confidentiel
    client = Client()
    client.force_login(Utilisateur.objects.get(username="admin"))
    journal = client.get(reverse("menages:journal", args=[kwargs["pk"]])).content.decode()
    # The entries are there, with what is not classified in the clear.
    assert "Réservée aux travailleurs sociaux" in journal or "travailleurs_sociaux" in journal
    assert f"<strong>observations – santé</strong> : {MASQUE} → {MASQUE}" in journal
    assert f"Objectif : {MASQUE}" in journal
    utilisateur = client.get(reverse("journal_utilisateur", args=[users["ts.adaff"].pk])).content.decode()
    assert f"Orientation : {MASQUE}" in utilisateur


def test_the_admin_pages_leave_classified_fields_out_for_the_technical_staff(confidentiel):
    from comptes.models import Utilisateur

    users, kwargs, specific, records = confidentiel
    contact = records[0]
    client = Client()
    url = reverse("admin:accompagnement_contact_change", args=[contact.pk])
    # The programme's administrator does not reach the admin site (French pages instead).
    client.force_login(Utilisateur.objects.get(username="admin"))
    assert client.get(url).status_code == 302
    client.force_login(Utilisateur.objects.get(username=TECHNICIEN))
    page = client.get(url).content.decode()
    assert MASQUE in page
    assert 'name="note"' not in page
    # Nor may the technical staff lower the level to read it.
    assert 'name="confidentialite"' not in page
    diagnostic = records[-1]
    page = client.get(reverse("admin:menages_diagnostic_change", args=[diagnostic.pk])).content.decode()
    assert 'name="score_sante"' not in page and 'name="observations_sante"' not in page
    assert 'name="score_budget"' in page


def test_the_health_score_is_confidential_beyond_social_workers(confidentiel):
    from comptes.models import Utilisateur

    users, kwargs, specific, records = confidentiel
    client = Client()
    url = reverse("dossiers:detail", args=[kwargs["pk"]])
    for persona in ("ts.adaff", "cesf.habitat", "attribution.habitat", "admin"):
        client.force_login(Utilisateur.objects.get(username=persona))
        ligne = re.search(r'<th scope="row">Santé</th><td>([^<]*)</td>', client.get(url).content.decode())
        assert ligne and ligne.group(1).strip(), persona
        assert (ligne.group(1) == MASQUE) == (persona not in LECTEURS), persona


def test_every_classification_names_real_fields():
    for model in modeles_classes():
        c = model.confidentiel
        assert isinstance(c, Classement)
        names = {f.name for f in model._meta.get_fields()}
        assert set(c.champs) <= names, model
        if c.niveau_via:
            assert c.niveau_via.split("__")[0] in names, model


# Text fields whose name looks sensitive but which hold no health, addiction or social-worker-only
# content, with the reason.
NON_CLASSES = {
    **{
        f"menages.Diagnostic.observations_{domaine}": "the diagnostic is shared with the household and the "
        "landlord, its health part excepted"
        for domaine in ("logement", "budget", "droits", "vie_sociale", "insertion")
    },
    "menages.Diagnostic.objectifs_envisages": "the objectives agreed with the household, shared with it and the landlord",
    "menages.Menage.situation_logement_precision": "the housing situation, a fact of the referral",
    "menages.EvenementParcours.motif": "why a step changed: the path, not the person's health",
    "menages.ValidationFinanceur.commentaire": "the funder's own answer",
    "accompagnement.ChangementNiveau.motif": "the committee's or the administrator's reason for a level",
    "accompagnement.ChangementRythme.motif": "why the frequency of meetings changed",
    "accompagnement.TempsFort.commentaire": "a key moment of the housing path, planned with the landlord",
    "accompagnement.SuiviPostSortie.commentaire": "the housing situation after the support",
}
SENSIBLE = re.compile(
    r"sante|medic|addict|soin|note|observation|situation|difficult|motif|commentaire|libelle"
)


def test_a_text_field_that_looks_sensitive_is_classified_or_said_not_to_be():
    """A new free-text field named like health or social notes must be classified in its model
    (comptes.confidentialite.Classement) or listed above with the reason it is not."""
    from django.apps import apps

    oublis = []
    for app in ("menages", "accompagnement"):
        for model in apps.get_app_config(app).get_models():
            c = getattr(model, "confidentiel", None)
            for field in model._meta.get_fields():
                if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
                    continue
                nom = f"{model._meta.label}.{field.name}"
                if (
                    SENSIBLE.search(field.name)
                    and not (c and field.name in c.champs)
                    and nom not in NON_CLASSES
                ):
                    oublis.append(nom)
    assert not oublis, f"Classify these fields or say why not in NON_CLASSES: {oublis}"


def test_the_helpers_that_messages_call_mask_or_leave_out(db):
    """What emails and notifications call before naming anything (comptes.confidentialite)."""
    from django.contrib.auth.models import AnonymousUser

    from accompagnement.models import Contact
    from comptes.confidentialite import lisible, masquer, masquer_tout, valeur
    from menages.models import Diagnostic

    personne = AnonymousUser()
    reserve = Contact(note="au CSAPA", confidentialite="travailleurs_sociaux")
    partage = Contact(note="visite", confidentialite="partage")
    assert not lisible(personne, reserve) and lisible(personne, partage)
    assert (valeur(personne, reserve, "note"), valeur(personne, partage, "note")) == (MASQUE, "visite")
    assert masquer_tout([reserve, partage], personne) == [partage]
    diagnostic = masquer(Diagnostic(observations_sante="suivi", observations_budget="loyer"), personne)
    assert (diagnostic.observations_sante, diagnostic.observations_budget) == (MASQUE, "loyer")
    with pytest.raises(RuntimeError):
        diagnostic.save()  # a record masked for display is never written back
