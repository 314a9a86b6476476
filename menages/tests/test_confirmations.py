"""Submitting a household to the funders goes through a page that says what is missing, or who
will get the email: GET changes nothing, POST sends. A refused step change links to the page where
what it asks for is done."""

import pytest
from django.core import mail
from django.urls import reverse

from comptes.enums import Role
from comptes.tests.factories import user_with_role
from menages.enums import EtatParcours
from menages.models import ValidationFinanceur
from menages.tests.factories import (
    IntervenantFactory,
    MembreFactory,
    MenageFactory,
    PreDiagnosticFactory,
    RessourceFactory,
)


@pytest.fixture
def menage(programme):
    programme.dispositif.financeurs_validation_requise.set([programme.ddcspp])
    menage = MenageFactory(
        dispositif=programme.dispositif, bailleur=programme.habitat, etat=EtatParcours.PRE_DIAGNOSTIC
    )
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    return menage


def url(menage):
    return reverse("menages:demander_validations", args=[menage.pk])


def test_submission_page_lists_what_is_missing_with_links_and_offers_no_submit(client, programme, menage):
    client.force_login(programme.ts_adaff)
    response = client.get(url(menage))
    assert response.status_code == 200
    text = response.text
    assert "Le dossier n’est pas prêt pour les financeurs" in text
    assert f'href="{reverse("menages:composition", args=[menage.pk])}"' in text
    assert f'href="{reverse("menages:budget", args=[menage.pk])}"' in text
    assert f'href="{reverse("menages:pre_diagnostic", args=[menage.pk])}"' in text
    assert "Envoyer la demande" not in text and 'method="post"' not in text.split("<main")[-1]


def test_member_gone_does_not_count_and_a_pre_diagnostic_not_proposing_links_to_itself(
    client, programme, menage
):
    import datetime

    MembreFactory(
        menage=menage, date_sortie=datetime.date(2020, 1, 31), date_entree=datetime.date(2019, 1, 1)
    )
    RessourceFactory(menage=menage)
    pre = PreDiagnosticFactory(menage=menage, auteur=programme.ts_adaff, propose=False)
    client.force_login(programme.ts_adaff)
    text = client.get(url(menage)).text
    assert "aucune personne présente" in text
    assert "Les ressources mensuelles" not in text
    assert reverse("menages:pre_diagnostic_modifier", args=[menage.pk, pre.pk]) in text


def test_post_with_something_missing_sends_nothing(client, programme, menage):
    client.force_login(programme.ts_adaff)
    response = client.post(url(menage))
    assert response.status_code == 200
    assert not ValidationFinanceur.objects.exists()
    menage.refresh_from_db()
    assert menage.etat == EtatParcours.PRE_DIAGNOSTIC


def test_complete_file_lists_the_recipients_and_get_changes_nothing(
    client, programme, menage, django_capture_on_commit_callbacks
):
    MembreFactory(menage=menage)
    RessourceFactory(menage=menage)
    PreDiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    sans_adresse = user_with_role(Role.FINANCEUR, programme.ddcspp, email="")
    client.force_login(programme.ts_adaff)
    response = client.get(url(menage))
    assert response.status_code == 200
    text = response.text
    assert "passera à l’étape « Validation des financeurs »" in text
    assert programme.financeur.email in text
    assert sans_adresse.username not in text  # no address: not a recipient
    assert "Envoyer la demande à 1 personne" in text
    assert "1 adulte" in text  # the summary the funders will read
    menage.refresh_from_db()
    assert menage.etat == EtatParcours.PRE_DIAGNOSTIC
    assert not ValidationFinanceur.objects.exists() and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(menage))
    assert response.status_code == 302
    menage.refresh_from_db()
    assert menage.etat == EtatParcours.VALIDATION_FINANCEURS
    assert [m.to for m in mail.outbox] == [[programme.financeur.email]]


def test_reminder_page_says_who_was_already_asked(
    client, programme, menage, django_capture_on_commit_callbacks
):
    MembreFactory(menage=menage)
    RessourceFactory(menage=menage)
    PreDiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(menage))
    nouvelle = user_with_role(Role.FINANCEUR, programme.ddcspp, email="nouvelle@ddcspp.invalid")
    text = client.get(url(menage)).text
    assert "Relancer les financeurs" in text
    assert "a déjà reçu la demande et n’a pas encore répondu" in text
    assert nouvelle.email in text and "Envoyer la demande à 1 personne" in text


def test_household_file_links_to_the_submission_page_instead_of_sending(client, programme, menage):
    client.force_login(programme.ts_adaff)
    text = client.get(menage.get_absolute_url()).text
    assert f'<a class="btn btn-primary" href="{url(menage)}">Soumettre aux financeurs</a>' in text


