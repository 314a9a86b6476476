"""Ending an intervention and closing a support go through a page that says what will happen:
GET changes nothing, POST does it."""

from django.urls import reverse
from django.utils import timezone

from accompagnement.tests.factories import AccompagnementFactory
from menages.models import Intervenant


def test_ending_an_intervention_is_confirmed_first_and_says_who_loses_access(client, programme, menage):
    referent = menage.intervenants.get(utilisateur=programme.ts_adaff)
    url = reverse("accompagnement:intervenant_terminer", args=[menage.pk, referent.pk])
    client.force_login(programme.ts_adaff)
    response = client.get(url)
    assert response.status_code == 200
    text = response.text
    assert "Vous allez terminer l’intervention de" in text and str(programme.ts_adaff) in text
    assert "aucun compte de l’organisation ADAFF n’aura plus accès à ce dossier" in text
    assert "Le ménage n’aura plus de travailleur social référent." in text
    assert 'method="post"' in text and "Terminer l’intervention</button>" in text
    referent.refresh_from_db()
    assert referent.date_fin is None  # GET changes nothing

    assert client.post(url).status_code == 302
    referent.refresh_from_db()
    assert referent.date_fin == timezone.localdate()


def test_ending_a_tisf_intervention_says_she_loses_access(client, programme, menage):
    tisf = menage.intervenants.get(utilisateur=programme.tisf_afc)
    client.force_login(programme.ts_adaff)
    text = client.get(reverse("accompagnement:intervenant_terminer", args=[menage.pk, tisf.pk])).text
    assert "n’aura plus accès à ce dossier" in text  # the AFC has no other intervention here
    assert "plus de travailleur social référent" not in text


def test_household_file_links_to_the_confirmation_instead_of_ending_at_once(client, programme, menage):
    client.force_login(programme.ts_adaff)
    text = client.get(menage.get_absolute_url()).text
    for intervenant in Intervenant.objects.filter(menage=menage):
        assert (
            f'href="{reverse("accompagnement:intervenant_terminer", args=[menage.pk, intervenant.pk])}"'
            in text
        )
    assert '/fin/" class="d-inline"' not in text


def test_ended_intervention_cannot_be_ended_again(client, programme, menage):
    referent = menage.intervenants.get(utilisateur=programme.ts_adaff)
    url = reverse("accompagnement:intervenant_terminer", args=[menage.pk, referent.pk])
    client.force_login(programme.ts_adaff)
    client.post(url)
    assert client.get(url).status_code == 404


def test_closing_page_says_what_closing_does(client, programme, menage):
    menage.etat = "accompagnement"
    menage.save()
    AccompagnementFactory(menage=menage)
    # Only an administrator closes a support outside a committee decision (a correction).
    client.force_login(programme.admin)
    response = client.get(reverse("accompagnement:cloture", args=[menage.pk]))
    text = response.text
    assert "passera à l’étape « Clos »" in text
    assert "La clôture ne s’annule pas" in text
    assert "Clore l’accompagnement</button>" in text
    menage.refresh_from_db()
    assert menage.etat == "accompagnement"
