"""The dashboards list a user's households most recently modified first: with this index the
database reads the first few hundred in order instead of sorting every visible household."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("menages", "0007_index_diagnostic_parcours_type")]

    operations = [
        migrations.AddIndex(
            model_name="menage",
            index=models.Index(models.OrderBy(models.F("modifie_le"), descending=True), name="menage_modifie_le"),
        ),
    ]
