import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from comptes.enums import Role
from comptes.tests.factories import user_with_role
from menages import services
from menages.emails import validation_links
from menages.enums import DecisionFinanceur, EtatParcours, ModeReponse
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
        dispositif=programme.dispositif,
        bailleur=programme.habitat,
        etat=EtatParcours.PRE_DIAGNOSTIC,
        nom="Durand Hélène",
    )
    MembreFactory(menage=menage, nom="Durand", prenom="Hélène")
    RessourceFactory(menage=menage)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    PreDiagnosticFactory(menage=menage, auteur=programme.ts_adaff, situation="Suivi en addictologie")
    return menage


def request_validation(programme, menage, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.demander_validations(menage=menage, auteur=programme.ts_adaff)


def links_in(message):
    return re.findall(r"https?://\S+/menages/validation/\S+/", message.body)


def test_each_funder_representative_gets_an_anonymised_email(
    programme, menage, django_capture_on_commit_callbacks
):
    autre = user_with_role(Role.FINANCEUR, programme.ddcspp, email="second@ddcspp.invalid")
    validations = request_validation(programme, menage, django_capture_on_commit_callbacks)
    assert len(validations) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([programme.financeur.email, autre.email])
    body = mail.outbox[0].body
    assert menage.reference in body
    # No name, not even initials, and no amount: the summary is on the linked page.
    assert "Durand" not in body and "Hélène" not in body and "D. H." not in body and "€" not in body
    assert "addictologie" not in body  # no social note
    assert len(links_in(mail.outbox[0])) == 2
    menage.refresh_from_db()
    assert menage.etat == EtatParcours.VALIDATION_FINANCEURS


def test_valid_link_shows_the_summary_and_records_the_answer_on_post(
    client, programme, menage, django_capture_on_commit_callbacks
):
    (validation,) = request_validation(programme, menage, django_capture_on_commit_callbacks)
    url = validation_links(validation)[DecisionFinanceur.VALIDEE]
    response = client.get(url)  # no login needed
    assert response.status_code == 200
    assert "D. H." in response.text and "Durand" not in response.text
    validation.refresh_from_db()
    assert validation.en_attente  # a GET (mail scanner) changes nothing
    response = client.post(url, {"commentaire": "D’accord pour ce ménage."})
    assert response.status_code == 200 and "Réponse enregistrée" in response.text
    validation.refresh_from_db()
    assert validation.decision == DecisionFinanceur.VALIDEE
    assert validation.mode_reponse == ModeReponse.LIEN
    assert validation.commentaire == "D’accord pour ce ménage."
    # The household can now go to the diagnostic.
    services.changer_etat(menage=menage, vers=EtatParcours.DIAGNOSTIC, auteur=programme.ts_adaff)


def test_refusal_link_records_a_refusal(client, programme, menage, django_capture_on_commit_callbacks):
    (validation,) = request_validation(programme, menage, django_capture_on_commit_callbacks)
    response = client.post(validation_links(validation)[DecisionFinanceur.REFUSEE], {"commentaire": ""})
    validation.refresh_from_db()
    assert validation.decision == DecisionFinanceur.REFUSEE
    assert "Vous avez refusé l’entrée du ménage" in response.text
    assert "en attente" not in response.text.lower()


def test_funder_confirmation_says_what_they_answered(
    client, programme, menage, django_capture_on_commit_callbacks
):
    (validation,) = request_validation(programme, menage, django_capture_on_commit_callbacks)
    response = client.post(validation_links(validation)[DecisionFinanceur.VALIDEE], {"commentaire": ""})
    assert response.status_code == 200
    assert f"Vous avez validé l’entrée du ménage {menage.reference}" in response.text
    assert "au nom de DDCSPP" in response.text
    assert "en attente" not in response.text.lower()


def test_reused_link_is_refused_with_a_clear_message(
    client, programme, menage, django_capture_on_commit_callbacks
):
    (validation,) = request_validation(programme, menage, django_capture_on_commit_callbacks)
    links = validation_links(validation)
    client.post(links[DecisionFinanceur.VALIDEE])
    for url in links.values():
        response = client.post(url)
        assert response.status_code == 400
        assert "ne peut servir qu’une fois" in response.text
    validation.refresh_from_db()
    assert validation.decision == DecisionFinanceur.VALIDEE


def test_expired_link_is_refused_with_a_clear_message(
    client, programme, menage, django_capture_on_commit_callbacks
):
    with time_machine.travel("2026-11-01 10:00 +0100", tick=False):
        (validation,) = request_validation(programme, menage, django_capture_on_commit_callbacks)
        url = validation_links(validation)[DecisionFinanceur.VALIDEE]
    with time_machine.travel("2026-11-17 10:00 +0100", tick=False):  # 16 days later, the setting is 15
        response = client.post(url)
    assert response.status_code == 400
    assert "Ce lien a expiré" in response.text
    validation.refresh_from_db()
    assert validation.en_attente


@pytest.mark.parametrize(
    "token",
    ["abc", "eyJ2IjoxLCJkIjoidmFsaWRlZSJ9:1vX:forged", "", "%00", "a" * 500],
)
def test_tampered_link_is_refused_without_error(client, db, token):
    response = client.get(f"/menages/validation/{token}/")
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert "Ce lien n’est pas valide" in response.text


def test_link_with_a_changed_decision_is_refused(
    client, programme, menage, django_capture_on_commit_callbacks
):
    (validation,) = request_validation(programme, menage, django_capture_on_commit_callbacks)
    url = validation_links(validation)[DecisionFinanceur.VALIDEE]
    token = url.rstrip("/").rsplit("/", 1)[1]
    payload, rest = token.split(":", 1)
    forged = payload[:-1] + ("A" if payload[-1] != "A" else "B") + ":" + rest
    response = client.post(reverse("menages:validation_publique", args=[forged]))
    assert response.status_code == 400
    validation.refresh_from_db()
    assert validation.en_attente


def test_answer_received_by_other_means_is_recorded_by_hand(
    client, programme, menage, django_capture_on_commit_callbacks
):
    request_validation(programme, menage, django_capture_on_commit_callbacks)
    client.force_login(programme.ts_adaff)
    response = client.post(
        reverse("menages:reponse_manuelle", args=[menage.pk]),
        {
            "financeur": programme.ddcspp.pk,
            "decision": "validee",
            "commentaire": "Accord par téléphone le 20/11",
        },
    )
    assert response.status_code == 302
    validation = menage.validations.get(decision=DecisionFinanceur.VALIDEE)
    assert validation.mode_reponse == ModeReponse.SAISIE and validation.saisie_par == programme.ts_adaff


def test_landlord_cannot_record_a_funders_answer(client, programme, menage):
    menage.etat = EtatParcours.VALIDATION_FINANCEURS
    menage.save()
    client.force_login(programme.cesf_habitat)
    assert client.get(reverse("menages:reponse_manuelle", args=[menage.pk])).status_code == 403
