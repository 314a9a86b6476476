"""Fill the dated facts the funder figures read, from what the database still knows.

- Referrals (`Saisine`), one per path of each household. The current path takes the household's
  fields as they are. An earlier path takes the values its household had at that path's last
  recorded event, rebuilt from the audit trail (the oldest change made after that moment gives the
  value before it). What could not be known: the referral facts of an earlier path whose household
  has no audit trail (files created in bulk, trails purged by retention); such a path takes the
  household's current values, which a later referral may have overwritten. The date of an earlier
  path is its first recorded event (its referral); without one, the current referral date.
- Steps of over-indebtedness files (`EtapeDossierBdf`): every change of a debt's step recorded in
  the audit trail, on its day. What could not be known: the date of a step of a debt without such
  an entry; it takes the date of the household's current referral.
- Members' arrival: a member born after the household's first referral arrived at birth. What
  could not be known: the arrival of other members without an arrival date; they stay without one,
  read as present since the household's first referral.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

PARIS = ZoneInfo(getattr(settings, "TIME_ZONE", "Europe/Paris") or "Europe/Paris")
CHAMPS = ("source_orientation", "problematique", "bailleur")


def _jour(instant):
    return instant.astimezone(PARIS).date()


def _entrees_journal(apps, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    ct = ContentType.objects.filter(app_label="menages", model=model).first()
    if ct is None:
        return {}
    par_objet = {}
    for object_pk, timestamp, changes in (
        LogEntry.objects.filter(content_type=ct)
        .order_by("timestamp", "pk")
        .values_list("object_pk", "timestamp", "changes")
    ):
        if isinstance(changes, dict):
            par_objet.setdefault(object_pk, []).append((timestamp, changes))
    return par_objet


def _valeur_journal(brute):
    return None if brute in (None, "None", "") else brute


def remplir(apps, schema_editor):
    Menage = apps.get_model("menages", "Menage")
    Saisine = apps.get_model("menages", "Saisine")
    EvenementParcours = apps.get_model("menages", "EvenementParcours")
    Dette = apps.get_model("menages", "Dette")
    EtapeDossierBdf = apps.get_model("menages", "EtapeDossierBdf")
    Membre = apps.get_model("menages", "Membre")

    journal = _entrees_journal(apps, "menage")
    evenements = {}
    for menage_id, parcours, date in EvenementParcours.objects.order_by("date", "pk").values_list(
        "menage_id", "numero_parcours", "date"
    ):
        evenements.setdefault((menage_id, parcours), []).append(date)

    saisines = []
    for menage in Menage.objects.all().iterator(chunk_size=2000):
        actuel = {
            "source_orientation": menage.source_orientation,
            "problematique": menage.problematique,
            "bailleur": str(menage.bailleur_id) if menage.bailleur_id else None,
        }
        for parcours in range(1, menage.numero_parcours + 1):
            valeurs = dict(actuel)
            dates = evenements.get((menage.pk, parcours), [])
            if parcours < menage.numero_parcours and dates:
                fin = dates[-1]
                for champ in CHAMPS:
                    for timestamp, changes in journal.get(str(menage.pk), []):
                        if timestamp > fin and champ in changes:
                            valeurs[champ] = _valeur_journal(changes[champ][0])
                            break
            date = menage.date_saisine if parcours == menage.numero_parcours or not dates else _jour(dates[0])
            saisines.append(
                Saisine(
                    menage_id=menage.pk,
                    numero_parcours=parcours,
                    date=date,
                    source_orientation=valeurs["source_orientation"] or menage.source_orientation,
                    problematique=valeurs["problematique"] or menage.problematique,
                    bailleur_id=int(valeurs["bailleur"]) if valeurs["bailleur"] else None,
                )
            )
    Saisine.objects.bulk_create(saisines, batch_size=2000, ignore_conflicts=True)

    journal_dettes = _entrees_journal(apps, "dette")
    etapes = []
    for dette in Dette.objects.select_related("menage").iterator(chunk_size=2000):
        trouvees = [
            (timestamp, changes["etape_bdf"][1])
            for timestamp, changes in journal_dettes.get(str(dette.pk), [])
            if "etape_bdf" in changes and _valeur_journal(changes["etape_bdf"][1])
        ]
        if not trouvees and dette.etape_bdf:
            trouvees = [(None, dette.etape_bdf)]
        for timestamp, etape in trouvees:
            etapes.append(
                EtapeDossierBdf(
                    menage_id=dette.menage_id,
                    dette_id=dette.pk,
                    etape=etape,
                    date=_jour(timestamp) if timestamp else dette.menage.date_saisine,
                )
            )
    EtapeDossierBdf.objects.bulk_create(etapes, batch_size=2000)

    membres = []
    for membre in Membre.objects.filter(date_entree__isnull=True, date_naissance__isnull=False).select_related(
        "menage"
    ):
        if membre.date_naissance > _jour(membre.menage.cree_le) and (
            membre.date_sortie is None or membre.date_sortie >= membre.date_naissance
        ):
            membre.date_entree = membre.date_naissance
            membres.append(membre)
    Membre.objects.bulk_update(membres, ["date_entree"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("menages", "0011_saisine_etapes_bdf"),
        ("auditlog", "__latest__"),
        ("contenttypes", "__latest__"),
    ]

    operations = [migrations.RunPython(remplir, migrations.RunPython.noop)]
