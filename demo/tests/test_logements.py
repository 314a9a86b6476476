from django.core.management import call_command

from logements.models import Logement, MobilisationLogement


def test_seed_demo_creates_the_demo_stock_idempotently(db):
    call_command("seed_demo")
    counts = (Logement.objects.count(), MobilisationLogement.objects.count())
    call_command("seed_demo")
    assert (Logement.objects.count(), MobilisationLogement.objects.count()) == counts
    # 20 for each landlord of the Aude, 8 for the second programme's landlord.
    assert counts[0] == 48
    assert set(Logement.objects.values_list("bailleur__sigle", flat=True)) == {
        "Habitat Audois",
        "ALOGEA",
        "Tramontane Habitat",
    }
    assert set(
        MobilisationLogement.objects.values_list("dispositif__code", "logement__bailleur__sigle").distinct()
    ) == {("asea-aude", "Habitat Audois"), ("asea-aude", "ALOGEA"), ("asea-po", "Tramontane Habitat")}
    assert Logement.objects.filter(statut__in=["vacant", "en_rotation"]).exists()
