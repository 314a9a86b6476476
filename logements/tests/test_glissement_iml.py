"""The IML glide: the sub-let becomes the household's direct lease, the measure ends, the lease
counts in the funders' indicators."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Accompagnement, MesureIml, TempsFort
from comptes.models import NiveauAccompagnement
from comptes.tests.niveaux import NIVEAUX
from financement import indicators
from logements import services
from logements.models import Attribution, Bail
from logements.tests.factories import LogementFactory
from menages.tests.factories import IntervenantFactory, MenageFactory

D = datetime.date


def _en_iml(programme, debut, menage=None, fin=None):
    menage = menage or MenageFactory(
        dispositif=programme.dispositif,
        bailleur=programme.habitat,
        problematique="acces",
        etat="accompagnement",
    )
    episode = Accompagnement.objects.create(
        menage=menage,
        numero_parcours=1,
        niveau="niveau_3",
        date_debut=debut,
        date_fin_prevue=debut + datetime.timedelta(days=365),
        date_fin=fin,
        motif_sortie="autonomie" if fin else "",
    )
    mesure = MesureIml.objects.create(
        accompagnement=episode, partenaire=programme.hdm, forme="sous_location", date_debut_contrat=debut
    )
    IntervenantFactory(menage=menage, utilisateur=programme.ts_hdm)
    return menage, mesure


@pytest.fixture
def iml(programme):
    today = timezone.localdate()
    menage, mesure = _en_iml(programme, today - datetime.timedelta(days=200))
    attribution = services.enregistrer_attribution(
        attribution=Attribution(
            menage=menage, logement=LogementFactory(bailleur=programme.habitat), canal="rotation"
        ),
        auteur=programme.cesf_habitat,
        iml=True,
        decision_cal="acceptee",
        date_bail=today - datetime.timedelta(days=190),
        date_entree=today - datetime.timedelta(days=185),
    )
    return menage, mesure, attribution


def test_glide_end_to_end_through_its_confirmation_page(client, programme, iml):
    menage, mesure, attribution = iml
    jour = timezone.localdate() - datetime.timedelta(days=3)
    url = reverse("logements:glissement_iml", args=[menage.pk])
    client.force_login(programme.ts_hdm)
    page = client.get(url)
    assert page.status_code == 200
    assert "la mesure d’IML avec HDM prend fin" in page.text
    assert not Bail.objects.filter(type="direct").exists()  # GET changes nothing

    response = client.post(url, {"jour": jour.isoformat()})
    assert response.status_code == 302
    # One direct lease, the attribution's glide: its « signature du bail » key moment records none.
    bail = Bail.objects.get(menage=menage, type="direct")
    assert (bail.date_signature, bail.attribution) == (jour, attribution)
    assert Bail.objects.filter(menage=menage, type="iml").count() == 1  # the IML lease stays a fact
    attribution.refresh_from_db()
    assert attribution.date_glissement == jour
    mesure.refresh_from_db()
    assert mesure.date_fin_contrat == jour
    signatures = TempsFort.objects.filter(menage=menage, type="signature_bail").order_by("date_prevue")
    assert [timezone.localtime(t.date_prevue).date() for t in signatures] == [
        timezone.localdate() - datetime.timedelta(days=190),
        jour,
    ]
    # Done once: the page now sends back to the household's file.
    assert client.get(url).status_code == 302
    assert services.mesure_iml_a_glisser(menage) is None


def test_saving_the_attribution_again_leaves_the_glides_key_moment(programme, iml):
    menage, mesure, attribution = iml
    jour = timezone.localdate() - datetime.timedelta(days=3)
    services.glisser_bail(mesure=mesure, jour=jour, auteur=programme.ts_hdm)
    attribution.refresh_from_db()
    services.enregistrer_attribution(attribution=attribution, auteur=programme.cesf_habitat)
    assert TempsFort.objects.filter(menage=menage, type="signature_bail").count() == 2


def test_glide_date_is_checked_and_nothing_typed_is_lost(client, programme, iml):
    menage, mesure, _ = iml
    client.force_login(programme.ts_hdm)
    url = reverse("logements:glissement_iml", args=[menage.pk])
    futur = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    response = client.post(url, {"jour": futur})
    assert response.status_code == 200
    assert "ne peut pas être à venir" in response.text
    assert f'value="{futur}"' in response.text
    avant = (mesure.date_debut_contrat - datetime.timedelta(days=1)).isoformat()
    assert "suit le début du contrat" in client.post(url, {"jour": avant}).text
    assert not Bail.objects.filter(type="direct").exists()


def test_glide_without_an_attribution_in_the_app_records_the_lease(programme):
    menage, mesure = _en_iml(programme, D(2026, 1, 5))
    bail = services.glisser_bail(mesure=mesure, jour=D(2026, 6, 1), auteur=programme.admin)
    assert (bail.type, bail.date_signature, bail.attribution) == ("direct", D(2026, 6, 1), None)
    # The glide's key moment holds that lease: it records no second one.
    assert list(Bail.objects.filter(menage=menage)) == [bail]
    bail.refresh_from_db()
    assert bail.temps_fort == TempsFort.objects.get(menage=menage, type="signature_bail")


@pytest.mark.parametrize("persona", ["financeur", "gardien_habitat", "tisf_afc", "comite"])
def test_roles_without_the_right_cannot_glide(client, programme, iml, persona):
    menage, _mesure, _ = iml
    client.force_login(getattr(programme, persona))
    response = client.post(
        reverse("logements:glissement_iml", args=[menage.pk]), {"jour": timezone.localdate().isoformat()}
    )
    assert response.status_code in (403, 404)
    assert not Bail.objects.filter(type="direct").exists()


def test_other_landlords_cesf_gets_a_404(client, programme, iml):
    menage, _mesure, _ = iml
    client.force_login(programme.cesf_alogea)
    assert client.get(reverse("logements:glissement_iml", args=[menage.pk])).status_code == 404


def test_the_glide_counts_as_access_achieved(programme):
    for niveau in NIVEAUX:
        NiveauAccompagnement.objects.create(dispositif=programme.dispositif, **niveau)
    menage, mesure = _en_iml(programme, D(2025, 2, 1), fin=D(2025, 12, 20))
    menage.date_saisine = D(2025, 1, 10)
    menage.save()
    assert (
        indicators.calculer(programme.dispositif, D(2025, 1, 1), D(2025, 12, 31))["resultats"]["acces_reussi"]
        == 0
    )
    services.glisser_bail(mesure=mesure, jour=D(2025, 11, 15), auteur=programme.ts_hdm)
    resultats = indicators.calculer(programme.dispositif, D(2025, 1, 1), D(2025, 12, 31))["resultats"]
    assert (resultats["acces"], resultats["acces_reussi"]) == (1, 1)


def test_household_file_offers_the_glide_to_who_may_do_it(client, programme, iml):
    menage, _mesure, _ = iml
    url = reverse("logements:glissement_iml", args=[menage.pk])
    client.force_login(programme.ts_hdm)
    assert url in client.get(reverse("dossiers:detail", args=[menage.pk])).text
