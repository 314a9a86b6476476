"""Date the level changes by their decision and the objectives by the day they were reached.

- `ChangementNiveau.date_decision` takes the day the change was recorded (`enregistre_le`, Paris
  time), the best this app knows; the committee's changes are then dated by their session's day
  from the agenda (comites 0005). What could not be known: the decision day of a change recorded
  later than its decision without a matching agenda item (an administrator's correction has none:
  its recording day is its decision day).
- `Objectif.date_atteint`: for a reached objective, the first day of its last run of "reached" in
  its history. What could not be known: the day an objective was reached when its history does
  not record it (objectives loaded in bulk); it takes its review date, or else its start date.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models

PARIS = ZoneInfo(getattr(settings, "TIME_ZONE", "Europe/Paris") or "Europe/Paris")


def remplir(apps, schema_editor):
    ChangementNiveau = apps.get_model("accompagnement", "ChangementNiveau")
    Objectif = apps.get_model("accompagnement", "Objectif")
    HistoriqueObjectif = apps.get_model("accompagnement", "HistoriqueObjectif")

    changements = []
    for changement in ChangementNiveau.objects.filter(date_decision__isnull=True).iterator(chunk_size=2000):
        changement.date_decision = changement.enregistre_le.astimezone(PARIS).date()
        changements.append(changement)
    ChangementNiveau.objects.bulk_update(changements, ["date_decision"], batch_size=2000)

    historiques = {}
    for objectif_id, statut, date in HistoriqueObjectif.objects.order_by("date", "pk").values_list(
        "objectif_id", "statut", "date"
    ):
        historiques.setdefault(objectif_id, []).append((statut, date))
    objectifs = []
    for objectif in Objectif.objects.filter(statut="atteint"):
        atteint = None
        for statut, date in historiques.get(objectif.pk, []):
            if statut == "atteint":
                atteint = atteint or date.astimezone(PARIS).date()
            else:
                atteint = None
        objectif.date_atteint = atteint or objectif.date_revision or objectif.date_debut
        objectifs.append(objectif)
    Objectif.objects.bulk_update(objectifs, ["date_atteint"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("accompagnement", "0004_dates_decision_atteinte")]

    operations = [
        migrations.RunPython(remplir, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="changementniveau",
            name="date_decision",
            field=models.DateField(
                help_text="Le jour de la séance du comité (ou de la consultation urgente, ou de la correction).",
                verbose_name="date de la décision",
            ),
        ),
    ]
