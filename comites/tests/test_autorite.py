"""Issue #17, the committee's authority, form by form: no role but the committee's chair (or an
administrator's correction) gives an IML or a level through any page, the decision form included.
The support's own forms (start, change, renewal, end) are checked per role in
test_decisions_niveaux; the generic step page in menages/tests/test_transition_contournement."""

import pytest
from django.urls import reverse

from accompagnement.models import Accompagnement, ChangementNiveau, MesureIml
from accompagnement.tests.factories import AccompagnementFactory
from comites import services
from comites.models import PointOrdreDuJour
from comites.tests.test_comites import all_present, proposition
from comites.tests.test_decisions_niveaux import PERSONAS_SANS_DECISION, intervenants_de_tous
from menages.enums import EtatParcours
from menages.tests.factories import IntervenantFactory, MenageFactory


@pytest.fixture
def suivi(programme, comite):
    """An ADAFF household of Habitat Audois in level 2, where HDM and the TISF intervene too."""
    acc = AccompagnementFactory(
        menage=MenageFactory(
            dispositif=programme.dispositif, bailleur=programme.habitat, en_accompagnement=True
        ),
        niveau="niveau_2",
    )
    IntervenantFactory(menage=acc.menage, utilisateur=programme.ts_adaff)
    intervenants_de_tous(programme, acc.menage)
    return acc


# Members of the body (secretary, plain members) and everyone else: none of them decides.
PERSONAS_SANS_PRESIDENCE = [p for p in PERSONAS_SANS_DECISION if p != "comite"]


@pytest.mark.parametrize("persona", PERSONAS_SANS_PRESIDENCE)
def test_only_the_chair_decides_through_the_decision_form(client, programme, seance, persona):
    """The decision goes in two steps (the item's form keeps a draft, its confirmation page applies
    it): a non-chair is refused at each step, even holding a draft in the session."""
    menage = proposition(programme)
    intervenants_de_tous(programme, menage)
    (point,) = services.construire_ordre_du_jour(seance=seance)
    all_present(seance)
    donnees = {"action": "decision", "decision": "valider", "niveau": "niveau_2", "commentaire": "Je valide"}
    client.force_login(getattr(programme, persona))
    # Step 1: the item's form keeps no draft for them and never leads to the confirmation.
    response = client.post(reverse("comites:point", args=[point.pk]), donnees)
    assert response.status_code in (200, 403, 404)
    assert f"comites-decision-{point.pk}" not in client.session
    # Step 2: the confirmation page refuses them, even with a draft put in their session.
    session = client.session
    session[f"comites-decision-{point.pk}"] = {k: v for k, v in donnees.items() if k != "action"}
    session.save()
    for method in (client.get, client.post):
        response = method(reverse("comites:point_decider", args=[point.pk]))
        assert response.status_code in (403, 404)
    point.refresh_from_db()
    assert not point.est_decide
    assert not Accompagnement.objects.filter(menage=menage).exists()
    menage.refresh_from_db()
    assert menage.etat == EtatParcours.PROPOSITION_COMITE and menage.niveau == ""
    # The chair's same two steps are the committee's decision, linked to the level it gives.
    client.force_login(programme.comite)
    response = client.post(reverse("comites:point", args=[point.pk]), {**donnees, "commentaire": "Validé"})
    assert response.status_code == 302
    assert response.url == reverse("comites:point_decider", args=[point.pk])
    assert not PointOrdreDuJour.objects.get(pk=point.pk).est_decide
    client.post(reverse("comites:point_decider", args=[point.pk]))
    assert ChangementNiveau.objects.get(accompagnement__menage=menage).decision == point


@pytest.mark.parametrize("persona", PERSONAS_SANS_DECISION)
def test_no_view_lets_a_worker_put_an_iml_in_place_without_a_decision(client, programme, suivi, persona):
    client.force_login(getattr(programme, persona))
    response = client.post(
        reverse("accompagnement:niveau", args=[suivi.menage.pk]),
        {
            "niveau": "niveau_3",
            "date_effet": suivi.date_debut.isoformat(),
            "duree_mois": "6",
            "correction": "Je le décide",
            "iml_partenaire": programme.hdm.pk,
            "iml_forme": "sous_location",
            "iml_date_debut_contrat": suivi.date_debut.isoformat(),
        },
    )
    assert response.status_code in (200, 403, 404)
    assert not MesureIml.objects.exists()
    suivi.refresh_from_db()
    assert suivi.niveau == "niveau_2" and not suivi.changements_niveau.exists()


@pytest.mark.parametrize("persona", PERSONAS_SANS_DECISION)
def test_no_view_lets_a_worker_record_a_committee_refusal(client, programme, comite, persona):
    menage = proposition(programme)
    intervenants_de_tous(programme, menage)
    client.force_login(getattr(programme, persona))
    client.post(
        reverse("menages:transition", args=[menage.pk]),
        {"vers": EtatParcours.REFUSE, "motif_refus": "refus_comite", "motif": "Refusé en comité"},
    )
    menage.refresh_from_db()
    assert menage.etat == EtatParcours.PROPOSITION_COMITE
    assert not PointOrdreDuJour.objects.exists()
