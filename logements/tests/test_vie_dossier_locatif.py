"""The tenant file's records have a life: complaints open → in progress → closed with a resolution,
eviction steps in their legal order under the winter-truce rule, corrections kept in the audit
trail, deletions through a confirmation page, repayment plans and FSL aid with their statuses and
dates."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from logements import procedure, services
from logements.enums import DecisionFsl, StatutPlanApurement, StatutReclamation
from logements.enums import EtapeProcedure as E
from logements.models import AideFsl, EtapeExpulsion, PlanApurement, Reclamation
from menages.tests.factories import MenageFactory

JOUR = datetime.date(2026, 6, 15)  # outside the winter truce


@pytest.fixture
def locataire(programme):
    return MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Famille Martin")


def _reclamation(menage, **kwargs):
    return Reclamation.objects.create(
        menage=menage, type="troubles_voisinage", date=JOUR, description="Bruit la nuit", **kwargs
    )


def _etapes(menage, *etapes):
    for etape, jour in etapes:
        EtapeExpulsion.objects.create(menage=menage, etape=etape, date=jour)


# Complaints


def test_complaint_goes_from_open_to_in_progress_to_closed_with_its_resolution(client, programme, locataire):
    reclamation = _reclamation(locataire)
    client.force_login(programme.cesf_habitat)
    dossier = reverse("logements:dossier_locatif", args=[locataire.pk])
    assert "Prendre en charge" in client.get(dossier).text

    response = client.post(reverse("logements:reclamation_prendre_en_charge", args=[reclamation.pk]))
    assert response.status_code == 302
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.EN_COURS and reclamation.date_prise_en_charge

    url = reverse("logements:clore", args=["reclamation", reclamation.pk])
    page = client.get(url)
    assert "Confirmer la clôture" in page.text and "Bruit la nuit" in page.text
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.EN_COURS  # GET changes nothing

    # No resolution: refused next to the field, the date typed kept.
    response = client.post(url, {"date_cloture": "2026-06-20", "resolution": "  "})
    assert response.status_code == 200
    assert "Indiquez comment la situation a été résolue." in response.text
    assert 'value="2026-06-20"' in response.text
    response = client.post(url, {"date_cloture": "2026-06-10", "resolution": "Médiation faite"})
    assert "La clôture ne peut pas précéder la date de l’entrée (15/06/2026)." in response.text
    assert "Médiation faite" in response.text

    response = client.post(url, {"date_cloture": "2026-06-20", "resolution": "Médiation avec les voisins."})
    assert response.status_code == 302
    reclamation.refresh_from_db()
    assert (reclamation.statut, reclamation.date_cloture, reclamation.resolution) == (
        StatutReclamation.TRAITEE,
        datetime.date(2026, 6, 20),
        "Médiation avec les voisins.",
    )
    assert not reclamation.est_ouverte
    text = client.get(dossier).text
    assert "Close le 20/06/2026" in text and "Médiation avec les voisins." in text
    # Closed once: the closing page sends back to the file.
    assert client.get(url).status_code == 302
    with pytest.raises(ValidationError):
        services.prendre_en_charge_reclamation(reclamation=reclamation, auteur=programme.cesf_habitat)


def test_complaints_in_progress_still_count_as_open_on_the_dashboard(programme, locataire):
    from logements.selectors import tableau_cesf

    _reclamation(locataire)
    _reclamation(locataire, statut=StatutReclamation.EN_COURS)
    _reclamation(
        locataire, statut=StatutReclamation.TRAITEE, date_cloture=JOUR, resolution="Réglée avec le ménage."
    )
    assert tableau_cesf(programme.cesf_habitat)["nombre_reclamations"] == 2


@pytest.mark.parametrize(
    ("persona", "statut"), [("cesf_alogea", 404), ("ts_adaff", 403), ("gardien_habitat", 403)]
)
def test_only_the_landlords_cesf_closes_its_complaints(client, programme, locataire, persona, statut):
    reclamation = _reclamation(locataire)
    client.force_login(getattr(programme, persona))
    url = reverse("logements:clore", args=["reclamation", reclamation.pk])
    assert client.get(url).status_code == statut
    client.post(url, {"date_cloture": "2026-06-20", "resolution": "x"})
    assert (
        client.post(reverse("logements:reclamation_prendre_en_charge", args=[reclamation.pk])).status_code
        == statut
    )
    reclamation.refresh_from_db()
    assert reclamation.statut == StatutReclamation.OUVERTE


# Eviction procedure


def test_steps_follow_the_legal_order_and_dates(programme, locataire):
    cesf = programme.cesf_habitat
    services.enregistrer_etape_expulsion(
        menage=locataire, etape=E.COMMANDEMENT_PAYER, date=datetime.date(2026, 4, 10), auteur=cesf
    )
    # The case: the police's assistance right after the order to pay.
    with pytest.raises(ValidationError) as exc:
        services.enregistrer_etape_expulsion(
            menage=locataire, etape=E.CONCOURS_FORCE_PUBLIQUE, date=datetime.date(2026, 4, 15), auteur=cesf
        )
    assert exc.value.message_dict["etape"] == [
        "Il manque l’étape «\u00a0Assignation\u00a0» avant «\u00a0Concours de la force publique\u00a0»\u00a0: "
        "enregistrez d’abord les étapes précédentes de la procédure."
    ]
    # Dated before the previous step.
    with pytest.raises(ValidationError) as exc:
        services.enregistrer_etape_expulsion(
            menage=locataire, etape=E.ASSIGNATION, date=datetime.date(2026, 4, 1), auteur=cesf
        )
    assert exc.value.message_dict["date"] == [
        "L’étape ne peut pas être datée avant la précédente, «\u00a0Commandement de payer\u00a0» du 10/04/2026."
    ]
    services.enregistrer_etape_expulsion(
        menage=locataire, etape=E.ASSIGNATION, date=datetime.date(2026, 5, 2), auteur=cesf
    )
    services.enregistrer_etape_expulsion(
        menage=locataire, etape=E.JUGEMENT, date=datetime.date(2026, 6, 2), auteur=cesf
    )
    # Out of order: a step that comes before the last one.
    with pytest.raises(ValidationError) as exc:
        services.enregistrer_etape_expulsion(
            menage=locataire, etape=E.ASSIGNATION, date=datetime.date(2026, 6, 5), auteur=cesf
        )
    assert "ne peut pas suivre «\u00a0Jugement\u00a0» du 02/06/2026" in exc.value.message_dict["etape"][0]
    # The CCAPEX referral may be missing, the order to pay too (neighbour disturbances).
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    services.enregistrer_etape_expulsion(
        menage=autre, etape=E.ASSIGNATION, date=datetime.date(2026, 4, 2), auteur=cesf
    )
    assert list(EtapeExpulsion.objects.filter(menage=locataire).values_list("etape", flat=True)) == [
        E.COMMANDEMENT_PAYER,
        E.ASSIGNATION,
        E.JUGEMENT,
    ]


def _procedure_jusqu_au_concours(menage):
    _etapes(
        menage,
        (E.ASSIGNATION, datetime.date(2026, 4, 2)),
        (E.JUGEMENT, datetime.date(2026, 5, 10)),
        (E.COMMANDEMENT_QUITTER, datetime.date(2026, 6, 1)),
        (E.CONCOURS_FORCE_PUBLIQUE, datetime.date(2026, 7, 1)),
    )


@pytest.mark.parametrize("jour", [datetime.date(2026, 11, 1), datetime.date(2026, 11, 15)])
def test_no_eviction_is_carried_out_during_the_winter_truce(programme, locataire, jour):
    _procedure_jusqu_au_concours(locataire)
    with pytest.raises(ValidationError) as exc:
        services.enregistrer_etape_expulsion(
            menage=locataire, etape=E.EXPULSION, date=jour, auteur=programme.cesf_habitat
        )
    assert exc.value.message_dict["date"] == [
        "Aucune expulsion ne peut être exécutée pendant la trêve hivernale (du 01/11/2026 au 31/03/2027)\u00a0: "
        "vérifiez la date."
    ]
    assert not EtapeExpulsion.objects.filter(etape=E.EXPULSION).exists()


def test_eviction_outside_the_truce_is_recorded_without_warning(programme, locataire):
    _procedure_jusqu_au_concours(locataire)
    etape, avertissements = services.enregistrer_etape_expulsion(
        menage=locataire, etape=E.EXPULSION, date=datetime.date(2026, 10, 31), auteur=programme.cesf_habitat
    )
    assert etape.pk and avertissements == []


def test_other_steps_during_the_truce_are_warned_not_refused(programme, locataire):
    _etapes(
        locataire,
        (E.ASSIGNATION, datetime.date(2026, 4, 2)),
        (E.JUGEMENT, datetime.date(2026, 5, 10)),
        (E.COMMANDEMENT_QUITTER, datetime.date(2026, 6, 1)),
    )
    etape, avertissements = services.enregistrer_etape_expulsion(
        menage=locataire,
        etape=E.CONCOURS_FORCE_PUBLIQUE,
        date=datetime.date(2026, 11, 20),
        auteur=programme.cesf_habitat,
    )
    assert etape.pk
    assert avertissements == [
        "Trêve hivernale\u00a0: l’étape «\u00a0Concours de la force publique\u00a0» est datée du 20/11/2026, "
        "pendant la trêve (du 01/11/2026 au 31/03/2027). L’expulsion ne pourra pas être exécutée avant le "
        "01/04/2027."
    ]


def test_a_step_in_the_future_is_refused(programme, locataire):
    from django.utils import timezone

    with pytest.raises(ValidationError) as exc:
        services.enregistrer_etape_expulsion(
            menage=locataire,
            etape=E.SAISINE_CCAPEX,
            date=timezone.localdate() + datetime.timedelta(days=1),
            auteur=programme.cesf_habitat,
        )
    assert "date" in exc.value.message_dict


def test_step_form_shows_the_reason_next_to_the_field_and_keeps_the_input(client, programme, locataire):
    _etapes(locataire, (E.COMMANDEMENT_PAYER, datetime.date(2026, 4, 10)))
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:entree", args=[locataire.pk, "expulsion"])
    response = client.post(
        url, {"etape": E.CONCOURS_FORCE_PUBLIQUE, "date": "2026-04-15", "commentaire": "Demande au préfet"}
    )
    assert response.status_code == 200
    assert "Il manque l’étape" in response.text and "Demande au préfet" in response.text
    assert "Commandement de payer, le 10/04/2026" in response.text  # the steps already there
    assert EtapeExpulsion.objects.count() == 1


def test_step_recorded_during_the_truce_shows_the_warning(client, programme, locataire):
    client.force_login(programme.cesf_habitat)
    response = client.post(
        reverse("logements:entree", args=[locataire.pk, "expulsion"]),
        {"etape": E.SAISINE_CCAPEX, "date": "2026-01-12", "commentaire": ""},
        follow=True,
    )
    assert "Trêve hivernale\u00a0: l’étape «\u00a0Saisine de la CCAPEX\u00a0»" in response.text
    assert EtapeExpulsion.objects.get().etape == E.SAISINE_CCAPEX


def test_a_whole_procedure_is_checked_by_date():
    procedure.verifier_suite(
        [(E.JUGEMENT, datetime.date(2026, 5, 1)), (E.ASSIGNATION, datetime.date(2026, 4, 1))]
    )
    with pytest.raises(ValidationError):
        procedure.verifier_suite(
            [(E.JUGEMENT, datetime.date(2026, 3, 1)), (E.ASSIGNATION, datetime.date(2026, 4, 1))]
        )


# Corrections and deletions


def test_correction_is_kept_in_the_audit_trail(client, programme, locataire):
    reclamation = _reclamation(locataire)
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:corriger", args=["reclamation", reclamation.pk])
    assert "Bruit la nuit" in client.get(url).text
    response = client.post(url, {"type": "technique", "date": "2026-06-14", "description": "Fuite d’eau"})
    assert response.status_code == 302
    reclamation.refresh_from_db()
    assert (reclamation.type, reclamation.description) == ("technique", "Fuite d’eau")
    entree = LogEntry.objects.get_for_object(reclamation).filter(action=LogEntry.Action.UPDATE).get()
    assert entree.changes_dict["description"] == ["Bruit la nuit", "Fuite d’eau"]
    assert entree.actor == programme.cesf_habitat
    assert entree.additional_data == {"menage_id": locataire.pk}  # in the household's trail


def test_correcting_a_step_keeps_the_procedure_in_order(client, programme, locataire):
    _etapes(locataire, (E.ASSIGNATION, datetime.date(2026, 4, 2)), (E.JUGEMENT, datetime.date(2026, 5, 10)))
    jugement = EtapeExpulsion.objects.get(etape=E.JUGEMENT)
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:corriger", args=["expulsion", jugement.pk])
    # Dated before the summons, the judgement would come first.
    response = client.post(url, {"etape": E.JUGEMENT, "date": "2026-03-01", "commentaire": ""})
    assert response.status_code == 200
    assert "Il manque l’étape « Assignation » avant « Jugement »" in response.text
    response = client.post(url, {"etape": E.JUGEMENT, "date": "2026-05-12", "commentaire": "Date du greffe"})
    assert response.status_code == 302
    jugement.refresh_from_db()
    assert jugement.date == datetime.date(2026, 5, 12)


def test_deletion_goes_through_a_confirmation_page(client, programme, locataire):
    reclamation = _reclamation(locataire)
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:supprimer", args=["reclamation", reclamation.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Confirmer la suppression" in page.text
    assert Reclamation.objects.filter(pk=reclamation.pk).exists()
    assert client.post(url).status_code == 302
    assert not Reclamation.objects.filter(pk=reclamation.pk).exists()
    assert LogEntry.objects.get_for_object(reclamation).filter(action=LogEntry.Action.DELETE).exists()


def test_a_step_others_depend_on_is_not_deleted(client, programme, locataire):
    _etapes(locataire, (E.ASSIGNATION, datetime.date(2026, 4, 2)), (E.JUGEMENT, datetime.date(2026, 5, 10)))
    assignation = EtapeExpulsion.objects.get(etape=E.ASSIGNATION)
    client.force_login(programme.cesf_habitat)
    response = client.post(reverse("logements:supprimer", args=["expulsion", assignation.pk]))
    assert response.status_code == 400
    assert "Supprimez d’abord les étapes suivantes." in response.text
    assert EtapeExpulsion.objects.count() == 2
    jugement = EtapeExpulsion.objects.get(etape=E.JUGEMENT)
    assert client.post(reverse("logements:supprimer", args=["expulsion", jugement.pk])).status_code == 302


def test_other_landlords_cesf_cannot_correct_or_delete(client, programme, locataire):
    reclamation = _reclamation(locataire)
    client.force_login(programme.cesf_alogea)
    for vue in ("logements:corriger", "logements:supprimer"):
        assert client.post(reverse(vue, args=["reclamation", reclamation.pk])).status_code == 404
    assert client.get(reverse("logements:corriger", args=["inconnu", reclamation.pk])).status_code == 404
    assert Reclamation.objects.filter(pk=reclamation.pk, description="Bruit la nuit").exists()


# Repayment plans and FSL aid


def test_repayment_plan_is_respected_or_broken_on_a_date(client, programme, locataire):
    client.force_login(programme.cesf_habitat)
    client.post(
        reverse("logements:entree", args=[locataire.pk, "plan"]),
        {"date_debut": "2026-02-01", "montant_dette": "1200", "mensualite": "100"},
    )
    plan = PlanApurement.objects.get()
    assert plan.statut == StatutPlanApurement.EN_COURS
    url = reverse("logements:plan_statut", args=[plan.pk])
    response = client.post(url, {"statut": "rompu", "date_fin": ""})
    assert "Indiquez la date à laquelle le plan a été respecté ou rompu." in response.text
    response = client.post(url, {"statut": "rompu", "date_fin": "2026-01-15"})
    assert "Cette date ne peut pas précéder le début du plan (01/02/2026)." in response.text
    assert client.post(url, {"statut": "rompu", "date_fin": "2026-05-03"}).status_code == 302
    plan.refresh_from_db()
    assert (plan.statut, plan.date_fin) == (StatutPlanApurement.ROMPU, datetime.date(2026, 5, 3))
    assert (
        "(rompu le 03/05/2026)" in client.get(reverse("logements:dossier_locatif", args=[locataire.pk])).text
    )


def test_fsl_request_then_its_decision_on_a_date(client, programme, locataire):
    client.force_login(programme.cesf_habitat)
    client.post(
        reverse("logements:entree", args=[locataire.pk, "fsl"]),
        {"date_demande": "2026-03-02", "montant": "800"},
    )
    aide = AideFsl.objects.get()
    assert (aide.decision, aide.montant) == (DecisionFsl.DEMANDEE, Decimal("800"))
    url = reverse("logements:fsl_decision", args=[aide.pk])
    response = client.post(url, {"decision": "accordee", "date_decision": "2026-02-01"})
    assert "La décision ne peut pas précéder la demande (02/03/2026)." in response.text
    assert client.post(url, {"decision": "accordee", "date_decision": "2026-04-10"}).status_code == 302
    aide.refresh_from_db()
    assert (aide.decision, aide.date_decision) == (DecisionFsl.ACCORDEE, datetime.date(2026, 4, 10))


def test_tenant_file_with_actions_keeps_a_constant_query_count(client, programme, locataire, count_queries):
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:dossier_locatif", args=[locataire.pk])
    _reclamation(locataire)
    one = count_queries(client.get, url)
    for i in range(6):
        _reclamation(locataire, statut=StatutReclamation.EN_COURS)
        PlanApurement.objects.create(
            menage=locataire, date_debut=datetime.date(2026, 1, i + 1), montant_dette=100, mensualite=10
        )
        AideFsl.objects.create(menage=locataire, date_demande=datetime.date(2026, 1, i + 1), montant=100)
    assert count_queries(client.get, url) == one
