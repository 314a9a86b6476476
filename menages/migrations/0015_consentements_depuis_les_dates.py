"""Consent per partner, from the two dates the household carried (`date_information`, the notice
given, and `date_adhesion`, the household's adhesion to the support).

For each household with either date, a consent to sharing is recorded with each partner (landlord,
HDM, AFC, funders), dated the adhesion (or, without it, the notice), as the programme shared the
file with these partners from the adhesion on.

What could not be known:
- whether the household agreed to sharing with each partner separately: the old dates recorded the
  notice and the adhesion to the support, not a consent per partner; every partner is presumed
  agreed, as the notice of the programme named them all. The referent worker should check it with
  the household at the next renewal of the notice and withdraw what was not agreed;
- which version of the notice was given: recorded as « antérieure au registre des
  consentements (version inconnue) »;
- who recorded it: left empty;
- any withdrawal made before: none was recorded, none is created.
A household with neither date gets no consent: partners lose its social file (the landlord keeps
its tenant file) until the referent records the household's consent.
"""

from django.db import migrations

PARTENAIRES = ("bailleur", "iml", "tisf", "financeurs")
VERSION_INCONNUE = "antérieure au registre des consentements (version inconnue)"


def creer(apps, schema_editor):
    Menage = apps.get_model("menages", "Menage")
    ConsentementPartage = apps.get_model("menages", "ConsentementPartage")
    rows = []
    menages = Menage.objects.exclude(date_information__isnull=True, date_adhesion__isnull=True)
    for pk, information, adhesion in menages.values_list("pk", "date_information", "date_adhesion").iterator():
        date = adhesion or information
        rows.extend(
            ConsentementPartage(
                menage_id=pk, partenaire=partenaire, date_consentement=date, version_notice=VERSION_INCONNUE
            )
            for partenaire in PARTENAIRES
        )
    ConsentementPartage.objects.bulk_create(rows, batch_size=2000)


def supprimer(apps, schema_editor):
    apps.get_model("menages", "ConsentementPartage").objects.filter(version_notice=VERSION_INCONNUE).delete()


class Migration(migrations.Migration):
    dependencies = [("menages", "0014_consentement_partage")]

    operations = [migrations.RunPython(creer, supprimer)]
