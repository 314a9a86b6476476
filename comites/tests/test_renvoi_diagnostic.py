"""A proposal the committee adjourned goes back to the in-depth diagnostic only from that
adjournment, with the worker's reason recorded in the household's timeline."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from comites.tests.factories import PointOrdreDuJourFactory, SeanceFactory
from menages import services as menages_services
from menages.enums import EtatParcours
from menages.models import EvenementParcours
from menages.tests.factories import IntervenantFactory, MenageFactory


@pytest.fixture
def propose(programme):
    menage = MenageFactory(
        dispositif=programme.dispositif, bailleur=programme.habitat, etat=EtatParcours.PROPOSITION_COMITE
    )
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    EvenementParcours.objects.create(
        menage=menage,
        numero_parcours=menage.numero_parcours,
        etat_avant=EtatParcours.DIAGNOSTIC,
        etat_apres=EtatParcours.PROPOSITION_COMITE,
        auteur=programme.ts_adaff,
        date=timezone.now() - datetime.timedelta(days=20),
    )
    return menage


def _ajourner(menage, seance):
    return PointOrdreDuJourFactory(
        seance=seance, menage=menage, type="nouvelle_proposition", ajourne=True,
        decision_commentaire="Situation budgétaire à préciser",
    )  # fmt: skip


def _url(menage):
    return reverse("comites:renvoi_diagnostic", args=[menage.pk])


def test_adjourned_proposal_goes_back_to_the_diagnostic_with_its_reason(client, programme, seance, propose):
    _ajourner(propose, seance)
    client.force_login(programme.ts_adaff)
    # The file's step button leads to the adjournment's page.
    response = client.get(reverse("menages:transition", args=[propose.pk]), {"vers": EtatParcours.DIAGNOSTIC})
    assert response.status_code == 302 and response.url == _url(propose)
    page = client.get(_url(propose)).text
    assert "Situation budgétaire à préciser" in page
    response = client.post(_url(propose), {"motif": "  "})
    assert (
        response.status_code == 200 and "Indiquez pourquoi le dossier revient au diagnostic" in response.text
    )
    response = client.post(_url(propose), {"motif": "Compléter le budget avec la famille"})
    assert response.status_code == 302
    propose.refresh_from_db()
    assert propose.etat == EtatParcours.DIAGNOSTIC
    evenement = propose.evenements.first()
    assert evenement.etat_avant == EtatParcours.PROPOSITION_COMITE and evenement.auteur == programme.ts_adaff
    assert evenement.motif.startswith(f"Ajournement du {seance} : ")
    assert evenement.motif.endswith("Compléter le budget avec la famille")


def test_no_free_return_to_the_diagnostic_without_an_adjournment(client, programme, seance, propose):
    with pytest.raises(menages_services.TransitionRefusee, match="ajourne sa proposition"):
        menages_services.changer_etat(
            menage=propose, vers=EtatParcours.DIAGNOSTIC, auteur=programme.ts_adaff, motif="Compléments"
        )
    client.force_login(programme.ts_adaff)
    page = client.get(_url(propose)).text
    assert "Aucun ajournement n’est enregistré" in page and 'name="motif"' not in page
    response = client.post(_url(propose), {"motif": "Compléments"})
    assert response.status_code == 200 and "Aucun ajournement n’est enregistré" in response.text
    # A decision taken after the adjournment (here a refusal) ends it.
    _ajourner(propose, seance)
    PointOrdreDuJourFactory(seance=seance, menage=propose, refuse=True)
    client.post(_url(propose), {"motif": "Compléments"})
    propose.refresh_from_db()
    assert propose.etat == EtatParcours.PROPOSITION_COMITE and propose.evenements.count() == 1


def test_no_return_while_the_household_waits_on_an_open_agenda(client, programme, seance, comite, propose):
    _ajourner(propose, seance)
    suivante = SeanceFactory(instance=comite, date=timezone.now() + datetime.timedelta(days=40))
    PointOrdreDuJourFactory(seance=suivante, menage=propose, type="nouvelle_proposition")
    client.force_login(programme.ts_adaff)
    response = client.post(_url(propose), {"motif": "Compléments"})
    assert "inscrit à l’ordre du jour" in response.text
    assert "Compléments" in response.text  # what was typed is kept
    propose.refresh_from_db()
    assert propose.etat == EtatParcours.PROPOSITION_COMITE


@pytest.mark.parametrize(("persona", "statut"), [("cesf_habitat", 403), ("financeur", 404), ("ts_hdm", 404)])
def test_only_the_referent_side_sends_a_file_back_to_the_diagnostic(
    client, programme, seance, propose, persona, statut
):
    _ajourner(propose, seance)
    client.force_login(getattr(programme, persona))
    assert client.post(_url(propose), {"motif": "Compléments"}).status_code in (403, 404)
    propose.refresh_from_db()
    assert propose.etat == EtatParcours.PROPOSITION_COMITE
