"""The administration pages for users: invitation, roles, deactivation, second factor, scope."""

import datetime
import re

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from comptes.enums import Role
from comptes.models import AttributionRole, Invitation, SessionUtilisateur, Utilisateur
from comptes.tests.factories import DispositifFactory, OrganisationFactory, UtilisateurFactory, user_with_role

MOT_DE_PASSE = "Cheval-Agrafe-Batterie-2026"


@pytest.fixture
def admin_client(client, programme):
    client.force_login(programme.admin)
    return client


def inviter(client, organisation, **donnees):
    return client.post(
        reverse("administration:inviter"),
        {
            "prenom": "Nadia",
            "nom": "Benali",
            "email": "nadia.benali@exemple.invalid",
            "organisation": organisation.pk,
            "roles": [Role.TRAVAILLEUR_SOCIAL],
            **donnees,
        },
    )


def lien_du_courriel(message) -> str:
    return re.search(r"https?://\S+(/comptes/invitation/\S+/)", message.body).group(1)


def test_invitation_creates_the_account_and_emails_a_single_use_link(admin_client, programme):
    response = inviter(admin_client, programme.adaff)
    nadia = Utilisateur.objects.get(email="nadia.benali@exemple.invalid")
    assert response.status_code == 302
    assert nadia.username == "nadia.benali" and nadia.roles == {Role.TRAVAILLEUR_SOCIAL}
    assert not nadia.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["nadia.benali@exemple.invalid"] and "72 heures" in message.body
    lien = lien_du_courriel(message)
    jeton = lien.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(jeton_hash__contains=jeton).exists()  # only a hash is stored

    visiteur = Client()
    assert "Choisir votre mot de passe" in visiteur.get(lien).content.decode()  # GET spends nothing
    response = visiteur.post(lien, {"new_password1": MOT_DE_PASSE, "new_password2": MOT_DE_PASSE})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("double_authentification_activer"))
    nadia.refresh_from_db()
    assert nadia.check_password(MOT_DE_PASSE)

    again = Client().post(
        lien, {"new_password1": "Autre-Mot-De-Passe-99", "new_password2": "Autre-Mot-De-Passe-99"}
    )
    assert again.status_code == 400
    assert "déjà servi" in again.content.decode()
    nadia.refresh_from_db()
    assert nadia.check_password(MOT_DE_PASSE)


def test_invitation_link_expires_after_72_hours(admin_client, programme):
    inviter(admin_client, programme.adaff)
    lien = lien_du_courriel(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=71), tick=False):
        assert Client().get(lien).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=72, seconds=1), tick=False):
        response = Client().post(lien, {"new_password1": MOT_DE_PASSE, "new_password2": MOT_DE_PASSE})
    assert response.status_code == 400
    assert "a expiré (il était valable 72 heures)" in response.content.decode()
    assert not Utilisateur.objects.get(username="nadia.benali").has_usable_password()


def test_resending_the_invitation_invalidates_the_previous_link(admin_client, programme):
    inviter(admin_client, programme.adaff)
    nadia = Utilisateur.objects.get(username="nadia.benali")
    premier = lien_du_courriel(mail.outbox[0])
    admin_client.post(reverse("administration:action", args=[nadia.pk, "renvoyer-invitation"]))
    second = lien_du_courriel(mail.outbox[1])
    assert premier != second
    response = Client().get(premier)
    assert (
        response.status_code == 400
        and "remplacé par une invitation plus récente" in response.content.decode()
    )
    assert Client().get(second).status_code == 200
    assert Client().get("/comptes/invitation/n-importe-quoi/").status_code == 400


