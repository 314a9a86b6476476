"""The lists and dashboards count the visible households by step: with this covering index the
database reads the steps from the index alone, merged with the intervenants' visibility index,
instead of reading every household's row."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("menages", "0008_menage_modifie_le_index")]

    operations = [
        migrations.AddIndex(
            model_name="menage",
            index=models.Index(fields=["id", "etat", "dispositif", "bailleur"], name="menage_comptes"),
        ),
    ]
