"""One search column per household (name, reference, members' names), filled for existing
households, with a trigram index on PostgreSQL; the per-column trigram indexes of 0004 are no
longer used by the search and go."""

from django.db import migrations, models

from menages.search import texte_recherche


def remplir(apps, schema_editor):
    Menage = apps.get_model("menages", "Menage")
    Membre = apps.get_model("menages", "Membre")
    membres = {}
    for menage_id, nom, prenom in Membre.objects.values_list("menage_id", "nom", "prenom").iterator():
        membres.setdefault(menage_id, []).append(f"{nom} {prenom}")
    lot = []
    for pk, nom, reference in Menage.objects.values_list("pk", "nom", "reference").iterator():
        lot.append(Menage(pk=pk, texte_recherche=texte_recherche(nom, reference, membres.get(pk, []))))
        if len(lot) == 2000:
            Menage.objects.bulk_update(lot, ["texte_recherche"])
            lot = []
    Menage.objects.bulk_update(lot, ["texte_recherche"])


def creer_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS menage_texte_recherche_trgm ON menages_menage "
        "USING gin (texte_recherche gin_trgm_ops)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS menage_nom_recherche_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS membre_nom_recherche_trgm")


def supprimer_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS menage_texte_recherche_trgm")
    for table, name in (("menages_menage", "menage_nom_recherche_trgm"), ("menages_membre", "membre_nom_recherche_trgm")):
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (nom_recherche gin_trgm_ops)")


class Migration(migrations.Migration):
    dependencies = [("menages", "0004_recherche_trigrammes")]

    operations = [
        migrations.AddField(
            model_name="menage",
            name="texte_recherche",
            field=models.TextField(
                default="",
                editable=False,
                help_text="Nom, référence et noms des membres, normalisés (recherche).",
            ),
        ),
        migrations.RunPython(remplir, migrations.RunPython.noop),
        migrations.RunPython(creer_index, supprimer_index),
    ]
