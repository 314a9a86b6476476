"""Consent to sharing, per partner (issue #18, item 2): recorded and withdrawn by the association's
social worker, enforced by MenageQuerySet.visible_to, effective from the next request."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from menages import services
from menages.emails import validation_links
from menages.enums import DecisionFinanceur, EtatParcours, Partenaire, TypeIntervention
from menages.models import ConsentementPartage, Menage
from menages.tests.factories import (
    IntervenantFactory,
    MembreFactory,
    MenageFactory,
    PreDiagnosticFactory,
    RessourceFactory,
)
from tests.support.droit_acces import dpo_de, pdf_remis
from tests.support.migrations import migrer


@pytest.fixture
def menage(programme):
    """A Habitat Audois household in support, followed by ADAFF, HDM (IML) and AFC's TISF, who
    has agreed to sharing with every partner."""
    menage = MenageFactory(
        dispositif=programme.dispositif, bailleur=programme.habitat, etat=EtatParcours.ACCOMPAGNEMENT
    )
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    IntervenantFactory(
        menage=menage,
        type=TypeIntervention.TRAVAILLEUR_SOCIAL_IML,
        utilisateur=programme.ts_hdm,
        organisation=programme.hdm,
    )
    IntervenantFactory(
        menage=menage, type=TypeIntervention.TISF, utilisateur=programme.tisf_afc, organisation=programme.afc
    )
    return menage


def _retirer(client, programme, menage, partenaire):
    consentement = menage.consentements.actifs().get(partenaire=partenaire)
    client.force_login(programme.ts_adaff)
    url = reverse("menages:consentement_retirer", args=[menage.pk, consentement.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert ConsentementPartage.objects.get(pk=consentement.pk).actif  # GET changes nothing
    assert client.post(url).status_code == 302
    consentement.refresh_from_db()
    assert consentement.date_retrait == timezone.localdate() and consentement.retire_par == programme.ts_adaff
    return page


def test_landlord_keeps_its_tenant_file_but_loses_the_social_file_at_once(client, programme, menage):
    social = [
        reverse("dossiers:detail", args=[menage.pk]),
        reverse("menages:composition", args=[menage.pk]),
        reverse("accompagnement:contacts", args=[menage.pk]),
    ]
    locatif = reverse("logements:dossier_locatif", args=[menage.pk])
    client.force_login(programme.cesf_habitat)
    assert [client.get(url).status_code for url in [*social, locatif]] == [200, 200, 200, 200]

    page = _retirer(client, programme, menage, Partenaire.BAILLEUR)
    assert "garde le dossier locatif" in page.text

    client.force_login(programme.cesf_habitat)  # her next request
    assert [client.get(url).status_code for url in social] == [404, 404, 404]
    assert client.get(locatif).status_code == 200
    assert client.get(reverse("logements:reclamation", args=[menage.pk])).status_code == 200
    assert not Menage.objects.visible_to(programme.cesf_habitat).filter(pk=menage.pk).exists()
    assert Menage.objects.locataires_visible_to(programme.cesf_habitat).filter(pk=menage.pk).exists()
    # The other partners keep theirs; the other landlord never had it.
    assert Menage.objects.visible_to(programme.ts_hdm).filter(pk=menage.pk).exists()
    client.force_login(programme.cesf_alogea)
    assert client.get(locatif).status_code == 404


@pytest.mark.parametrize(
    ("partenaire", "persona"), [(Partenaire.IML, "ts_hdm"), (Partenaire.TISF, "tisf_afc")]
)
def test_hdm_and_afc_lose_the_file_when_consent_is_withdrawn(client, programme, menage, partenaire, persona):
    user = getattr(programme, persona)
    url = reverse("dossiers:detail", args=[menage.pk])
    client.force_login(user)
    assert client.get(url).status_code == 200
    _retirer(client, programme, menage, partenaire)
    client.force_login(user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("dossiers:chronologie", args=[menage.pk])).status_code == 404
    # The association does not depend on a consent to sharing: it runs the support.
    client.force_login(programme.ts_adaff)
    assert client.get(url).status_code == 200


def test_a_partner_never_sees_a_household_without_consent(programme, menage):
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, consentements=[])
    IntervenantFactory(menage=autre, utilisateur=programme.ts_hdm, organisation=programme.hdm)
    for user in (programme.cesf_habitat, programme.ts_hdm):
        assert set(Menage.objects.visible_to(user)) == {menage}
    assert set(Menage.objects.visible_to(programme.ts_adaff)) == {menage}
    assert set(Menage.objects.locataires_visible_to(programme.cesf_habitat)) == {menage, autre}
    assert autre in set(Menage.objects.visible_to(programme.admin))


def test_withdrawal_and_consent_are_in_the_timeline(client, programme, menage):
    _retirer(client, programme, menage, Partenaire.BAILLEUR)
    page = client.get(reverse("dossiers:chronologie", args=[menage.pk])).text
    assert "Consentement au partage : Bailleur" in page
    assert "Retrait du consentement au partage : Bailleur" in page


def test_file_shows_each_partner_consent_and_the_referent_link(client, programme, menage):
    _retirer(client, programme, menage, Partenaire.FINANCEURS)
    client.force_login(programme.ts_adaff)
    page = client.get(reverse("dossiers:detail", args=[menage.pk])).text
    assert "Consentements au partage" in page
    assert "Financeurs (validation de l’entrée) : <strong>non</strong>" in page
    assert reverse("menages:consentements", args=[menage.pk]) in page
    client.force_login(programme.cesf_habitat)
    page = client.get(reverse("dossiers:detail", args=[menage.pk])).text
    assert reverse("menages:consentements", args=[menage.pk]) not in page


def test_only_the_association_social_workers_manage_consents(client, programme, menage):
    url = reverse("menages:consentements", args=[menage.pk])
    for user in (programme.cesf_habitat, programme.ts_hdm, programme.tisf_afc, programme.admin):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(programme.ts_adaff)
    assert client.get(url).status_code == 200
    ailleurs = MenageFactory(dispositif=programme.dispositif)  # not followed by ADAFF
    assert client.get(reverse("menages:consentements", args=[ailleurs.pk])).status_code == 404


def test_recording_a_consent_gives_access_back_and_bad_dates_are_explained(client, programme, menage):
    _retirer(client, programme, menage, Partenaire.BAILLEUR)
    url = reverse("menages:consentements", args=[menage.pk])
    demain = timezone.localdate() + datetime.timedelta(days=1)
    data = {
        "partenaire": "bailleur",
        "date_consentement": demain.isoformat(),
        "version_notice": "Notice 2027",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "La date du consentement ne peut pas être dans le futur." in response.text
    assert "Notice 2027" in response.text  # nothing typed is lost
    data["date_consentement"] = timezone.localdate().isoformat()
    assert client.post(url, data).status_code == 302
    assert menage.consentements.filter(partenaire="bailleur").count() == 2  # the history stays
    assert Menage.objects.visible_to(programme.cesf_habitat).filter(pk=menage.pk).exists()
    # A partner whose consent stands is not offered again.
    assert "bailleur" not in dict(client.get(url).context["form"].fields["partenaire"].choices)


def test_withdrawing_twice_is_refused_cleanly(client, programme, menage):
    consentement = menage.consentements.actifs().get(partenaire=Partenaire.TISF)
    services.retirer_consentement(consentement=consentement, auteur=programme.ts_adaff)
    with pytest.raises(services.ConsentementRefuse):
        services.retirer_consentement(consentement=consentement, auteur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    url = reverse("menages:consentement_retirer", args=[menage.pk, consentement.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_consents_page_query_count_does_not_grow(client, programme, menage, count_queries):
    client.force_login(programme.ts_adaff)
    url = reverse("menages:consentements", args=[menage.pk])
    one = count_queries(client.get, url)
    for consentement in menage.consentements.actifs():
        services.retirer_consentement(consentement=consentement, auteur=programme.ts_adaff)
    for partenaire in Partenaire:
        services.enregistrer_consentement(
            menage=menage,
            partenaire=partenaire,
            date_consentement=timezone.localdate(),
            version_notice="Notice",
            auteur=programme.ts_adaff,
        )
    assert count_queries(client.get, url) == one


@pytest.fixture
def propose(programme):
    programme.dispositif.financeurs_validation_requise.set([programme.ddcspp])
    menage = MenageFactory(
        dispositif=programme.dispositif,
        bailleur=programme.habitat,
        etat=EtatParcours.PRE_DIAGNOSTIC,
        consentements=[Partenaire.BAILLEUR],
    )
    MembreFactory(menage=menage)
    RessourceFactory(menage=menage)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    PreDiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    return menage


def test_funders_validation_step_requires_the_funders_consent(
    client, programme, propose, django_capture_on_commit_callbacks
):
    client.force_login(programme.ts_adaff)
    url = reverse("menages:demander_validations", args=[propose.pk])
    page = client.get(url)
    assert "Le consentement du ménage au partage de son résumé avec les financeurs." in page.text
    with pytest.raises(services.TransitionRefusee):
        services.demander_validations(menage=propose, auteur=programme.ts_adaff)
    client.post(url)
    propose.refresh_from_db()
    assert propose.etat == EtatParcours.PRE_DIAGNOSTIC and mail.outbox == []

    services.enregistrer_consentement(
        menage=propose,
        partenaire=Partenaire.FINANCEURS,
        date_consentement=timezone.localdate(),
        version_notice="Notice",
        auteur=programme.ts_adaff,
    )
    with django_capture_on_commit_callbacks(execute=True):
        (validation,) = services.demander_validations(menage=propose, auteur=programme.ts_adaff)
    lien = validation_links(validation)[DecisionFinanceur.VALIDEE]
    client.logout()
    assert propose.reference in client.get(lien).text

    # Withdrawn after the email: the link no longer shows the summary nor takes an answer.
    consentement = propose.consentements.actifs().get(partenaire=Partenaire.FINANCEURS)
    services.retirer_consentement(consentement=consentement, auteur=programme.ts_adaff)
    page = client.get(lien)
    assert "n’est plus disponible" in page.text and propose.reference not in page.text
    client.post(lien, {"commentaire": "ok"})
    validation.refresh_from_db()
    assert validation.en_attente


def test_landlord_referral_with_or_without_consent(client, programme):
    client.force_login(programme.cesf_habitat)
    data = {
        "nom": "Martin Zoé",
        "commune": MenageFactory(dispositif=programme.dispositif).commune_id,
        "date_saisine": timezone.localdate().isoformat(),
        "source_orientation": "interne_bailleur",
        "problematique": "maintien",
        "situation_logement": "locataire_social",
    }
    response = client.post(reverse("menages:creer"), data)
    assert response.status_code == 302, response.context["form"].errors
    sans = Menage.objects.get(nom="Martin Zoé")
    assert response.url == reverse("dossiers:liste")
    assert not sans.consentements.exists()
    assert client.get(reverse("logements:dossier_locatif", args=[sans.pk])).status_code == 200

    data.update(nom="Petit Léa", consentement_bailleur="on", version_notice="Notice 2026")
    response = client.post(reverse("menages:creer"), data)
    avec = Menage.objects.get(nom="Petit Léa")
    assert response.url == avec.get_absolute_url()
    assert avec.consentements.get().version_notice == "Notice 2026"
    assert client.get(response.url).status_code == 200


AVANT = [("menages", "0014_consentement_partage")]
APRES = [("menages", "0015_consentements_depuis_les_dates")]


@pytest.mark.django_db(transaction=True)
def test_migration_turns_the_two_dates_into_a_consent_per_partner():
    apps = migrer(AVANT)
    try:
        Dispositif = apps.get_model("comptes", "Dispositif")
        Menage_ = apps.get_model("menages", "Menage")
        dispositif = Dispositif.objects.create(
            nom="ASEA", code="asea", territoire="Aude", date_debut=datetime.date(2026, 1, 1)
        )
        adhesion = Menage_.objects.create(
            dispositif=dispositif,
            nom="A",
            reference="R-1",
            date_information=datetime.date(2026, 2, 1),
            date_adhesion=datetime.date(2026, 3, 1),
        )
        notice = Menage_.objects.create(
            dispositif=dispositif, nom="B", reference="R-2", date_information=datetime.date(2026, 2, 5)
        )
        rien = Menage_.objects.create(dispositif=dispositif, nom="C", reference="R-3")

        apps = migrer(APRES)
        rows = apps.get_model("menages", "ConsentementPartage").objects.values_list(
            "menage_id", "partenaire", "date_consentement", "date_retrait"
        )
        par_menage = {}
        for menage_id, partenaire, date, retrait in rows:
            assert retrait is None
            par_menage.setdefault(menage_id, {})[partenaire] = date
        assert par_menage[adhesion.pk] == dict.fromkeys(Partenaire.values, datetime.date(2026, 3, 1))
        assert par_menage[notice.pk] == dict.fromkeys(Partenaire.values, datetime.date(2026, 2, 5))
        assert rien.pk not in par_menage
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_right_of_access_export_lists_the_consents_and_withdrawals(client, programme, menage):
    # The export is a request the referent makes and the DPO reviews and releases (dossiers).
    _retirer(client, programme, menage, Partenaire.IML)
    texte = pdf_remis(client, menage, referent=programme.ts_adaff, dpo=dpo_de(programme.adaff))
    assert "Vos consentements au partage" in texte
    assert "Partenaire IML" in texte and timezone.localdate().strftime("%d/%m/%Y") in texte
