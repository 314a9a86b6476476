"""Issue #17: no URL bypasses a step's own checks. The generic step page
(`menages:transition?vers=…`), typed by hand by any role, never submits a household to the funders
(only the checked submission does) nor moves it into a step that follows a committee decision."""

import pytest
from django.urls import reverse

from menages import workflow
from menages.enums import DecisionFinanceur, EtatParcours, MotifRefus, MotifSortie
from menages.tests.factories import (
    DiagnosticFactory,
    IntervenantFactory,
    MenageFactory,
    PreDiagnosticFactory,
)

E = EtatParcours

PERSONAS = [
    "ts_adaff",
    "ts_hdm",
    "cesf_habitat",
    "gardien_habitat",
    "tisf_afc",
    "financeur",
    "comite",
    "admin",
]

# What each persona's generic step page may do on an ADAFF household of Habitat Audois where HDM
# and the TISF intervene too: the referent's organisation and an administrator move the path; the
# landlord's CESF takes its first steps; nobody else.
PEUT_AVANCER = {"ts_adaff", "admin"}


def dossier(programme, etat):
    menage = MenageFactory(dispositif=programme.dispositif, etat=etat, bailleur=programme.habitat)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    IntervenantFactory(menage=menage, type="ts_iml", utilisateur=programme.ts_hdm)
    IntervenantFactory(menage=menage, type="tisf", utilisateur=programme.tisf_afc)
    return menage


def _pret_pour_le_diagnostic(programme, menage):
    programme.dispositif.financeurs_validation_requise.set([programme.ddcspp])
    menage.validations.create(
        numero_parcours=menage.numero_parcours,
        financeur=programme.ddcspp,
        decision=DecisionFinanceur.VALIDEE,
    )


def _pret_pour_le_comite(programme, menage):
    DiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    menage.date_adhesion = menage.date_saisine
    menage.save()


