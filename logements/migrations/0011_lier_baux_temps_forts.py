"""Tie each lease recorded from a « signature du bail » key moment (migration 0008, before leases
were tied to their key moment) to that key moment, so that editing the key moment later updates
that lease rather than recording a second one (logements.baux).

A lease without attribution is tied to the household's « signature du bail » key moment marked
done on the same day (Paris time), if there is exactly one such key moment not yet tied. What could
not be known: a lease whose key moment was moved to another day since (by a later attribution) is
left untied, as its own event.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

PARIS = ZoneInfo(getattr(settings, "TIME_ZONE", "Europe/Paris") or "Europe/Paris")


def lier(apps, schema_editor):
    Bail = apps.get_model("logements", "Bail")
    TempsFort = apps.get_model("accompagnement", "TempsFort")

    par_jour = {}
    for temps_fort in TempsFort.objects.filter(type="signature_bail", realise=True, bail__isnull=True):
        cle = (temps_fort.menage_id, temps_fort.date_prevue.astimezone(PARIS).date())
        par_jour.setdefault(cle, []).append(temps_fort.pk)
    for bail in Bail.objects.filter(attribution__isnull=True, temps_fort__isnull=True):
        candidats = par_jour.pop((bail.menage_id, bail.date_signature), [])
        if len(candidats) == 1:
            bail.temps_fort_id = candidats[0]
            bail.save(update_fields=["temps_fort"])


class Migration(migrations.Migration):
    dependencies = [
        ("logements", "0010_bail_temps_fort"),
        ("accompagnement", "0007_accompagnement_fin_decision"),
    ]

    operations = [migrations.RunPython(lier, migrations.RunPython.noop)]
