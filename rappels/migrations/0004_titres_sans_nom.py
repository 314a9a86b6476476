"""Reminder titles no longer name the household nor show amounts (issue #18): the titles already
stored are rewritten as « Dossier <référence> : <kind of reminder>. ».

What could not be known: the details the old titles held besides the name (the date of the last
contact, the level's end date, the objective, the arrears month...) are not parsed back out of free
text; the rewritten title gives the kind of reminder and the file's reference, and the link (kept)
opens the file, where the details are. Reminders about no household (sessions) are left as they
were: they name no household.
"""

from django.db import migrations

# The kinds' labels as of this migration (rappels.enums.TypeRappel).
LIBELLES = {
    "contact_en_retard": "contact en retard sur le rythme",
    "echeance_niveau": "fin de durée du niveau proche",
    "validation_en_attente": "validation de financeur sans réponse",
    "diagnostic_en_attente": "diagnostic non réalisé",
    "revue_objectif": "objectif à revoir",
    "temps_fort_demain": "temps fort demain",
    "impayes": "seuil d’impayés franchi",
    "suivi_post_sortie": "situation à 6 ou 12 mois après la sortie",
    "consentement": "notice d’information et consentement à renouveler",
}


def reecrire(apps, schema_editor):
    Rappel = apps.get_model("rappels", "Rappel")
    rappels = list(Rappel.objects.filter(menage__isnull=False).select_related("menage"))
    for rappel in rappels:
        libelle = LIBELLES.get(rappel.type, "rappel")
        rappel.titre = f"Dossier {rappel.menage.reference} : {libelle}."
    Rappel.objects.bulk_update(rappels, ["titre"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("rappels", "0003_dossier_locatif_et_visites")]

    operations = [migrations.RunPython(reecrire, migrations.RunPython.noop)]
