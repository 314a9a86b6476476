"""Issue #17: the urgent consultation between sessions is a real decision. Members give their
opinion by a signed, personal, single-use, expiring email link (or in the app); the chair records
the decision, which links to the level exactly like a session decision."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import ChangementNiveau
from comites import consultation, services
from comites.enums import StatutSeance
from comites.models import AvisMembre
from comites.tests.factories import MembreInstanceFactory, SeanceFactory
from comites.tests.test_comites import proposition
from comptes.tests.factories import UtilisateurFactory


@pytest.fixture
def urgente(programme, comite):
    seance = SeanceFactory(instance=comite, consultation_urgente=True)
    menage = proposition(programme, nom="Durand Hélène")
    point = services.ajouter_point(seance=seance, menage=menage, type="nouvelle_proposition")
    point.niveau_propose = "niveau_2"
    point.save()
    return seance


def consulter(client, programme, seance, django_capture_on_commit_callbacks):
    client.force_login(programme.ts_adaff)  # the secretary
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("comites:consulter", args=[seance.pk]))
    client.logout()
    return response


def liens(message):
    return re.findall(r"https?://\S+/comites/avis/\S+/", message.body)


def lien_de(user):
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    (lien,) = liens(message)
    return lien


def test_secretary_sees_who_is_consulted_then_each_voting_member_gets_a_link_naming_no_household(
    client, programme, comite, urgente, django_capture_on_commit_callbacks
):
    MembreInstanceFactory(
        instance=comite, sans_vote=True, utilisateur=UtilisateurFactory(email="obs@x.invalid")
    )
    point = urgente.points.get()
    client.force_login(programme.ts_adaff)
    page = client.get(reverse("comites:consulter", args=[urgente.pk])).text
    assert "4 membres consultés" in page and point.menage.reference in page
    assert "obs@x.invalid" not in page  # no vote, not consulted
    assert not mail.outbox  # GET sends nothing
    consulter(client, programme, urgente, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (programme.comite, programme.ts_adaff, programme.financeur, programme.cesf_habitat)
    )
    for message in mail.outbox:
        assert point.menage.reference in message.body
        assert "Durand" not in message.body and "Hélène" not in message.body
        assert len(liens(message)) == 1
    assert len({lien for m in mail.outbox for lien in liens(m)}) == 4  # personal links
    urgente.refresh_from_db()
    assert urgente.statut == StatutSeance.CONVOQUEE


def test_member_gives_an_opinion_by_link_once_without_logging_in(
    client, programme, urgente, django_capture_on_commit_callbacks
):
    consulter(client, programme, urgente, django_capture_on_commit_callbacks)
    lien = lien_de(programme.financeur)
    page = client.get(lien)
    assert page.status_code == 200
    assert "D. H." in page.text and "Durand" not in page.text
    assert "Suivi CSAPA" not in page.text  # the diagnostic's confidential observation
    assert not AvisMembre.objects.exists()  # GET records nothing
    response = client.post(lien, {"avis": "defavorable", "commentaire": "Compléter le diagnostic"})
    assert response.status_code == 200
    assert "est enregistré" in response.text and "<strong>défavorable</strong>" in response.text
    avis = AvisMembre.objects.get()
    assert (avis.membre.utilisateur, avis.avis, avis.commentaire) == (
        programme.financeur,
        "defavorable",
        "Compléter le diagnostic",
    )
    again = client.post(lien, {"avis": "favorable"})
    assert again.status_code == 400 and "ne sert qu’une fois" in again.text
    avis.refresh_from_db()
    assert avis.avis == "defavorable"


def test_an_opinion_given_in_the_app_uses_up_the_link(
    client, programme, urgente, django_capture_on_commit_callbacks
):
    consulter(client, programme, urgente, django_capture_on_commit_callbacks)
    services.donner_avis(point=urgente.points.get(), user=programme.cesf_habitat, avis="favorable")
    response = client.get(lien_de(programme.cesf_habitat))
    assert response.status_code == 400 and "Votre avis (favorable) est enregistré" in response.text


def test_tampered_or_expired_link_is_refused_in_french(
    client, programme, urgente, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False):
        consulter(client, programme, urgente, django_capture_on_commit_callbacks)
        lien = lien_de(programme.financeur)
    response = client.get(lien[:-6] + "abcde/")
    assert response.status_code == 400 and "n’est pas valide" in response.text
    later = timezone.now() + datetime.timedelta(days=consultation.VALIDITE_LIEN_JOURS, hours=1)
    with time_machine.travel(later, tick=False):
        response = client.post(lien, {"avis": "favorable"})
    assert response.status_code == 400 and "a expiré" in response.text
    assert not AvisMembre.objects.exists()


def test_a_link_is_bound_to_its_member_and_its_item(programme, urgente):
    point = urgente.points.get()
    financeur = urgente.instance.membres.get(utilisateur=programme.financeur)
    membre, lu = consultation.charger_lien(consultation.make_token(financeur.pk, point.pk))
    assert (membre, lu) == (financeur, point)
    autre = SeanceFactory(consultation_urgente=True)  # another programme's body
    etranger = MembreInstanceFactory(instance=autre.instance)
    with pytest.raises(consultation.LienInvalide, match="n’existe plus"):
        consultation.charger_lien(consultation.make_token(etranger.pk, point.pk))


def test_urgent_consultation_decision_links_to_the_level_like_a_session_decision(
    client, programme, urgente, django_capture_on_commit_callbacks
):
    point = urgente.points.get()
    consulter(client, programme, urgente, django_capture_on_commit_callbacks)
    with pytest.raises(services.ActionImpossible, match="quorum"):
        services.decider(point=point, decision="valider", niveau="niveau_2", auteur=programme.comite)
    for user in (programme.financeur, programme.cesf_habitat):
        client.post(lien_de(user), {"avis": "favorable"})
    services.decider(point=point, decision="valider", niveau="niveau_2", auteur=programme.comite)
    entree = ChangementNiveau.objects.get(accompagnement__menage=point.menage)
    assert entree.decision == point and entree.origine == "entree"
    # The links now say the decision is taken; the consultation is settled as held.
    response = client.get(lien_de(programme.comite))
    assert response.status_code == 400 and "La décision est prise" in response.text
    services.clore_seance(seance=urgente)
    urgente.refresh_from_db()
    assert urgente.statut == StatutSeance.TENUE


def test_only_an_urgent_consultation_with_items_is_sent_and_only_by_who_runs_it(
    client, programme, comite, urgente, django_capture_on_commit_callbacks
):
    url = reverse("comites:consulter", args=[urgente.pk])
    client.force_login(programme.cesf_habitat)  # a plain member
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    seance = SeanceFactory(instance=comite)
    client.force_login(programme.ts_adaff)
    # The urgent consultation's page leads to it; a regular session's to its convocation instead.
    assert url in client.get(urgente.get_absolute_url()).text
    page = client.get(seance.get_absolute_url()).text
    assert reverse("comites:consulter", args=[seance.pk]) not in page and "Envoyer la convocation" in page
    page = client.get(reverse("comites:consulter", args=[seance.pk])).text
    assert "Seule une consultation urgente" in page and "Aucun point" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comites:consulter", args=[seance.pk]))
    assert not mail.outbox
    seance.refresh_from_db()
    assert seance.statut == StatutSeance.PLANIFIEE


def test_consultation_page_query_count_does_not_grow_with_items(client, programme, urgente, count_queries):
    client.force_login(programme.ts_adaff)
    url = reverse("comites:consulter", args=[urgente.pk])
    peu = count_queries(client.get, url)
    for n in range(5):
        menage = proposition(programme, nom=f"Ménage {n}")
        services.ajouter_point(seance=urgente, menage=menage, type="nouvelle_proposition")
    assert count_queries(client.get, url) == peu


def test_opinion_page_query_count_does_not_grow_with_the_households_rows(programme, urgente, count_queries):
    from django.test import Client

    from menages.tests.factories import MembreFactory, RessourceFactory

    point = urgente.points.get()
    membre = urgente.instance.membres.get(utilisateur=programme.financeur)
    url = reverse("comites:avis_par_lien", args=[consultation.make_token(membre.pk, point.pk)])
    client = Client()
    peu = count_queries(client.get, url)
    for n in range(4):
        MembreFactory(menage=point.menage, prenom=f"Enfant {n}")
        RessourceFactory(menage=point.menage)
    assert count_queries(client.get, url) == peu
