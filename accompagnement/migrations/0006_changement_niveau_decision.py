"""Each level links to the committee decision that made it.

Existing rows of a committee origin (an episode's start, or a change « décision du comité ») are
linked to the decided committee item of the same household that decided that same level taking
effect on that same day (the decision's start date): the one way the two were tied before, since
the decision was applied with that date. What cannot be known from the data: a decision typed by
hand in the file (its date and references were free text), a start or change whose date was typed
differently from the decision's, or two items deciding the same level on the same day for one
household (ambiguous, left alone). Those rows keep no link and the file shows them as « décision
antérieure, non rattachée ». Administrator corrections keep no link by nature."""

import django.db.models.deletion
from django.db import migrations, models

DECISIONS_DE_NIVEAU = ("valider", "renouveler", "changer_niveau")


def rattacher(apps, schema_editor):
    ChangementNiveau = apps.get_model("accompagnement", "ChangementNiveau")
    PointOrdreDuJour = apps.get_model("comites", "PointOrdreDuJour")
    points = {}
    for point in PointOrdreDuJour.objects.filter(
        decision__in=DECISIONS_DE_NIVEAU, decision_date_debut__isnull=False
    ).values("pk", "menage_id", "decision", "decision_niveau", "decision_date_debut"):
        cle = (point["menage_id"], point["decision_niveau"], point["decision_date_debut"])
        points.setdefault(cle, []).append(point)
    a_lier = []
    for changement in ChangementNiveau.objects.filter(
        origine__in=("entree", "comite"), decision__isnull=True
    ).select_related("accompagnement"):
        candidats = points.get(
            (changement.accompagnement.menage_id, changement.nouveau_niveau, changement.date_effet), []
        )
        # The start of an episode comes from a validation; a change or renewal from the others.
        candidats = [
            p for p in candidats if (p["decision"] == "valider") == (changement.origine == "entree")
        ]
        if len(candidats) == 1:
            changement.decision_id = candidats[0]["pk"]
            a_lier.append(changement)
    ChangementNiveau.objects.bulk_update(a_lier, ["decision"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accompagnement", "0005_remplir_dates_decision_atteinte"),
        ("comites", "0005_dater_changements_niveau"),
    ]

    operations = [
        migrations.AddField(
            model_name="changementniveau",
            name="decision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="changements_niveau",
                to="comites.pointordredujour",
                verbose_name="décision du comité",
            ),
        ),
        migrations.RunPython(rattacher, migrations.RunPython.noop),
    ]
