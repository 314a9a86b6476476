"""A lease signed that a worker records only by marking the « signature du bail » key moment done
is a dated lease too (logements.baux): « access achieved » does not miss it, and an attribution's
lease is never counted twice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accompagnement.models import Accompagnement, TempsFort
from financement import indicators
from logements import services
from logements.models import Attribution, Bail
from logements.tests.factories import LogementFactory
from menages.tests.factories import IntervenantFactory, MenageFactory

D = datetime.date


@pytest.fixture
def menage(programme):
    menage = MenageFactory(
        dispositif=programme.dispositif,
        bailleur=programme.habitat,
        etat="accompagnement",
        problematique="acces",
    )
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    return menage


def _temps_fort(menage, jour, realise=True, type_="signature_bail"):
    return TempsFort.objects.create(
        menage=menage,
        type=type_,
        date_prevue=timezone.make_aware(datetime.datetime.combine(jour, datetime.time(23, 30))),
        modalite="cesf",
        realise=realise,
    )


def _baux(menage):
    return list(menage.baux.order_by("date_signature").values_list("type", "date_signature", "attribution"))


def test_marking_the_lease_signing_done_in_the_key_moment_form_records_the_lease(client, programme, menage):
    Accompagnement.objects.create(
        menage=menage,
        numero_parcours=1,
        niveau="niveau_1",
        date_debut=D(2026, 1, 10),
        date_fin_prevue=D(2026, 12, 31),
        date_fin=D(2026, 6, 30),
        motif_sortie="autonomie",
    )
    client.force_login(programme.cesf_habitat)
    data = {"type": "signature_bail", "date_prevue": "2026-05-04T14:00", "modalite": "cesf"}
    assert client.post(reverse("accompagnement:temps_fort", args=[menage.pk]), data).status_code == 302
    # Planned, not yet signed: no lease.
    assert _baux(menage) == []
    temps_fort = menage.temps_forts.get()
    url = reverse("accompagnement:temps_fort_modifier", args=[menage.pk, temps_fort.pk])
    assert client.post(url, {**data, "realise": "on"}).status_code == 302
    assert _baux(menage) == [("direct", D(2026, 5, 4), None)]
    # The access episode that left on 30/06 achieved its access (a lease between its start and exit).
    resultats = indicators.calculer(programme.dispositif, D(2026, 1, 1), D(2026, 6, 30))["resultats"]
    assert (resultats["acces"], resultats["acces_reussi"]) == (1, 1)


def test_the_lease_follows_a_corrected_day_and_goes_when_the_key_moment_is_not_done_after_all(menage):
    # Late in the evening (Paris): the lease is of that day.
    temps_fort = _temps_fort(menage, D(2026, 5, 4))
    assert _baux(menage) == [("direct", D(2026, 5, 4), None)]
    temps_fort.date_prevue = timezone.make_aware(datetime.datetime(2026, 5, 6, 9))
    temps_fort.save()
    assert _baux(menage) == [("direct", D(2026, 5, 6), None)]
    temps_fort.realise = False
    temps_fort.save()
    assert _baux(menage) == []


def test_other_key_moments_and_planned_signings_record_no_lease(menage):
    _temps_fort(menage, D(2026, 5, 4), type_="visite_logement")
    _temps_fort(menage, D(2026, 5, 5), type_="entree_lieux")
    _temps_fort(menage, D(2026, 5, 6), realise=False)
    assert _baux(menage) == []


def test_an_attribution_s_lease_is_recorded_once(programme, menage):
    # The worker marked the signing done, then the CESF records the attribution with its lease
    # that same day: one lease, the attribution's.
    _temps_fort(menage, D(2026, 5, 4))
    attribution = services.enregistrer_attribution(
        attribution=Attribution(
            menage=menage, logement=LogementFactory(bailleur=programme.habitat), canal="rotation"
        ),
        auteur=programme.cesf_habitat,
        decision_cal="acceptee",
        date_bail=D(2026, 5, 4),
    )
    assert _baux(menage) == [("direct", D(2026, 5, 4), attribution.pk)]
    assert Bail.objects.count() == 1


def test_a_later_attribution_never_moves_a_lease_recorded_from_the_key_moment(programme, menage):
    # A first lease in 2026 recorded only through the key moment; in 2027 an attribution's lease
    # reuses the key moment for its planning: the 2026 lease stays.
    _temps_fort(menage, D(2026, 5, 4))
    attribution = services.enregistrer_attribution(
        attribution=Attribution(
            menage=menage, logement=LogementFactory(bailleur=programme.habitat), canal="rotation"
        ),
        auteur=programme.cesf_habitat,
        decision_cal="acceptee",
        date_bail=D(2027, 3, 1),
    )
    assert _baux(menage) == [("direct", D(2026, 5, 4), None), ("direct", D(2027, 3, 1), attribution.pk)]
    assert menage.temps_forts.get(type="signature_bail").date_prevue.date() == D(2027, 3, 1)


def test_the_key_moment_s_lease_is_an_iml_one_while_the_household_s_attribution_is_in_iml(programme, menage):
    services.enregistrer_attribution(
        attribution=Attribution(
            menage=menage, logement=LogementFactory(bailleur=programme.habitat), canal="rotation"
        ),
        auteur=programme.cesf_habitat,
        decision_cal="acceptee",
        iml=True,
    )
    _temps_fort(menage, D(2026, 5, 4))
    assert _baux(menage) == [("iml", D(2026, 5, 4), None)]


def test_deleting_the_key_moment_keeps_its_lease(menage):
    _temps_fort(menage, D(2026, 5, 4)).delete()
    assert _baux(menage) == [("direct", D(2026, 5, 4), None)]


def test_a_lease_recorded_from_the_key_moment_before_the_link_is_not_recorded_twice(menage):
    # Recorded by the data migration of 2026 (untied), then the key moment is edited.
    temps_fort = _temps_fort(menage, D(2026, 5, 4))
    Bail.objects.filter(temps_fort=temps_fort).update(temps_fort=None)
    temps_fort.participants = "CESF et ménage"
    temps_fort.save()
    assert _baux(menage) == [("direct", D(2026, 5, 4), None)]
    assert Bail.objects.get().temps_fort == temps_fort
