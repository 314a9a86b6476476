"""The sessions closed before the states existed ("close") become held when the record shows they
were: attendance with at least one voting member present, or, for an urgent consultation, a
decision taken (each decision was refused without its quorum of opinions).

For the others (closed with nobody marked present and no decision) the record cannot tell whether
the session took place (attendance may simply not have been typed), nor, if it did not, why. They
are not guessed: they go back to "planned", and since their day has passed they show as « à
régulariser » to whoever runs the session, who records the attendance and closes it, or records it
as not held with its reason. Their minutes, if any were produced, are kept.

Going back, every settled session becomes "close" again (the reasons stay in motif_statut)."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def vers_etats(apps, schema_editor):
    Seance = apps.get_model("comites", "Seance")
    Presence = apps.get_model("comites", "Presence")
    PointOrdreDuJour = apps.get_model("comites", "PointOrdreDuJour")
    presents = Presence.objects.filter(seance=OuterRef("pk"), present=True, membre__voix_deliberative=True)
    decisions = PointOrdreDuJour.objects.filter(seance=OuterRef("pk")).exclude(decision="")
    closes = Seance.objects.filter(statut="close")
    closes.filter(Q(Exists(presents)) | Q(Exists(decisions), urgente=True)).update(statut="tenue")
    closes.update(statut="planifiee", close_le=None)


def vers_close(apps, schema_editor):
    Seance = apps.get_model("comites", "Seance")
    Seance.objects.filter(statut__in=["tenue", "non_tenue", "annulee"]).update(statut="close")


class Migration(migrations.Migration):
    dependencies = [
        ("comites", "0003_seance_etats"),
    ]

    operations = [migrations.RunPython(vers_etats, vers_close)]
