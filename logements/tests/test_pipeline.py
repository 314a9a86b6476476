"""The attribution pipeline: the channel in the programme's order of priority, the reservation of a
proposed dwelling, refusal reasons kept, the board by step for the landlord's staff."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from comptes.tests.factories import user_with_role
from logements import importation, services
from logements.models import Attribution, Logement
from logements.tests.factories import LogementFactory, MobilisationLogementFactory
from menages.tests.factories import DiagnosticFactory, IntervenantFactory, MenageFactory


@pytest.fixture
def cas(programme):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="accompagnement")
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    logement = LogementFactory(bailleur=programme.habitat, vacant=True)
    return menage, logement


def _proposer(menage, logement, auteur, **fields):
    return services.enregistrer_attribution(
        attribution=Attribution(menage=menage, logement=logement, canal="rotation"), auteur=auteur, **fields
    )


def test_channel_proposed_in_the_programmes_order_of_priority(programme, cas):
    menage, logement = cas
    assert services.canal_propose(menage, logement) == "rotation"
    autre_bailleur = LogementFactory(bailleur=programme.alogea, vacant=True)
    assert services.canal_propose(menage, autre_bailleur) == "mise_en_commun"
    neuf = MobilisationLogementFactory(
        dispositif=programme.dispositif, logement__bailleur=programme.habitat, mode="creation_offre_nouvelle"
    ).logement
    assert services.canal_propose(menage, neuf) == "offre_nouvelle"
    # The contingent préfectoral comes first, whoever the landlord.
    autre_bailleur.contingent_prefectoral = True
    assert services.canal_propose(menage, autre_bailleur) == "contingent_prefectoral"


def test_proposal_form_lists_the_channels_in_order_and_preselects_the_first_that_applies(
    client, programme, cas
):
    menage, logement = cas
    logement.contingent_prefectoral = True
    logement.save()
    client.force_login(programme.cesf_habitat)
    text = client.get(reverse("logements:attribution_nouvelle", args=[menage.pk, logement.pk])).text
    positions = [
        text.index(f"{i}. {label}")
        for i, label in enumerate(
            ["Contingent préfectoral", "Rotation du parc existant", "Mise en commun des patrimoines"], start=1
        )
    ]
    assert positions == sorted(positions)
    coche = text[text.index('value="contingent_prefectoral"') :].split(">", 1)[0]
    assert "checked" in coche


def test_contingent_channel_refused_for_a_dwelling_outside_it(client, programme, cas):
    menage, logement = cas
    with pytest.raises(ValidationError) as exc:
        services.enregistrer_attribution(
            attribution=Attribution(menage=menage, logement=logement, canal="contingent_prefectoral"),
            auteur=programme.cesf_habitat,
        )
    assert "contingent préfectoral" in exc.value.message_dict["canal"][0]
    client.force_login(programme.cesf_habitat)
    text = client.get(reverse("logements:attribution_nouvelle", args=[menage.pk, logement.pk])).text
    assert 'value="contingent_prefectoral"' not in text


def test_a_proposed_dwelling_is_reserved_until_the_outcome(client, programme, cas):
    menage, logement = cas
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="accompagnement")
    premiere = _proposer(menage, logement, programme.cesf_habitat)
    with pytest.raises(ValidationError, match="déjà proposé à un autre ménage"):
        _proposer(autre, logement, programme.cesf_habitat)

    client.force_login(programme.cesf_habitat)
    url = reverse("logements:attribution_nouvelle", args=[autre.pk, logement.pk])
    page = client.get(url)
    assert "proposé à un autre ménage" in page.text and 'name="canal"' not in page.text
    assert menage.nom not in page.text  # the other household is not named
    client.post(url, {"canal": "rotation", "date_proposition": "2026-11-02", "decision_cal": "en_attente"})
    assert Attribution.objects.count() == 1

    # Refused, with its reason: the dwelling is free again and the reason is kept.
    services.enregistrer_attribution(
        attribution=premiere,
        auteur=programme.cesf_habitat,
        decision_cal="refusee",
        motif_refus="Trop éloigné de l’école",
    )
    seconde = _proposer(autre, logement, programme.cesf_habitat)
    assert seconde.pk
    premiere.refresh_from_db()
    assert premiere.motif_refus == "Trop éloigné de l’école"
    # The refused proposal cannot be reopened while the other one is in progress.
    with pytest.raises(ValidationError, match="déjà proposé"):
        services.enregistrer_attribution(
            attribution=premiere, auteur=programme.cesf_habitat, decision_cal="en_attente"
        )


def test_matching_marks_reserved_dwellings_instead_of_offering_them_again(client, programme, communes_aude):
    narbonne = communes_aude["narbonne"]
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="accompagnement")
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="accompagnement")
    for m in (menage, autre):
        DiagnosticFactory(menage=m, auteur=programme.ts_adaff, besoin_typologie="T3").besoin_communes.set(
            [narbonne]
        )
    libre = LogementFactory(bailleur=programme.habitat, commune=narbonne, vacant=True, adresse="1 rue Libre")
    pour_moi = LogementFactory(
        bailleur=programme.habitat, commune=narbonne, vacant=True, adresse="2 rue Mienne"
    )
    pour_autre = LogementFactory(
        bailleur=programme.habitat, commune=narbonne, vacant=True, adresse="3 rue Prise"
    )
    _proposer(menage, pour_moi, programme.cesf_habitat)
    _proposer(autre, pour_autre, programme.cesf_habitat)
    client.force_login(programme.cesf_habitat)
    text = client.get(reverse("logements:rapprochement", args=[menage.pk])).text
    assert reverse("logements:attribution_nouvelle", args=[menage.pk, libre.pk]) in text
    assert reverse("logements:attribution_nouvelle", args=[menage.pk, pour_moi.pk]) not in text
    assert reverse("logements:attribution_nouvelle", args=[menage.pk, pour_autre.pk]) not in text
    assert "Proposé à ce ménage" in text and "Réservé" in text


def test_matching_needs_line_has_no_empty_value(client, programme, communes_aude):
    menage = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat)
    DiagnosticFactory(menage=menage, auteur=programme.ts_adaff, besoin_loyer_max=None)
    client.force_login(programme.cesf_habitat)
    text = client.get(reverse("logements:rapprochement", args=[menage.pk])).text
    assert "au plus ." not in text and "comprises au plus" not in text
    assert "Loyer, charges comprises&nbsp;: non plafonné" in text


def _board_case(programme, n):
    today = timezone.localdate()
    for k in range(n):
        menage = MenageFactory(
            dispositif=programme.dispositif, bailleur=programme.habitat, etat="accompagnement"
        )
        attribution = _proposer(
            menage, LogementFactory(bailleur=programme.habitat, vacant=True), programme.cesf_habitat
        )
        services.enregistrer_attribution(
            attribution=attribution,
            auteur=programme.cesf_habitat,
            date_visite=today - datetime.timedelta(days=k + 1),
        )


def test_board_shows_each_attribution_at_its_step_with_refusal_reasons(client, programme, cas):
    menage, logement = cas
    today = timezone.localdate()
    proposee = _proposer(menage, logement, programme.cesf_habitat)
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Famille Refus")
    refusee = _proposer(
        autre, LogementFactory(bailleur=programme.habitat, vacant=True), programme.cesf_habitat
    )
    services.enregistrer_attribution(
        attribution=refusee,
        auteur=programme.cesf_habitat,
        decision_cal="refusee",
        motif_refus="Logement sans ascenseur",
    )
    entre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, nom="Famille Entrée")
    _proposer(
        entre,
        LogementFactory(bailleur=programme.habitat, vacant=True),
        programme.cesf_habitat,
        decision_cal="acceptee",
        date_cal=today - datetime.timedelta(days=20),
        date_bail=today - datetime.timedelta(days=10),
        date_entree=today - datetime.timedelta(days=5),
    )
    client.force_login(
        user_with_role(Role.CHARGE_ATTRIBUTION, programme.habitat, username="attribution.habitat")
    )
    response = client.get(reverse("logements:attributions"))
    assert response.status_code == 200
    text = response.text
    assert proposee.etape == "propose"
    assert "Logement sans ascenseur" in text and "Famille Refus" in text and "Famille Entrée" in text
    assert text.index("Logement proposé") < text.index(menage.nom) < text.index("Entrée dans les lieux")
    # The officer's home shows the pipeline.
    home = client.get(reverse("tableau_de_bord")).text
    assert reverse("logements:attributions") in home and "Attributions en cours" in home


def test_board_is_scoped_to_the_households_one_may_see(client, programme, cas):
    menage, logement = cas
    _proposer(menage, logement, programme.cesf_habitat)
    client.force_login(programme.cesf_alogea)
    response = client.get(reverse("logements:attributions"))
    assert response.status_code == 200
    assert menage.nom not in response.text


@pytest.mark.parametrize("persona", ["ts_adaff", "gardien_habitat", "financeur", "comite", "tisf_afc"])
def test_board_is_for_the_landlords_staff(client, programme, persona):
    client.force_login(getattr(programme, persona))
    assert client.get(reverse("logements:attributions")).status_code == 403


def test_board_query_count_does_not_grow(client, programme, count_queries):
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:attributions")
    _board_case(programme, 1)
    one = count_queries(client.get, url)
    _board_case(programme, 6)
    assert count_queries(client.get, url) == one
    home = count_queries(client.get, reverse("tableau_de_bord"))
    _board_case(programme, 3)
    assert count_queries(client.get, reverse("tableau_de_bord")) == home


def test_contingent_prefectoral_imported_with_the_stock(programme, communes_aude):
    contenu = (
        "référence;adresse;commune;typologie;surface;loyer;charges;statut;contingent préfectoral\n"
        "C-1;1 rue du Préfet;Narbonne;T3;60;400;50;vacant;oui\n"
        "C-2;2 rue du Parc;Narbonne;T2;45;350;40;vacant;\n"
        "C-3;3 rue du Parc;Narbonne;T2;45;350;40;vacant;non\n"
    ).encode()
    fichier = io.BytesIO(contenu)
    fichier.name = "stock.csv"
    rapport = importation.importer_logements(
        bailleur=programme.habitat, fichier=fichier, auteur=programme.cesf_habitat
    )
    assert rapport.reussi, rapport.erreurs
    assert dict(Logement.objects.values_list("reference_bailleur", "contingent_prefectoral")) == {
        "C-1": True,
        "C-2": False,
        "C-3": False,
    }
    faux = io.BytesIO(contenu.replace(b"vacant;oui", b"vacant;peut-etre"))
    faux.name = "stock.csv"
    rapport = importation.importer_logements(
        bailleur=programme.habitat, fichier=faux, auteur=programme.cesf_habitat
    )
    assert not rapport.reussi
    assert rapport.erreurs[0].colonne == "contingent préfectoral"


def test_reopening_a_refused_proposal_of_a_reserved_dwelling_is_refused_on_the_page(client, programme, cas):
    menage, logement = cas
    autre = MenageFactory(dispositif=programme.dispositif, bailleur=programme.habitat, etat="accompagnement")
    premiere = _proposer(
        menage, logement, programme.cesf_habitat, decision_cal="refusee", motif_refus="Refus"
    )
    _proposer(autre, logement, programme.cesf_habitat)
    client.force_login(programme.cesf_habitat)
    response = client.post(
        reverse("logements:attribution", args=[premiere.pk]),
        {
            "canal": "rotation",
            "date_proposition": premiere.date_proposition.isoformat(),
            "decision_cal": "en_attente",
        },
    )
    assert response.status_code == 200
    assert "déjà proposé à un autre ménage" in response.text
    premiere.refresh_from_db()
    assert premiere.decision_cal == "refusee"


def test_a_contingent_proposal_is_still_followed_when_the_dwelling_leaves_the_contingent(
    client, programme, cas
):
    menage, logement = cas
    logement.contingent_prefectoral = True
    logement.save()
    attribution = services.enregistrer_attribution(
        attribution=Attribution(menage=menage, logement=logement, canal="contingent_prefectoral"),
        auteur=programme.cesf_habitat,
    )
    Logement.objects.filter(pk=logement.pk).update(contingent_prefectoral=False)
    client.force_login(programme.cesf_habitat)
    url = reverse("logements:attribution", args=[attribution.pk])
    assert 'value="contingent_prefectoral"' in client.get(url).text
    response = client.post(
        url,
        {
            "canal": "contingent_prefectoral",
            "date_proposition": attribution.date_proposition.isoformat(),
            "date_visite": timezone.localdate().isoformat(),
            "decision_cal": "en_attente",
        },
    )
    assert response.status_code == 302
    attribution.refresh_from_db()
    assert attribution.date_visite == timezone.localdate()
