import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from menages import services, workflow
from menages.enums import DecisionFinanceur, EtatParcours, MotifRefus, MotifSortie
from menages.tests.factories import (
    DiagnosticFactory,
    IntervenantFactory,
    MembreFactory,
    MenageFactory,
    PreDiagnosticFactory,
    RessourceFactory,
)

E = EtatParcours


def ready_for(menage, vers, programme):
    """Meet the requirements of the transition to `vers` (documents, answers, reasons)."""
    kwargs = {}
    if vers == E.VALIDATION_FINANCEURS:
        PreDiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    if vers == E.DIAGNOSTIC and menage.etat == E.VALIDATION_FINANCEURS:
        for financeur in menage.dispositif.financeurs_validation_requise.all():
            services.enregistrer_reponse_manuelle(
                menage=menage,
                financeur=financeur,
                decision=DecisionFinanceur.VALIDEE,
                commentaire="",
                auteur=programme.ts_adaff,
            )
    if vers == E.PROPOSITION_COMITE:
        DiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
        menage.date_adhesion = menage.date_saisine
        menage.save()
    if workflow.demande_une_decision(menage.etat, vers):
        # Only an administrator's correction, with its reason, stands in for a committee decision.
        kwargs["correction"] = "Reprise d’un dossier papier : décision du comité du 12/11/2026."
    if (menage.etat, vers) == workflow.RETOUR_AU_DIAGNOSTIC:
        kwargs["motif"] = "Ajourné par le comité : budget à compléter."
    if vers == E.CLOS:
        kwargs["motif_sortie"] = MotifSortie.AUTONOMIE
    if vers == E.REFUSE:
        kwargs["motif_refus"] = MotifRefus.REFUS_MENAGE
    return kwargs


@pytest.fixture
def dispositif_avec_ddcspp(programme):
    programme.dispositif.financeurs_validation_requise.set([programme.ddcspp])
    return programme


ALL_PAIRS = list(itertools.product(list(E), list(E)))


