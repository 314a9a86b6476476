"""Per-programme, per-year reference counters. Each counter starts at the highest number already
held by a reference of the form <programme's prefix>-<year>-<number>, whichever programme holds the
household (all references used to begin with "ASEA-"), so that no new reference can take an
existing one.

What could not be known: references typed in another form (such as the scale data's "ECH-000001")
belong to no numbering and start no counter; numbers skipped in the past are not given again."""

import re

import django.db.models.deletion
from django.db import migrations, models


def initialiser_compteurs(apps, schema_editor):
    Dispositif = apps.get_model("comptes", "Dispositif")
    Menage = apps.get_model("menages", "Menage")
    CompteurReference = apps.get_model("menages", "CompteurReference")
    for dispositif in Dispositif.objects.all():
        motif = re.compile(rf"^{re.escape(dispositif.prefixe_reference)}-(\d{{4}})-(\d+)$")
        derniers = {}
        references = Menage.objects.filter(reference__startswith=f"{dispositif.prefixe_reference}-")
        for reference in references.values_list("reference", flat=True).iterator():
            trouve = motif.match(reference)
            if trouve:
                annee, numero = int(trouve[1]), int(trouve[2])
                derniers[annee] = max(derniers.get(annee, 0), numero)
        CompteurReference.objects.bulk_create(
            CompteurReference(dispositif=dispositif, annee=annee, dernier=dernier)
            for annee, dernier in derniers.items()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("comptes", "0011_dispositif_prefixe_reference"),
        ("menages", "0015_consentements_depuis_les_dates"),
    ]

    operations = [
        migrations.CreateModel(
            name="CompteurReference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("annee", models.PositiveSmallIntegerField(verbose_name="année")),
                ("dernier", models.PositiveIntegerField(default=0, verbose_name="dernier numéro attribué")),
                (
                    "dispositif",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="compteurs_reference",
                        to="comptes.dispositif",
                    ),
                ),
            ],
            options={
                "verbose_name": "compteur de références",
                "verbose_name_plural": "compteurs de références",
                "constraints": [
                    models.UniqueConstraint(fields=("dispositif", "annee"), name="compteur_reference_unique")
                ],
            },
        ),
        migrations.RunPython(initialiser_compteurs, migrations.RunPython.noop),
    ]
