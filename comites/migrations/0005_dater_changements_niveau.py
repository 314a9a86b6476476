"""Date each committee level change by its session's day (Paris time), found from the agenda item
that decided it: same household, level decided and start date (an entry for a "valider" decision,
a change for "renouveler" or "changer de niveau"). What could not be known: a change with no such
item keeps the day it was recorded (accompagnement 0005)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

PARIS = ZoneInfo(getattr(settings, "TIME_ZONE", "Europe/Paris") or "Europe/Paris")


def dater(apps, schema_editor):
    ChangementNiveau = apps.get_model("accompagnement", "ChangementNiveau")
    PointOrdreDuJour = apps.get_model("comites", "PointOrdreDuJour")

    seances = {}
    for menage_id, decision, niveau, debut, date in (
        PointOrdreDuJour.objects.filter(
            decision__in=["valider", "renouveler", "changer_niveau"], decision_date_debut__isnull=False
        )
        .order_by("seance__date")
        .values_list("menage_id", "decision", "decision_niveau", "decision_date_debut", "seance__date")
    ):
        origine = "entree" if decision == "valider" else "comite"
        seances.setdefault((menage_id, origine, niveau, debut), date.astimezone(PARIS).date())
    changements = []
    for changement in ChangementNiveau.objects.filter(origine__in=["entree", "comite"]).select_related(
        "accompagnement"
    ):
        cle = (
            changement.accompagnement.menage_id,
            changement.origine,
            changement.nouveau_niveau,
            changement.date_effet,
        )
        if cle in seances and seances[cle] != changement.date_decision:
            changement.date_decision = seances[cle]
            changements.append(changement)
    ChangementNiveau.objects.bulk_update(changements, ["date_decision"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("comites", "0004_seances_closes_tenues"),
        ("accompagnement", "0005_remplir_dates_decision_atteinte"),
    ]

    operations = [migrations.RunPython(dater, migrations.RunPython.noop)]
