"""The end of a support episode links to the committee decision that ended it, or holds an
administrator's correction. Closed episodes are linked to the one « mettre fin » decision of the
same household whose date is the episode's end; an end typed by hand with another date, or two such
decisions the same day, cannot be tied back: those episodes keep no link and the file shows
« décision antérieure, non rattachée »."""

import django.db.models.deletion
from django.db import migrations, models


def rattacher(apps, schema_editor):
    Accompagnement = apps.get_model("accompagnement", "Accompagnement")
    PointOrdreDuJour = apps.get_model("comites", "PointOrdreDuJour")
    points = {}
    for pk, menage_id, date in PointOrdreDuJour.objects.filter(
        decision="terminer", decision_date_debut__isnull=False
    ).values_list("pk", "menage_id", "decision_date_debut"):
        points.setdefault((menage_id, date), []).append(pk)
    a_lier = []
    for acc in Accompagnement.objects.filter(date_fin__isnull=False, decision_fin__isnull=True):
        candidats = points.get((acc.menage_id, acc.date_fin), [])
        if len(candidats) == 1:
            acc.decision_fin_id = candidats[0]
            a_lier.append(acc)
    Accompagnement.objects.bulk_update(a_lier, ["decision_fin"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('accompagnement', '0006_changement_niveau_decision'),
        ('comites', '0006_point_derogation_duree'),
    ]

    operations = [
        migrations.AddField(
            model_name='accompagnement',
            name='correction_fin',
            field=models.TextField(blank=True, verbose_name='motif de la correction (fin)'),
        ),
        migrations.AddField(
            model_name='accompagnement',
            name='decision_fin',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='comites.pointordredujour', verbose_name='décision de fin du comité'),
        ),
        migrations.RunPython(rattacher, migrations.RunPython.noop),
    ]
