"""The household's right of access, complete: the released PDF holds everything the programme holds
on the household (each part's records), after a review where the data protection officer may
withhold a note with a written reason, recorded in the audit trail."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from accompagnement.tests.factories import ContactFactory
from comptes.tests.factories import DispositifFactory, OrganisationFactory
from dossiers.models import DemandeAcces, NoteRetenue
from tests.support.dossier_complet import dossier_complet, planter
from tests.support.droit_acces import dpo_de, pdf_remis

# What the household's export leaves out, and why: other people (partners' professionals, other
# participants), technical copies (search text, stored file names) and the programme's own work
# (reminders, earlier reviews).
HORS_EXPORT = {
    "menages.Menage.nom_recherche",
    "menages.Menage.texte_recherche",
    "menages.Membre.nom_recherche",
    "menages.Intervenant.nom_externe",
    "menages.Intervenant.fonction",
    "accompagnement.Contact.autres_participants",
    "accompagnement.TempsFort.participants",
    "accompagnement.Document.fichier",
    "accompagnement.Document.nom_original",
    "accompagnement.Document.format",
    "accompagnement.Document.empreinte",
    "rappels.Rappel.cle",
    "rappels.Rappel.titre",
    "rappels.Rappel.lien",
    "dossiers.DemandeAcces.fichier",
    "dossiers.NoteRetenue.motif",
}


@pytest.fixture
def dpo(programme):
    return dpo_de(programme.adaff)


def test_the_released_pdf_holds_every_record_of_every_part(client, programme, dpo):
    menage = dossier_complet(programme)
    numeros = {}

    def marque(label, champ):
        return numeros.setdefault(f"{label}.{champ}", f"Q{len(numeros):03d}X")

    plantes = planter(menage, marque)
    text = pdf_remis(client, menage, referent=programme.ts_adaff, dpo=dpo)
    absents = sorted(cle for cle, m in plantes.items() if cle not in HORS_EXPORT and m not in text)
    assert absents == []
    # Each part is there: tenant file, orientations, committee, documents, notes, consent.
    for cle in (
        "logements.Reclamation.description",
        "logements.SignalementGardien.texte",
        "accompagnement.Orientation.partenaire",
        "comites.PointOrdreDuJour.decision_commentaire",
        "accompagnement.Document.titre",
        "accompagnement.Contact.note",
    ):
        assert plantes[cle] in text
    assert "Votre information et votre consentement" in text
    assert str(programme.ts_adaff) not in text and programme.ts_adaff.last_name not in text


def test_the_dpo_withholds_a_note_with_a_reason_that_the_audit_trail_keeps(client, programme, dpo):
    menage = dossier_complet(programme)
    tiers = ContactFactory(
        menage=menage, auteur=programme.ts_adaff, note="Propos de la voisine sur la famille"
    )
    partage = ContactFactory(
        menage=menage,
        auteur=programme.ts_adaff,
        note="Échange entre professionnels",
        confidentialite="travailleurs_sociaux",
    )
    motif = "Informations données par un tiers (la voisine), qui n’y a pas consenti"
    text = pdf_remis(client, menage, referent=programme.ts_adaff, dpo=dpo, retenir={tiers: motif})
    assert "Propos de la voisine" not in text
    assert "Échange entre professionnels" in text  # reserved to social workers, but the household's own
    assert "Une note n’est pas communiquée" in text
    note = NoteRetenue.objects.get(contact=tiers)
    assert note.retenue_par == dpo and note.demande.publiee_par == dpo
    entree = LogEntry.objects.get_for_object(note).get()
    assert entree.actor == dpo and entree.changes["motif"][1] == motif
    assert entree.additional_data == {"menage_id": menage.pk}  # in the household's journal
    assert partage.pk not in set(NoteRetenue.objects.values_list("contact_id", flat=True))


def test_withholding_a_note_needs_a_reason_and_keeps_nothing_typed_lost(client, programme, dpo):
    menage = dossier_complet(programme)
    contact = ContactFactory(menage=menage, auteur=programme.ts_adaff, note="Note à relire")
    demande = DemandeAcces.objects.create(menage=menage, demandee_par=programme.ts_adaff)
    client.force_login(dpo)
    url = reverse("dossiers:acces_relire", args=[demande.pk])
    response = client.post(url, {"action": "retenir", "contact": contact.pk, f"c{contact.pk}-motif": "   "})
    assert response.status_code == 200
    assert "Indiquez pourquoi cette note n’est pas communiquée au ménage." in response.text
    assert not demande.notes_retenues.exists()
    assert client.get(reverse("dossiers:acces_pdf", args=[demande.pk])).status_code == 404  # not released


def test_a_released_review_is_closed(client, programme, dpo):
    menage = dossier_complet(programme)
    contact = ContactFactory(menage=menage, auteur=programme.ts_adaff, note="Note remise")
    pdf_remis(client, menage, referent=programme.ts_adaff, dpo=dpo)
    demande = DemandeAcces.objects.filter(menage=menage).order_by("-pk").first()
    client.force_login(dpo)
    url = reverse("dossiers:acces_relire", args=[demande.pk])
    client.post(url, {"action": "retenir", "contact": contact.pk, f"c{contact.pk}-motif": "Trop tard"})
    assert not demande.notes_retenues.exists()
    assert "Dossier remis le" in client.get(url).text


def test_who_may_prepare_review_and_download(client, programme, dpo):
    menage = dossier_complet(programme)
    demande = DemandeAcces.objects.create(menage=menage, demandee_par=programme.ts_adaff)
    relire = reverse("dossiers:acces_relire", args=[demande.pk])
    # Only the DPO reviews: not the social worker who asked, nor the administrator.
    for persona in ("ts_adaff", "admin", "cesf_habitat", "financeur", "comite"):
        client.force_login(getattr(programme, persona))
        assert client.get(relire).status_code == 403, persona
        assert client.get(reverse("dossiers:acces_a_relire")).status_code == 403, persona
    # The DPO of an organisation outside the programme does not see the request.
    autre_programme = DispositifFactory(code="asea-herault", nom="ASEA Hérault")
    ailleurs = dpo_de(
        OrganisationFactory(nom="Autre association", dispositifs=[autre_programme]), "dpo.ailleurs"
    )
    client.force_login(ailleurs)
    assert client.get(relire).status_code == 404
    # The DPO reviews, but does not open the household's file otherwise.
    client.force_login(dpo)
    assert client.get(relire).status_code == 200
    assert client.get(reverse("dossiers:acces_a_relire")).status_code == 200
    assert client.get(menage.get_absolute_url()).status_code == 404
    accueil = client.get(reverse("tableau_de_bord"))
    assert accueil.status_code == 200 and reverse("dossiers:acces_a_relire") in accueil.text
    # Preparing the export is the social worker's (and an administrator's).
    for persona in ("cesf_habitat", "financeur", "tisf_afc"):
        client.force_login(getattr(programme, persona))
        assert client.post(reverse("dossiers:export", args=[menage.pk])).status_code in (403, 404), persona
        assert client.get(reverse("dossiers:acces_pdf", args=[demande.pk])).status_code in (403, 404), persona


def test_review_page_queries_do_not_grow_with_notes(client, programme, dpo, django_assert_max_num_queries):
    menage = dossier_complet(programme)
    demande = DemandeAcces.objects.create(menage=menage, demandee_par=programme.ts_adaff)
    client.force_login(dpo)
    url = reverse("dossiers:acces_relire", args=[demande.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for i in range(15):
        contact = ContactFactory(menage=menage, auteur=programme.ts_adaff, note=f"Note {i}")
        if i % 3 == 0:
            NoteRetenue.objects.create(demande=demande, contact=contact, motif="Tiers", retenue_par=dpo)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.text.count("Non communiquée") == 5
    liste = reverse("dossiers:acces_a_relire")
    client.get(liste)
    with django_assert_max_num_queries(20) as avant:
        client.get(liste)
    for _ in range(5):
        DemandeAcces.objects.create(menage=dossier_complet(programme), demandee_par=programme.ts_adaff)
    with django_assert_max_num_queries(len(avant.captured_queries)):
        client.get(liste)