# Steps reached with their own checks only: (from, to, what is posted besides `vers`).
GARDEES = [
    (E.PRE_DIAGNOSTIC, E.VALIDATION_FINANCEURS, {}),
    (E.PROPOSITION_COMITE, E.ACCOMPAGNEMENT, {"motif": "Comité du 12/11 : niveau 2"}),
    (E.PROPOSITION_COMITE, E.DIAGNOSTIC, {"motif": "Ajourné : compléments demandés"}),
    (E.RELAIS_SORTANT, E.ACCOMPAGNEMENT, {"motif": "Retour au niveau 2"}),
    (E.ACCOMPAGNEMENT, E.RELAIS_SORTANT, {"motif": "Relais décidé"}),
    (E.ACCOMPAGNEMENT, E.CLOS, {"motif_sortie": MotifSortie.AUTONOMIE, "motif": "Fin"}),
    (E.RELAIS_SORTANT, E.CLOS, {"motif_sortie": MotifSortie.AUTONOMIE, "motif": "Fin"}),
    (E.PROPOSITION_COMITE, E.REFUSE, {"motif_refus": MotifRefus.REFUS_COMITE, "motif": "Refus"}),
    (E.DIAGNOSTIC, E.REFUSE, {"motif_refus": MotifRefus.REFUS_COMITE, "motif": "Refus"}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("depuis", "vers", "donnees"),
    GARDEES,
    ids=[f"{a}->{b}:{d.get('motif_refus', '')}" for a, b, d in GARDEES],
)
def test_no_role_takes_a_checked_step_through_the_generic_step_url(
    client, programme, persona, depuis, vers, donnees
):
    menage = dossier(programme, depuis)
    PreDiagnosticFactory(menage=menage, auteur=programme.ts_adaff)  # the old check, met
    client.force_login(getattr(programme, persona))
    url = reverse("menages:transition", args=[menage.pk])
    for response in (client.get(url, {"vers": vers}), client.post(url, {"vers": vers, **donnees})):
        assert response.status_code in (200, 302, 403, 404)
        if response.status_code == 302:
            # Sent to the step's own page, never back to the file as if it were done.
            assert response.url != menage.get_absolute_url()
    menage.refresh_from_db()
    assert menage.etat == depuis
    assert not menage.evenements.exists()


def test_submission_typed_by_hand_leads_to_the_checked_submission_page(client, programme):
    menage = dossier(programme, E.PRE_DIAGNOSTIC)
    PreDiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    url = reverse("menages:transition", args=[menage.pk])
    response = client.post(url, {"vers": E.VALIDATION_FINANCEURS}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("menages:demander_validations", args=[menage.pk])
    # The submission page lists what the funders need and the file lacks, with links.
    assert "La composition du ménage" in response.text
    assert not menage.validations.exists()


def test_a_committee_refusal_is_the_committees_not_a_typed_reason(client, programme):
    menage = dossier(programme, E.PROPOSITION_COMITE)
    client.force_login(programme.ts_adaff)
    response = client.post(
        reverse("menages:transition", args=[menage.pk]),
        {"vers": E.REFUSE, "motif_refus": MotifRefus.REFUS_COMITE, "motif": "Refusé en séance"},
    )
    assert response.status_code == 200
    assert "suit une décision du comité de suivi" in response.text
    assert reverse("comites:demande", args=[menage.pk]) in response.text
    assert "Refusé en séance" in response.text  # what was typed is kept


def test_a_funders_refusal_must_be_recorded_before_it_is_given_as_the_reason(client, programme):
    menage = dossier(programme, E.VALIDATION_FINANCEURS)
    client.force_login(programme.ts_adaff)
    url = reverse("menages:transition", args=[menage.pk])
    data = {"vers": E.REFUSE, "motif_refus": MotifRefus.REFUS_FINANCEURS}
    response = client.post(url, data)
    assert "Aucun refus de financeur n’est enregistré" in response.text
    assert reverse("menages:reponse_manuelle", args=[menage.pk]) in response.text
    menage.validations.create(
        numero_parcours=1, financeur=programme.ddcspp, decision=DecisionFinanceur.REFUSEE
    )
    assert client.post(url, data).status_code == 302
    menage.refresh_from_db()
    assert menage.etat == E.REFUSE


# Steps a worker takes on the generic page, each with its requirements met: (from, to, posted,
# preparation).
LIBRES = [
    (E.CLOS, E.SAISINE, {"motif": "Nouvelle saisine"}, None),
    (E.SAISINE, E.PRE_DIAGNOSTIC, {}, None),
    (E.VALIDATION_FINANCEURS, E.DIAGNOSTIC, {}, _pret_pour_le_diagnostic),
    (E.DIAGNOSTIC, E.PROPOSITION_COMITE, {}, _pret_pour_le_comite),
    (E.DIAGNOSTIC, E.REFUSE, {"motif_refus": MotifRefus.REFUS_MENAGE}, None),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("depuis", "vers", "donnees", "preparer"), LIBRES, ids=[f"{a}->{b}" for a, b, *_ in LIBRES]
)
def test_generic_step_url_moves_the_path_only_for_whom_the_rules_allow(
    client, programme, persona, depuis, vers, donnees, preparer
):
    menage = dossier(programme, depuis)
    if preparer:
        preparer(programme, menage)
    client.force_login(getattr(programme, persona))
    response = client.post(reverse("menages:transition", args=[menage.pk]), {"vers": vers, **donnees})
    menage.refresh_from_db()
    autorise = persona in PEUT_AVANCER or (persona == "cesf_habitat" and vers in workflow.ETATS_BAILLEUR)
    if autorise:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert menage.etat == vers
        assert menage.evenements.get().auteur == getattr(programme, persona)
    else:
        assert response.status_code in (403, 404)
        assert menage.etat == depuis and not menage.evenements.exists()


def test_hdm_worker_does_not_propose_an_adaff_household_to_the_committee(client, programme):
    menage = dossier(programme, E.DIAGNOSTIC)
    _pret_pour_le_comite(programme, menage)
    client.force_login(programme.ts_hdm)
    page = client.get(menage.get_absolute_url()).text
    assert workflow.ACTIONS[E.PROPOSITION_COMITE] not in page
    client.force_login(programme.ts_adaff)
    assert workflow.ACTIONS[E.PROPOSITION_COMITE] in client.get(menage.get_absolute_url()).text
