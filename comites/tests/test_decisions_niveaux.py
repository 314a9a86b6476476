"""Issue #17: a level begins, changes or is renewed only by a recorded committee decision, or by an
administrator's correction with its written reason, shown apart."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accompagnement import services as acc_services
from accompagnement.models import Accompagnement, ChangementNiveau
from accompagnement.tests.factories import AccompagnementFactory
from comites import services
from comites.models import DemandeComite
from comites.tests.test_comites import all_present, proposition
from menages.enums import EtatParcours
from menages.tests.factories import IntervenantFactory, MenageFactory

PERSONAS_SANS_DECISION = [
    "ts_adaff",
    "ts_hdm",
    "cesf_habitat",
    "gardien_habitat",
    "tisf_afc",
    "financeur",
    "comite",
]


def intervenants_de_tous(programme, menage):
    """HDM (IML) and the TISF intervene too, so that each persona may open the file."""
    IntervenantFactory(menage=menage, type="ts_iml", utilisateur=programme.ts_hdm)
    IntervenantFactory(menage=menage, type="tisf", utilisateur=programme.tisf_afc)


@pytest.fixture
def en_cours(programme, comite):
    acc = AccompagnementFactory(
        menage=MenageFactory(
            dispositif=programme.dispositif, bailleur=programme.habitat, en_accompagnement=True
        ),
        niveau="niveau_2",
    )
    IntervenantFactory(menage=acc.menage, utilisateur=programme.ts_adaff)
    intervenants_de_tous(programme, acc.menage)
    return acc


def test_start_decided_by_the_committee_links_to_the_decision(client, programme, seance):
    menage = proposition(programme)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    services.decider(point=point, decision="valider", niveau="niveau_2", auteur=programme.comite)
    entree = ChangementNiveau.objects.get(accompagnement__menage=menage)
    assert entree.decision == point and entree.origine == "entree"
    jour = f"{timezone.localtime(seance.date):%d/%m/%Y}"
    client.force_login(programme.ts_adaff)
    assert f"décision du comité du {jour}" in client.get(menage.get_absolute_url()).content.decode()
    chronologie = client.get(reverse("dossiers:chronologie", args=[menage.pk])).content.decode()
    assert f"décision du comité du {jour}" in chronologie


def test_change_and_renewal_link_to_their_decisions(programme, seance, en_cours):
    DemandeComite.objects.create(
        menage=en_cours.menage, type="changement_niveau", motif="x", auteur=programme.ts_adaff
    )
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    services.decider(
        point=point, decision="changer_niveau", niveau="niveau_1", duree_mois=2, auteur=programme.comite
    )
    changement = en_cours.changements_niveau.get(nouveau_niveau="niveau_1")
    assert changement.decision == point and changement.origine == "comite"
    assert point.changements_niveau.get() == changement


@pytest.mark.parametrize("persona", PERSONAS_SANS_DECISION)
def test_no_view_lets_a_worker_start_a_support_without_a_decision(client, programme, comite, persona):
    menage = proposition(programme)
    intervenants_de_tous(programme, menage)
    client.force_login(getattr(programme, persona))
    data = {
        "niveau": "niveau_2",
        "date_debut": "2026-12-01",
        "rythme": "hebdomadaire",
        "motif": "Comité du 1er",
    }
    data["correction"] = "Je le décide"
    response = client.post(reverse("accompagnement:demarrer", args=[menage.pk]), data)
    assert response.status_code in (200, 403, 404)
    assert not Accompagnement.objects.filter(menage=menage).exists()
    menage.refresh_from_db()
    assert menage.etat == EtatParcours.PROPOSITION_COMITE


@pytest.mark.parametrize("persona", PERSONAS_SANS_DECISION)
@pytest.mark.parametrize("niveau", ["niveau_1", "niveau_2"])  # a change, a renewal
def test_no_view_lets_a_worker_change_or_renew_a_level_without_a_decision(
    client, programme, en_cours, persona, niveau
):
    client.force_login(getattr(programme, persona))
    data = {
        "niveau": niveau,
        "date_effet": "2026-12-01",
        "duree_mois": "2",
        "origine": "comite",
        "motif": "Décision du comité",
        "correction": "Je le décide",
    }
    response = client.post(reverse("accompagnement:niveau", args=[en_cours.menage.pk]), data)
    assert response.status_code in (200, 403, 404)
    assert en_cours.changements_niveau.count() == 0
    en_cours.refresh_from_db()
    assert en_cours.niveau == "niveau_2"


def test_referent_worker_is_sent_to_the_committee(client, programme, en_cours):
    client.force_login(programme.ts_adaff)
    page = client.get(reverse("accompagnement:niveau", args=[en_cours.menage.pk])).content.decode()
    assert "C’est le comité de suivi qui décide" in page
    assert reverse("comites:demande", args=[en_cours.menage.pk]) in page
    assert 'name="origine"' not in page and 'name="motif"' not in page


def test_hdm_worker_cannot_ask_for_a_level_change_on_an_adaff_household(client, programme, en_cours):
    url = reverse("comites:demande", args=[en_cours.menage.pk])
    client.force_login(programme.ts_hdm)
    page = client.get(reverse("accompagnement:niveau", args=[en_cours.menage.pk])).content.decode()
    assert url not in page
    assert client.get(url).status_code == 403
    response = client.post(url, {"type": "changement_niveau", "niveau_propose": "niveau_3", "motif": "IML"})
    assert response.status_code == 403
    assert not DemandeComite.objects.exists()
    client.force_login(programme.ts_adaff)
    assert client.get(url).status_code == 200


def test_service_refuses_a_level_without_decision_or_admin_reason(programme, en_cours):
    kwargs = {"accompagnement": en_cours, "niveau": "niveau_1", "date_effet": en_cours.date_debut}
    with pytest.raises(acc_services.RegleNonRespectee, match="décision du comité"):
        acc_services.changer_niveau(motif="Comité du 1er", auteur=programme.ts_adaff, duree_mois=2, **kwargs)
    with pytest.raises(acc_services.RegleNonRespectee, match="motif de la correction"):
        acc_services.changer_niveau(correction="", auteur=programme.admin, duree_mois=2, **kwargs)


def test_admin_correction_requires_a_reason_and_is_shown_apart(client, programme, en_cours):
    client.force_login(programme.admin)
    url = reverse("accompagnement:niveau", args=[en_cours.menage.pk])
    data = {"niveau": "niveau_1", "date_effet": en_cours.date_debut.isoformat(), "duree_mois": "2"}
    response = client.post(url, {**data, "correction": " "})
    assert response.status_code == 200 and en_cours.changements_niveau.count() == 0
    response = client.post(url, {**data, "correction": "Niveau saisi par erreur"})
    assert response.status_code == 302
    changement = en_cours.changements_niveau.get()
    assert changement.origine == "administrateur" and changement.decision is None
    page = client.get(en_cours.menage.get_absolute_url()).content.decode()
    assert "correction par un administrateur : Niveau saisi par erreur" in page
    chronologie = client.get(reverse("dossiers:chronologie", args=[en_cours.menage.pk])).content.decode()
    assert "correction par un administrateur : Niveau saisi par erreur" in chronologie


def test_level_recorded_before_decisions_were_linked_is_shown_unlinked(client, programme, en_cours):
    ChangementNiveau.objects.create(
        accompagnement=en_cours,
        nouveau_niveau="niveau_2",
        date_effet=en_cours.date_debut,
        date_decision=en_cours.date_debut,
        date_fin_prevue=en_cours.date_fin_prevue,
        origine="comite",
        motif="Comité de mars",
    )
    client.force_login(programme.ts_adaff)
    page = client.get(en_cours.menage.get_absolute_url()).content.decode()
    assert "décision antérieure, non rattachée" in page


def renouvellement(programme, seance, en_cours):
    debut = en_cours.date_debut
    en_cours.date_fin_prevue = debut.replace(year=debut.year + 1) - datetime.timedelta(days=1)
    en_cours.save()
    ChangementNiveau.objects.create(
        accompagnement=en_cours,
        nouveau_niveau="niveau_2",
        date_effet=debut,
        date_decision=debut,
        date_fin_prevue=en_cours.date_fin_prevue,
        origine="entree",
        motif="Comité",
    )
    DemandeComite.objects.create(
        menage=en_cours.menage, type="renouvellement", motif="x", auteur=programme.ts_adaff
    )
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    return point


def test_level_2_renewed_beyond_12_months_in_total_needs_a_derogation(programme, seance, en_cours):
    point = renouvellement(programme, seance, en_cours)
    with pytest.raises(acc_services.RegleNonRespectee, match="au plus 12 mois en tout"):
        services.decider(point=point, decision="renouveler", duree_mois=6, auteur=programme.comite)
    point.refresh_from_db()
    assert not point.est_decide and en_cours.changements_niveau.count() == 1
    services.decider(
        point=point,
        decision="renouveler",
        duree_mois=6,
        derogation_duree=True,
        derogation_motif="Relogement en cours, procédure d’expulsion suspendue",
        auteur=programme.comite,
    )
    renouvele = en_cours.changements_niveau.latest("date_effet")
    assert renouvele.decision == point and point.changements_niveau.get() == renouvele


def test_derogation_without_reason_is_refused_in_the_decision_form(client, programme, seance, en_cours):
    point = renouvellement(programme, seance, en_cours)
    client.force_login(programme.comite)
    page = client.get(point.get_absolute_url()).content.decode()
    assert "Dérogation à la durée maximale" in page
    response = client.post(
        point.get_absolute_url(),
        {"action": "decision", "decision": "renouveler", "duree_mois": "6", "derogation_duree": "on"},
    )
    assert "Motivez la dérogation" in response.content.decode()
    response = client.post(
        point.get_absolute_url(), {"action": "decision", "decision": "renouveler", "duree_mois": "6"}
    )
    assert "au plus 12 mois en tout" in response.content.decode()
    assert en_cours.changements_niveau.count() == 1


def test_end_decided_by_the_committee_links_to_the_decision(client, programme, seance, en_cours):
    DemandeComite.objects.create(menage=en_cours.menage, type="sortie", motif="x", auteur=programme.ts_adaff)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    services.decider(
        point=point,
        decision="terminer",
        motif_sortie="autonomie",
        situation_sortie="maintien",
        auteur=programme.comite,
    )
    en_cours.refresh_from_db()
    assert en_cours.decision_fin == point and not en_cours.correction_fin
    client.force_login(programme.ts_adaff)
    jour = f"{timezone.localtime(seance.date):%d/%m/%Y}"
    assert f"décision du comité du {jour}" in client.get(en_cours.menage.get_absolute_url()).text


@pytest.mark.parametrize("persona", PERSONAS_SANS_DECISION)
def test_no_view_lets_a_worker_close_a_support_without_a_decision(client, programme, en_cours, persona):
    client.force_login(getattr(programme, persona))
    data = {
        "date_fin": en_cours.date_debut.isoformat(),
        "motif_sortie": "autonomie",
        "situation_sortie": "maintien",
        "correction": "Je le décide",
    }
    response = client.post(reverse("accompagnement:cloture", args=[en_cours.menage.pk]), data)
    assert response.status_code in (200, 403, 404)
    en_cours.refresh_from_db()
    assert en_cours.en_cours


def test_iml_is_added_only_by_a_decision_or_an_admin_correction(programme, en_cours):
    iml = {"partenaire": programme.hdm, "forme": "sous_location", "date_debut_contrat": en_cours.date_debut}
    for persona in PERSONAS_SANS_DECISION:
        with pytest.raises(acc_services.RegleNonRespectee, match="décision du comité"):
            acc_services.ajouter_iml(accompagnement=en_cours, iml=iml, auteur=getattr(programme, persona))
    acc_services.ajouter_iml(
        accompagnement=en_cours, iml=iml, auteur=programme.admin, correction="IML signée hors application"
    )
    en_cours.refresh_from_db()
    assert en_cours.iml.partenaire == programme.hdm