def test_bad_input_is_explained_in_french_and_kept(admin_client, programme):
    response = inviter(admin_client, programme.adaff, email="pas-une-adresse", roles=[], prenom="Nadia")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in page
    assert "Choisissez au moins un rôle." in page
    assert 'value="Nadia"' in page
    response = inviter(admin_client, programme.adaff, email=programme.ts_adaff.email.upper())
    assert "Un compte existe déjà avec cette adresse électronique." in response.content.decode()
    response = inviter(admin_client, programme.adaff, roles=[Role.CESF])
    assert "personnel d’un bailleur social" in response.content.decode()
    assert not mail.outbox

    lien_invite = inviter(admin_client, programme.adaff, email="nadia@exemple.invalid")
    assert lien_invite.status_code == 302
    lien = lien_du_courriel(mail.outbox[0])
    response = Client().post(lien, {"new_password1": "1234", "new_password2": "1234"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in page


def test_editing_roles_and_organisation_is_audited(admin_client, programme):
    ts = programme.ts_adaff
    response = admin_client.post(
        reverse("administration:modifier", args=[ts.pk]),
        {
            "prenom": ts.first_name,
            "nom": ts.last_name,
            "email": ts.email,
            "organisation": programme.hdm.pk,
            "roles": [Role.TRAVAILLEUR_SOCIAL, Role.MEMBRE_COMITE],
        },
    )
    assert response.status_code == 302
    ts = Utilisateur.objects.get(pk=ts.pk)
    assert ts.organisation == programme.hdm and ts.roles == {Role.TRAVAILLEUR_SOCIAL, Role.MEMBRE_COMITE}
    entrees = LogEntry.objects.get_for_object(ts).filter(actor=programme.admin)
    assert any("rôles" in e.changes_dict for e in entrees)
    assert any("organisation" in e.changes_dict for e in entrees)
    page = admin_client.get(reverse("administration:utilisateur", args=[ts.pk])).content.decode()
    assert "Membre du comité" in page and "Historique du compte" in page


def test_an_administrator_keeps_her_own_role_and_account(admin_client, programme):
    admin = programme.admin
    response = admin_client.post(
        reverse("administration:modifier", args=[admin.pk]),
        {
            "prenom": "A",
            "nom": "B",
            "email": admin.email,
            "organisation": programme.adaff.pk,
            "roles": [Role.TRAVAILLEUR_SOCIAL],
        },
    )
    assert "Vous ne pouvez pas retirer votre propre rôle d’administrateur." in response.content.decode()
    response = admin_client.post(reverse("administration:action", args=[admin.pk, "desactiver"]))
    assert response.status_code == 400
    assert "Vous ne pouvez pas désactiver votre propre compte." in response.content.decode()
    assert AttributionRole.objects.filter(utilisateur=admin, role=Role.ADMINISTRATEUR).exists()


def test_deactivation_ends_her_sessions_and_reactivation_lets_her_back(admin_client, programme):
    ts = programme.ts_adaff
    autre_appareil = Client()
    autre_appareil.force_login(ts)
    assert autre_appareil.get(reverse("tableau_de_bord")).status_code == 200
    assert SessionUtilisateur.objects.filter(utilisateur_id=ts.pk).exists()

    page = admin_client.get(reverse("administration:action", args=[ts.pk, "desactiver"]))
    assert "toutes ses sessions ouvertes sont fermées immédiatement" in page.content.decode()
    assert Utilisateur.objects.get(pk=ts.pk).is_active  # GET changes nothing
    admin_client.post(reverse("administration:action", args=[ts.pk, "desactiver"]))

    assert not Utilisateur.objects.get(pk=ts.pk).is_active
    assert not SessionUtilisateur.objects.filter(utilisateur_id=ts.pk).exists()
    response = autre_appareil.get(reverse("tableau_de_bord"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert LogEntry.objects.get_for_object(ts).filter(actor=programme.admin, changes__has_key="is_active")

    admin_client.post(reverse("administration:action", args=[ts.pk, "reactiver"]))
    assert Utilisateur.objects.get(pk=ts.pk).is_active


def test_resetting_the_second_factor_after_confirmation(admin_client, programme):
    ts = programme.ts_adaff
    TOTPDevice.objects.create(user=ts, name="Téléphone", confirmed=True)
    page = admin_client.get(
        reverse("administration:action", args=[ts.pk, "reinitialiser-double-authentification"])
    )
    assert "Confirmer la réinitialisation" in page.content.decode()
    assert TOTPDevice.objects.filter(user=ts).exists()
    admin_client.post(reverse("administration:action", args=[ts.pk, "reinitialiser-double-authentification"]))
    assert not TOTPDevice.objects.filter(user=ts).exists()
    entree = LogEntry.objects.get_for_object(ts).filter(actor=programme.admin).latest("timestamp")
    assert entree.changes_dict == {"double authentification": ["activée", "réinitialisée"]}


@pytest.mark.parametrize("persona", ["ts_adaff", "cesf_habitat", "financeur", "comite"])
def test_other_roles_get_403(client, programme, persona):
    client.force_login(getattr(programme, persona))
    cible = programme.tisf_afc.pk
    for url in (
        reverse("administration:index"),
        reverse("administration:utilisateurs"),
        reverse("administration:inviter"),
        reverse("administration:utilisateur", args=[cible]),
        reverse("administration:modifier", args=[cible]),
        reverse("administration:action", args=[cible, "desactiver"]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("administration:action", args=[cible, "desactiver"])).status_code == 403
    assert Utilisateur.objects.get(pk=cible).is_active


def test_users_outside_her_programmes_are_404_and_not_listed(admin_client, programme):
    ailleurs = OrganisationFactory(
        nom="Association de l’Hérault", dispositifs=[DispositifFactory(code="herault")]
    )
    etrangere = user_with_role(Role.TRAVAILLEUR_SOCIAL, ailleurs, last_name="Étrangère")
    for url in (
        reverse("administration:utilisateur", args=[etrangere.pk]),
        reverse("administration:modifier", args=[etrangere.pk]),
        reverse("administration:action", args=[etrangere.pk, "desactiver"]),
        reverse("journal_utilisateur", args=[etrangere.pk]),
    ):
        assert admin_client.get(url).status_code == 404, url
    assert (
        admin_client.post(reverse("administration:action", args=[etrangere.pk, "desactiver"])).status_code
        == 404
    )
    assert Utilisateur.objects.get(pk=etrangere.pk).is_active
    assert "Étrangère" not in admin_client.get(reverse("administration:utilisateurs")).content.decode()
    # Nor can she move someone into, or invite someone in, an organisation of another programme.
    response = inviter(admin_client, ailleurs)
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_the_list_filters_and_its_query_count_does_not_grow(admin_client, programme, count_queries):
    url = reverse("administration:utilisateurs")
    page = admin_client.get(url, {"recherche": "cesf", "role": Role.CESF}).content.decode()
    assert "cesf.habitat" in page and "ts.adaff" not in page
    page = admin_client.get(url, {"organisation": programme.afc.pk}).content.decode()
    assert "tisf.afc" in page and "ts.adaff" not in page

    avant = count_queries(admin_client.get, url)
    for _ in range(30):
        UtilisateurFactory(organisation=programme.habitat, roles=[Role.CESF, Role.GARDIEN])
    inviter(admin_client, programme.adaff)
    assert count_queries(admin_client.get, url) <= avant
    assert "Invitation en attente" in admin_client.get(url, {"statut": "invitation"}).content.decode()


def test_the_user_page_query_count_does_not_grow_with_her_history(admin_client, programme, count_queries):
    ts = programme.ts_adaff
    url = reverse("administration:utilisateur", args=[ts.pk])
    avant = count_queries(admin_client.get, url)
    for role in (Role.MEMBRE_COMITE, Role.TISF, Role.DPO):
        AttributionRole.objects.create(utilisateur=ts, role=role)
    for n in range(5):
        ts.telephone = f"04 68 00 00 0{n}"
        ts.save()
    assert count_queries(admin_client.get, url) <= avant


def test_a_mail_server_failure_creates_nothing_and_says_so(admin_client, programme, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    response = inviter(admin_client, programme.adaff)
    assert response.status_code == 200
    assert "Le courriel d’invitation n’a pas pu être envoyé" in response.content.decode()
    assert not Utilisateur.objects.filter(email="nadia.benali@exemple.invalid").exists()


def test_the_link_of_a_deactivated_account_does_not_work(admin_client, programme):
    inviter(admin_client, programme.adaff)
    nadia = Utilisateur.objects.get(username="nadia.benali")
    admin_client.post(reverse("administration:action", args=[nadia.pk, "desactiver"]))
    response = Client().get(lien_du_courriel(mail.outbox[0]))
    assert response.status_code == 400 and "Ce compte a été désactivé" in response.content.decode()


def test_the_menu_leads_administrators_to_the_hub(admin_client, programme):
    page = admin_client.get(reverse("tableau_de_bord")).content.decode()
    assert f'href="{reverse("administration:index")}"' in page
    hub = admin_client.get(reverse("administration:index")).content.decode()
    assert f'href="{reverse("administration:utilisateurs")}"' in hub
