import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import TempsFort
from logements.models import Attribution
from logements.tests.factories import LogementFactory
from menages.tests.factories import IntervenantFactory, MenageFactory


@pytest.fixture
def cas(programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="accompagnement")
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    logement = LogementFactory(bailleur=programme.habitat, vacant=True)
    return menage, logement


def test_a_proposal_follows_visit_cal_lease_and_move_in_into_key_moments(client, programme, cas):
    menage, logement = cas
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:attribution_nouvelle", args=[menage.pk, logement.pk])
    today = timezone.localdate()
    data = {
        "canal": "rotation",
        "date_proposition": (today - datetime.timedelta(days=20)).isoformat(),
        "decision_cal": "en_attente",
    }
    assert client.post(url, data).status_code == 302
    attribution = Attribution.objects.get()
    assert attribution.auteur == programme.cesf_habitat

    edit = reverse("logements:attribution", args=[attribution.pk])
    data.update(
        {
            "date_visite": (today - datetime.timedelta(days=15)).isoformat(),
            "decision_cal": "acceptee",
            "date_cal": (today - datetime.timedelta(days=10)).isoformat(),
            "date_bail": (today - datetime.timedelta(days=5)).isoformat(),
            "date_entree": (today + datetime.timedelta(days=3)).isoformat(),
        }
    )
    assert client.post(edit, data).status_code == 302
    moments = {t.type: t.realise for t in TempsFort.objects.filter(menage=menage)}
    assert moments == {"visite_logement": True, "signature_bail": True, "entree_lieux": False}
    logement.refresh_from_db()
    assert logement.statut == "vacant"  # not yet moved in


def test_refusal_needs_its_reason_and_nothing_typed_is_lost(client, programme, cas):
    menage, logement = cas
    client.force_login(programme.ts_adaff)
    url = reverse("logements:attribution_nouvelle", args=[menage.pk, logement.pk])
    response = client.post(
        url, {"canal": "rotation", "date_proposition": "2026-11-02", "decision_cal": "refusee"}
    )
    assert response.status_code == 200
    assert "Indiquez le motif du refus" in response.text
    assert 'value="2026-11-02"' in response.text
    assert not Attribution.objects.exists()


def test_move_in_needs_the_cal_decision(client, programme, cas):
    menage, logement = cas
    client.force_login(programme.ts_adaff)
    url = reverse("logements:attribution_nouvelle", args=[menage.pk, logement.pk])
    response = client.post(
        url,
        {
            "canal": "rotation",
            "date_proposition": "2026-11-02",
            "decision_cal": "en_attente",
            "date_entree": "2026-11-20",
        },
    )
    assert "suit une attribution prononcée par la CAL" in response.text


def test_iml_variant_records_the_occupancy_agreement_and_the_glide(client, programme, cas):
    menage, logement = cas
    client.force_login(programme.ts_adaff)
    client.post(
        reverse("logements:attribution_nouvelle", args=[menage.pk, logement.pk]),
        {"canal": "mise_en_commun", "date_proposition": "2026-10-01", "decision_cal": "acceptee", "iml": "on",
         "date_convention_occupation": "2026-10-15", "date_glissement": "2027-10-15"},
    )  # fmt: skip
    attribution = Attribution.objects.get()
    assert attribution.iml and attribution.date_glissement == datetime.date(2027, 10, 15)


@pytest.mark.parametrize("persona", ["cesf_alogea", "financeur", "gardien_habitat", "tisf_afc"])
def test_roles_and_other_landlords_cannot_follow_an_attribution(client, programme, cas, persona):
    menage, logement = cas
    attribution = Attribution.objects.create(
        menage=menage, logement=logement, canal="rotation", auteur=programme.ts_adaff
    )
    client.force_login(getattr(programme, persona))
    assert client.get(reverse("logements:attribution", args=[attribution.pk])).status_code in (403, 404)
    assert client.get(
        reverse("logements:attribution_nouvelle", args=[menage.pk, logement.pk])
    ).status_code in (403, 404)


def test_matching_page_lists_proposals_in_constant_queries(client, programme, cas, count_queries):
    menage, logement = cas
    client.force_login(programme.ts_adaff)
    url = reverse("logements:rapprochement", args=[menage.pk])
    Attribution.objects.create(menage=menage, logement=logement, canal="rotation", auteur=programme.ts_adaff)
    one = count_queries(client.get, url)
    for _ in range(5):
        Attribution.objects.create(
            menage=menage,
            logement=LogementFactory(bailleur=programme.habitat),
            canal="rotation",
            auteur=programme.ts_adaff,
        )
    assert count_queries(client.get, url) == one


@pytest.mark.parametrize(
    ("nature", "data", "model"),
    [
        ("plan", {"date_debut": "2026-11-01", "montant_dette": "1200,50", "mensualite": "50", "statut": "en_cours"}, "PlanApurement"),
        ("fsl", {"date_demande": "2026-11-01", "montant": "800", "decision": "accordee", "date_decision": "2026-11-20"}, "AideFsl"),
        ("expulsion", {"etape": "commandement_payer", "date": "2026-10-15", "commentaire": ""}, "EtapeExpulsion"),
    ],
)  # fmt: skip
def test_cesf_enters_repayment_plan_fsl_aid_and_eviction_steps(client, programme, cas, nature, data, model):
    from logements import models

    menage, _ = cas
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:entree", args=[menage.pk, nature])
    assert client.post(url, data).status_code == 302
    assert getattr(models, model).objects.get(menage=menage).auteur == programme.cesf_habitat
    client.force_login(programme.cesf_alogea)
    assert client.post(url, data).status_code in (403, 404)


def test_unknown_tenant_file_entry_is_a_404(client, programme, cas):
    menage, _ = cas
    client.force_login(programme.cesf_habitat)
    assert client.get(reverse("logements:entree", args=[menage.pk, "autre"])).status_code == 404


def test_each_lease_is_its_own_dated_fact(programme, cas):
    from logements import services

    menage, logement = cas
    premiere = services.enregistrer_attribution(
        attribution=Attribution(menage=menage, logement=logement, canal="rotation"),
        auteur=programme.cesf_habitat,
        iml=True,
        decision_cal="acceptee",
        date_bail=datetime.date(2026, 3, 2),
    )
    # The IML lease glides to the household; later, a second dwelling and its direct lease.
    services.enregistrer_attribution(
        attribution=premiere, auteur=programme.cesf_habitat, date_glissement=datetime.date(2026, 9, 1)
    )
    services.enregistrer_attribution(
        attribution=Attribution(
            menage=menage, logement=LogementFactory(bailleur=programme.habitat, vacant=True), canal="rotation"
        ),
        auteur=programme.cesf_habitat,
        decision_cal="acceptee",
        date_bail=datetime.date(2026, 11, 5),
    )
    assert list(menage.baux.order_by("date_signature").values_list("type", "date_signature")) == [
        ("iml", datetime.date(2026, 3, 2)),
        ("direct", datetime.date(2026, 9, 1)),
        ("direct", datetime.date(2026, 11, 5)),
    ]
    # A correction of the first lease's date moves that lease only; a cleared date removes it.
    services.enregistrer_attribution(
        attribution=premiere,
        auteur=programme.cesf_habitat,
        date_bail=datetime.date(2026, 3, 3),
        date_glissement=None,
    )
    assert list(menage.baux.order_by("date_signature").values_list("type", "date_signature")) == [
        ("iml", datetime.date(2026, 3, 3)),
        ("direct", datetime.date(2026, 11, 5)),
    ]
