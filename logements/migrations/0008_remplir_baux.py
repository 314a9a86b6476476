"""One dated lease (`Bail`) per lease the database still knows.

- From each attribution: its lease (`date_bail`; through IML when the attribution is an IML one)
  and, for an IML lease that glided to the household, the direct lease (`date_glissement`).
- From each key moment "signature du bail" marked done whose day is no lease date of the
  household's attributions: a lease on that day, taken as direct.
What could not be known: a lease recorded only as a key moment, whose date a later attribution
moved (the key moment was one row per household); whether a lease known only from a key moment
was direct or through IML (it is taken as direct).
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

PARIS = ZoneInfo(getattr(settings, "TIME_ZONE", "Europe/Paris") or "Europe/Paris")


def remplir(apps, schema_editor):
    Attribution = apps.get_model("logements", "Attribution")
    Bail = apps.get_model("logements", "Bail")
    TempsFort = apps.get_model("accompagnement", "TempsFort")

    baux, connus = [], set()
    for attribution in Attribution.objects.exclude(date_bail__isnull=True, date_glissement__isnull=True):
        if attribution.date_bail:
            type_bail = "iml" if attribution.iml else "direct"
            baux.append(
                Bail(
                    menage_id=attribution.menage_id,
                    attribution_id=attribution.pk,
                    type=type_bail,
                    date_signature=attribution.date_bail,
                )
            )
            connus.add((attribution.menage_id, attribution.date_bail))
        if attribution.iml and attribution.date_glissement:
            baux.append(
                Bail(
                    menage_id=attribution.menage_id,
                    attribution_id=attribution.pk,
                    type="direct",
                    date_signature=attribution.date_glissement,
                )
            )
            connus.add((attribution.menage_id, attribution.date_glissement))
    for menage_id, date_prevue in TempsFort.objects.filter(type="signature_bail", realise=True).values_list(
        "menage_id", "date_prevue"
    ):
        jour = date_prevue.astimezone(PARIS).date()
        if (menage_id, jour) not in connus:
            connus.add((menage_id, jour))
            baux.append(Bail(menage_id=menage_id, type="direct", date_signature=jour))
    Bail.objects.bulk_create(baux, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("logements", "0007_bail"), ("accompagnement", "0005_remplir_dates_decision_atteinte")]

    operations = [migrations.RunPython(remplir, migrations.RunPython.noop)]