@pytest.mark.parametrize(("depuis", "vers"), ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
def test_every_transition_is_allowed_or_refused_by_the_table(dispositif_avec_ddcspp, depuis, vers):
    programme = dispositif_avec_ddcspp
    menage = MenageFactory(dispositif=programme.dispositif, etat=depuis, bailleur=programme.habitat)
    kwargs = ready_for(menage, vers, programme)
    auteur = programme.admin if "correction" in kwargs else programme.ts_adaff
    if workflow.is_allowed(depuis, vers) and vers in workflow.ETATS_PAR_SOUMISSION:
        # Allowed by the path, but only through the checked submission (demander_validations).
        with pytest.raises(ValidationError, match="Soumettre aux financeurs"):
            services.changer_etat(menage=menage, vers=vers, auteur=auteur, **kwargs)
        menage.refresh_from_db()
        assert menage.etat == depuis and not menage.evenements.exists()
    elif workflow.is_allowed(depuis, vers):
        event = services.changer_etat(menage=menage, vers=vers, auteur=auteur, **kwargs)
        menage.refresh_from_db()
        assert menage.etat == vers
        assert (event.etat_avant, event.etat_apres, event.auteur) == (depuis, vers, auteur)
    else:
        with pytest.raises(ValidationError, match="Passage impossible"):
            services.changer_etat(menage=menage, vers=vers, auteur=programme.ts_adaff, **kwargs)
        menage.refresh_from_db()
        assert menage.etat == depuis
        assert not menage.evenements.exists()


def test_diagnostic_waits_for_every_required_funder(dispositif_avec_ddcspp):
    programme = dispositif_avec_ddcspp
    menage = MenageFactory(dispositif=programme.dispositif, etat=E.VALIDATION_FINANCEURS)
    with pytest.raises(ValidationError, match="DDCSPP"):
        services.changer_etat(menage=menage, vers=E.DIAGNOSTIC, auteur=programme.ts_adaff)
    services.enregistrer_reponse_manuelle(
        menage=menage,
        financeur=programme.ddcspp,
        decision=DecisionFinanceur.VALIDEE,
        commentaire="",
        auteur=programme.ts_adaff,
    )
    services.changer_etat(menage=menage, vers=E.DIAGNOSTIC, auteur=programme.ts_adaff)


def test_a_funders_refusal_blocks_the_diagnostic(dispositif_avec_ddcspp):
    programme = dispositif_avec_ddcspp
    menage = MenageFactory(dispositif=programme.dispositif, etat=E.VALIDATION_FINANCEURS)
    services.enregistrer_reponse_manuelle(
        menage=menage,
        financeur=programme.ddcspp,
        decision=DecisionFinanceur.REFUSEE,
        commentaire="",
        auteur=programme.ts_adaff,
    )
    with pytest.raises(ValidationError, match="a refusé"):
        services.changer_etat(menage=menage, vers=E.DIAGNOSTIC, auteur=programme.ts_adaff)


@pytest.mark.parametrize(
    ("depuis", "vers", "message"),
    [
        (E.PRE_DIAGNOSTIC, E.VALIDATION_FINANCEURS, "Soumettre aux financeurs"),
        (E.DIAGNOSTIC, E.PROPOSITION_COMITE, "diagnostic approfondi"),
        (E.PROPOSITION_COMITE, E.ACCOMPAGNEMENT, "décision du comité"),
        (E.ACCOMPAGNEMENT, E.CLOS, "décision du comité"),
        (E.ACCOMPAGNEMENT, E.RELAIS_SORTANT, "décision du comité"),
        (E.RELAIS_SORTANT, E.ACCOMPAGNEMENT, "décision du comité"),
        (E.SAISINE, E.REFUSE, "motif du refus"),
    ],
)
def test_requirements_of_transitions(programme, depuis, vers, message):
    menage = MenageFactory(dispositif=programme.dispositif, etat=depuis)
    with pytest.raises(ValidationError, match=message):
        services.changer_etat(menage=menage, vers=vers, auteur=programme.ts_adaff)


def test_proposal_to_committee_needs_the_households_adhesion(programme):
    menage = MenageFactory(dispositif=programme.dispositif, etat=E.DIAGNOSTIC)
    DiagnosticFactory(menage=menage, auteur=programme.ts_adaff)
    with pytest.raises(ValidationError, match="adhésion"):
        services.changer_etat(menage=menage, vers=E.PROPOSITION_COMITE, auteur=programme.ts_adaff)


def test_closed_household_re_enters_with_a_new_path_and_the_same_identity(programme):
    menage = MenageFactory(dispositif=programme.dispositif, etat=E.CLOS, motif_sortie=MotifSortie.AUTONOMIE)
    reference = menage.reference
    services.changer_etat(
        menage=menage, vers=E.SAISINE, auteur=programme.ts_adaff, motif="Nouvelle saisine CCAPEX"
    )
    menage.refresh_from_db()
    assert (menage.reference, menage.numero_parcours, menage.etat, menage.motif_sortie) == (
        reference,
        2,
        E.SAISINE,
        "",
    )
    event = menage.evenements.get()
    assert event.numero_parcours == 2 and event.motif == "Nouvelle saisine CCAPEX"


def test_transition_page_shows_the_error_and_keeps_the_reason(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif, etat=E.DIAGNOSTIC, bailleur=programme.habitat)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    url = reverse("menages:transition", args=[menage.pk])
    response = client.post(url, {"vers": E.REFUSE, "motif": "Le ménage déménage à Toulouse"})
    assert response.status_code == 200
    assert "Le motif du refus est obligatoire" in response.text
    assert "Le ménage déménage à Toulouse" in response.text
    response = client.post(
        url, {"vers": E.REFUSE, "motif": "Déménagement", "motif_refus": MotifRefus.REFUS_MENAGE}
    )
    assert response.status_code == 302
    menage.refresh_from_db()
    assert menage.etat == E.REFUSE and menage.motif_refus == MotifRefus.REFUS_MENAGE


def test_landlord_staff_may_only_take_the_first_steps(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif, etat=E.ACCOMPAGNEMENT, bailleur=programme.habitat)
    client.force_login(programme.cesf_habitat)
    url = reverse("menages:transition", args=[menage.pk])
    assert client.post(url, {"vers": E.RELAIS_SORTANT}).status_code == 403
    menage.etat = E.SAISINE
    menage.save()
    assert client.get(url, {"vers": E.PRE_DIAGNOSTIC}).status_code == 200


def test_unknown_step_in_the_url_is_refused_without_error(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    assert (
        client.get(reverse("menages:transition", args=[menage.pk]), {"vers": "n'importe"}).status_code == 403
    )


def test_pre_diagnostic_moves_a_referred_household_forward(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    client.force_login(programme.cesf_habitat)
    response = client.post(
        reverse("menages:pre_diagnostic", args=[menage.pk]),
        {
            "date": "2026-11-20",
            "situation": "Locataire depuis 2019, seule avec deux enfants.",
            "difficultes": "Impayés depuis six mois.",
            "motif_orientation": "Plan d’apurement non tenu malgré l’ASLL.",
            "propose": "on",
        },
    )
    assert response.status_code == 302
    menage.refresh_from_db()
    assert menage.etat == E.PRE_DIAGNOSTIC
    assert menage.pre_diagnostics.get().organisation == programme.habitat


def test_timeline_lists_events_of_every_organisation_newest_first(client, programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    services.enregistrer_pre_diagnostic(
        menage=menage,
        auteur=programme.cesf_habitat,
        situation="s",
        difficultes="d",
        motif_orientation="m",
        propose=True,
    )
    MembreFactory(menage=menage)
    RessourceFactory(menage=menage)
    services.demander_validations(menage=menage, auteur=programme.ts_adaff)
    client.force_login(programme.ts_adaff)
    chronologie = client.get(reverse("dossiers:chronologie", args=[menage.pk])).context["page"]
    titres = [e.titre for e in chronologie]
    assert "Pré-diagnostic → Validation des financeurs" in titres
    assert any(t.startswith("Pré-diagnostic (Habitat Audois)") for t in titres)
    dates = [e.date for e in chronologie]
    assert dates == sorted(dates, reverse=True)


def test_each_path_keeps_the_referral_recorded_for_it(programme):
    menage = services.creer_menage(
        dispositif=programme.dispositif,
        auteur=programme.ts_adaff,
        nom="Roux",
        source_orientation="siao",
        problematique="acces",
        situation_logement="heberge_tiers",
        bailleur=programme.habitat,
    )
    services.modifier_menage(menage=menage, source_orientation="commission_dalo")  # a correction
    menage.etat = E.CLOS
    menage.save()
    services.changer_etat(menage=menage, vers=E.SAISINE, auteur=programme.ts_adaff, motif="Retour")
    menage.refresh_from_db()
    services.modifier_menage(
        menage=menage, source_orientation="ccapex", problematique="maintien", bailleur=programme.alogea
    )
    assert list(
        menage.saisines.values_list("numero_parcours", "source_orientation", "problematique", "bailleur")
    ) == [
        (1, "commission_dalo", "acces", programme.habitat.pk),
        (2, "ccapex", "maintien", programme.alogea.pk),
    ]


def test_each_step_of_an_over_indebtedness_file_is_dated(programme):
    from menages.models import Dette

    menage = MenageFactory(dispositif=programme.dispositif)
    dette = Dette.objects.create(menage=menage, creancier="Banque", montant=1000, etape_bdf="depot")
    dette.montant = 900
    dette.save()  # the same step: no new fact
    dette.etape_bdf = "recevable"
    dette.save()
    assert list(menage.etapes_bdf.values_list("etape", flat=True)) == ["depot", "recevable"]
