from django.core.management import call_command

from logements.models import Logement, MobilisationLogement


def test_seed_demo_creates_the_demo_stock_idempotently(db):
    call_command("seed_demo")
    counts = (Logement.objects.count(), MobilisationLogement.objects.count())
    call_command("seed_demo")
    assert (Logement.objects.count(), MobilisationLogement.objects.count()) == counts
    assert counts[0] == 40
    assert set(Logement.objects.values_list("bailleur__sigle", flat=True)) == {"Habitat Audois", "ALOGEA"}
    assert Logement.objects.filter(statut__in=["vacant", "en_rotation"]).exists()
