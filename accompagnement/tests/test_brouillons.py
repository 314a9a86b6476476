"""Visits typed offline on a tablet are sent again when the network returns: each draft carries a
key, and the same key sent twice by the same person makes one contact, never two."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Contact
from accompagnement.tests.factories import AccompagnementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def suivi(menage):
    menage.etat = "accompagnement"
    menage.save()
    return AccompagnementFactory(menage=menage, rythme="hebdomadaire")


def _donnees(menage, **extra):
    return {
        "type": "vad",
        "date": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "duree_minutes": "60",
        "confidentialite": "partage",
        "membres": [m.pk for m in menage.membres.all()],
        "note": "Visite : point sur le budget.",
        **extra,
    }


def test_the_same_draft_sent_twice_makes_one_contact(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:contact", args=[menage.pk])
    cle = str(uuid.uuid4())
    premier = client.post(url, _donnees(menage, cle_envoi=cle))
    assert premier.status_code == 302
    assert premier.url == menage.get_absolute_url()
    second = client.post(url, _donnees(menage, cle_envoi=cle, note="Autre texte"))
    assert second.status_code == 302
    assert second.url == menage.get_absolute_url()
    contacts = Contact.objects.filter(menage=menage)
    assert contacts.count() == 1
    contact = contacts.get()
    assert contact.note == "Visite : point sur le budget."
    assert contact.cle_envoi == uuid.UUID(cle)
    # A replay of a draft sent before is acknowledged even if the form would no longer validate.
    assert client.post(url, {"cle_envoi": cle}).status_code == 302
    assert Contact.objects.filter(menage=menage).count() == 1


def test_two_drafts_make_two_contacts_and_posts_without_a_key_still_work(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:contact", args=[menage.pk])
    assert client.post(url, _donnees(menage, cle_envoi=str(uuid.uuid4()))).status_code == 302
    assert client.post(url, _donnees(menage, cle_envoi=str(uuid.uuid4()))).status_code == 302
    assert client.post(url, _donnees(menage)).status_code == 302
    assert client.post(url, _donnees(menage, cle_envoi="pas-une-cle")).status_code == 302
    assert Contact.objects.filter(menage=menage).count() == 4
    assert Contact.objects.filter(menage=menage, cle_envoi__isnull=True).count() == 2


def test_the_same_key_from_another_person_is_their_own_contact(client, programme, menage, suivi):
    url = reverse("accompagnement:contact", args=[menage.pk])
    cle = str(uuid.uuid4())
    client.force_login(programme.ts_adaff)
    client.post(url, _donnees(menage, cle_envoi=cle))
    client.force_login(programme.tisf_afc)
    response = client.post(url, _donnees(menage, cle_envoi=cle, note="Note de la TISF"))
    assert response.status_code == 302
    notes = sorted(Contact.objects.filter(menage=menage).values_list("auteur__username", "note"))
    assert notes == [("tisf.afc", "Note de la TISF"), ("ts.adaff", "Visite : point sur le budget.")]


def test_a_key_already_used_for_another_household_is_refused(client, programme, menage, suivi):
    from menages.tests.factories import IntervenantFactory, MenageFactory

    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="accompagnement")
    AccompagnementFactory(menage=autre)
    IntervenantFactory(menage=autre, utilisateur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    cle = str(uuid.uuid4())
    client.post(reverse("accompagnement:contact", args=[menage.pk]), _donnees(menage, cle_envoi=cle))
    response = client.post(
        reverse("accompagnement:contact", args=[autre.pk]), _donnees(autre, cle_envoi=cle, membres=[])
    )
    assert response.status_code == 403
    assert not Contact.objects.filter(menage=autre).exists()


def test_an_invalid_draft_is_refused_with_its_reason_and_its_key_kept(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    url = reverse("accompagnement:contact", args=[menage.pk])
    cle = str(uuid.uuid4())
    response = client.post(url, _donnees(menage, cle_envoi=cle, duree_minutes="0"))
    assert response.status_code == 200
    assert response.context["form"].errors["duree_minutes"]
    assert f'value="{cle}"' in response.text
    assert not Contact.objects.exists()
    # Corrected, it is sent with the same key and makes the contact.
    assert client.post(url, _donnees(menage, cle_envoi=cle)).status_code == 302
    assert Contact.objects.get().cle_envoi == uuid.UUID(cle)


def test_the_new_contact_form_keeps_drafts_the_edit_form_does_not(client, programme, menage, suivi):
    client.force_login(programme.ts_adaff)
    page = client.get(reverse("accompagnement:contact", args=[menage.pk])).text
    assert "data-brouillon" in page
    assert 'name="cle_envoi"' in page
    assert 'rel="manifest"' in page
    assert reverse("accompagnement:service_worker") in page
    client.post(reverse("accompagnement:contact", args=[menage.pk]), _donnees(menage))
    contact = Contact.objects.get()
    modifier = client.get(reverse("accompagnement:contact_modifier", args=[menage.pk, contact.pk])).text
    assert "data-brouillon" not in modifier


def test_the_service_worker_is_served_under_the_field_pages(client, programme):
    url = reverse("accompagnement:service_worker")
    assert url == "/menages/sw-terrain.js"
    assert client.get(url).status_code == 302  # logged-in users only
    client.force_login(programme.ts_adaff)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"asea-terrain" in response.content
