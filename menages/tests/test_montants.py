"""Resources and debts typed the French way, an implausible monthly resource confirmed first."""

from decimal import Decimal

from django.urls import reverse

from menages.models import Dette, Ressource
from menages.tests.test_views import make_households


def _budget(ressource, dette, **extra):
    return {
        "ressources-TOTAL_FORMS": "1",
        "ressources-INITIAL_FORMS": "0",
        "ressources-0-type": "rsa",
        "ressources-0-montant_mensuel": ressource,
        "dettes-TOTAL_FORMS": "1",
        "dettes-INITIAL_FORMS": "0",
        "dettes-0-creancier": "Habitat Audois",
        "dettes-0-montant": dette,
        **extra,
    }


def test_budget_amounts_read_with_spaces_and_euro_sign(client, programme):
    (menage,) = make_households(programme, 1)
    client.force_login(programme.ts_adaff)
    url = reverse("menages:budget", args=[menage.pk])
    assert client.post(url, _budget("1\u202f035,20 €", "12 345,67")).status_code == 302
    assert Ressource.objects.get(menage=menage).montant_mensuel == Decimal("1035.20")
    assert Dette.objects.get(menage=menage).montant == Decimal("12345.67")


def test_monthly_resource_above_ten_thousand_euros_is_confirmed_first(client, programme):
    (menage,) = make_households(programme, 1)
    client.force_login(programme.ts_adaff)
    url = reverse("menages:budget", args=[menage.pk])
    response = client.post(url, _budget("60775", "0"))
    assert response.status_code == 200
    assert "par mois dépasse 10\u202f000\u00a0€" in response.text
    assert 'name="ressources-0-confirmer_montants"' in response.text and 'type="checkbox"' in response.text
    assert 'value="60775"' in response.text
    assert not Ressource.objects.filter(menage=menage).exists()
    response = client.post(url, _budget("60775", "0", **{"ressources-0-confirmer_montants": "on"}))
    assert response.status_code == 302
    assert Ressource.objects.get(menage=menage).montant_mensuel == Decimal("60775")
