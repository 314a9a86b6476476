"""Objectives get the confidentiality levels of notes; those of the « accès aux soins » axis become
reserved to social workers.

What could not be known: whether a health objective had been agreed with the household to be
shared with the landlord or the TISF (nothing recorded it), so every existing health objective is
reserved, and its social worker may share it again; nor whether an objective of another axis
(an orientation to addiction care, say) speaks of health in its wording, so those stay shared as
they were shown until now."""

from django.db import migrations, models


def reserver_objectifs_sante(apps, schema_editor):
    Objectif = apps.get_model("accompagnement", "Objectif")
    Objectif.objects.filter(axe="soins").update(confidentialite="travailleurs_sociaux")


class Migration(migrations.Migration):
    dependencies = [
        ("accompagnement", "0007_accompagnement_fin_decision"),
    ]

    operations = [
        migrations.AddField(
            model_name="objectif",
            name="confidentialite",
            field=models.CharField(
                choices=[
                    ("partage", "Partagée avec tous les intervenants"),
                    ("travailleurs_sociaux", "Réservée aux travailleurs sociaux"),
                ],
                default="partage",
                help_text="Un objectif d’accès aux soins est réservé aux travailleurs sociaux, sauf choix contraire.",
                max_length=25,
                verbose_name="confidentialité",
            ),
        ),
        migrations.RunPython(reserver_objectifs_sante, migrations.RunPython.noop),
    ]