def test_submission_by_service_is_refused_while_the_file_is_incomplete(programme, menage):
    from menages import services

    with pytest.raises(services.TransitionRefusee, match="composition"):
        services.demander_validations(menage=menage, auteur=programme.ts_adaff)


def test_proposal_refused_for_the_adhesion_links_to_where_it_is_entered(client, programme):
    from menages.tests.factories import DiagnosticFactory

    menage = MenageFactory(
        dispositif=programme.dispositif, bailleur=programme.habitat, etat=EtatParcours.DIAGNOSTIC
    )
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    DiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    response = client.post(
        reverse("menages:transition", args=[menage.pk]),
        {"vers": EtatParcours.PROPOSITION_COMITE, "motif": "Dossier complet <b>?</b>"},
    )
    assert response.status_code == 200
    lien = reverse("menages:modifier", args=[menage.pk])
    assert (
        "Enregistrez d’abord la date d’adhésion du ménage à l’accompagnement. "
        f'<a class="alert-link" href="{lien}#id_date_adhesion">Saisir la date d’adhésion</a>'
    ) in response.text
    assert "Dossier complet &lt;b&gt;?&lt;/b&gt;" in response.text  # what was typed stays escaped


def test_a_refusal_given_as_a_message_shows_its_link_and_escapes_the_rest(rf, programme):
    """The messages component shows a message built with format_html as HTML, any other as text."""
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.template.loader import render_to_string
    from django.utils.html import format_html

    html = render_to_string(
        "components/messages.html",
        {
            "messages": [
                Message(constants.ERROR, format_html('{} <a href="{}">{}</a>', "À faire <i>", "/x/", "Lien")),
                Message(constants.ERROR, "Texte <script>"),
            ]
        },
    )
    assert 'À faire &lt;i&gt; <a href="/x/">Lien</a>' in html
    assert "Texte &lt;script&gt;" in html


def test_a_link_in_a_message_survives_the_redirect(client, programme, menage, monkeypatch):
    """Through the message storage (session or cookie), a message built with format_html stays HTML."""
    from menages import services

    def refuse(**kwargs):
        raise services.TransitionRefusee("Un pré-diagnostic manque.", code="pre_diagnostic")

    monkeypatch.setattr(services, "demander_validations", refuse)
    monkeypatch.setattr("menages.selectors.manques_pour_financeurs", lambda m: [])
    client.force_login(programme.ts_adaff)
    response = client.post(url(menage), follow=True)
    lien = reverse("menages:pre_diagnostic", args=[menage.pk])
    assert (
        f'Un pré-diagnostic manque. <a class="alert-link" href="{lien}">Saisir le pré-diagnostic</a>'
        in response.text
    )


def test_deleting_a_member_is_confirmed_first_with_what_was_typed_kept(client, programme, menage):
    from menages.models import Membre

    membre = MembreFactory(menage=menage, prenom="Léa", nom="Martin")
    client.force_login(programme.ts_adaff)
    url = reverse("menages:composition", args=[menage.pk])
    data = {
        "membres-TOTAL_FORMS": "2",
        "membres-INITIAL_FORMS": "1",
        "membres-MIN_NUM_FORMS": "0",
        "membres-MAX_NUM_FORMS": "1000",
        "membres-0-id": membre.pk,
        "membres-0-menage": menage.pk,
        "membres-0-prenom": "Léa",
        "membres-0-nom": "Martin",
        "membres-0-lien": membre.lien,
        "membres-0-DELETE": "on",
        "membres-1-prenom": "Noé",
        "membres-1-nom": "Martin",
        "membres-1-lien": "enfant",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    text = response.text
    assert "Confirmez la suppression" in text and "Membre du ménage : Léa Martin" in text
    assert "Supprimer 1 ligne et enregistrer" in text and 'value="Noé"' in text
    assert list(Membre.objects.filter(menage=menage)) == [membre]  # nothing saved yet

    assert client.post(url, {**data, "confirmer_suppression": "1"}).status_code == 302
    assert [m.prenom for m in Membre.objects.filter(menage=menage)] == ["Noé"]


def test_saving_rows_without_deleting_needs_no_confirmation(client, programme, menage):
    client.force_login(programme.ts_adaff)
    data = {
        "ressources-TOTAL_FORMS": "1",
        "ressources-INITIAL_FORMS": "0",
        "ressources-MIN_NUM_FORMS": "0",
        "ressources-MAX_NUM_FORMS": "1000",
        "ressources-0-type": "rsa",
        "ressources-0-montant_mensuel": "635,71",
        "dettes-TOTAL_FORMS": "1",
        "dettes-INITIAL_FORMS": "0",
        "dettes-MIN_NUM_FORMS": "0",
        "dettes-MAX_NUM_FORMS": "1000",
    }
    assert client.post(reverse("menages:budget", args=[menage.pk]), data).status_code == 302
    assert menage.ressources.count() == 1
