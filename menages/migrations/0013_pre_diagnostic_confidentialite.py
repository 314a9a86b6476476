"""Pre-diagnostics get the confidentiality levels of notes: those written by a social worker become
reserved to social workers, those written by landlord staff stay shared.

What could not be known: whether a social worker had meant her pre-diagnostic for the landlord
(nothing recorded it; she may share it again), and whether a landlord's pre-diagnostic speaks of
health (it stays shared: its author must read it back). The author's role is read as it is today,
not as it was when the pre-diagnostic was written."""

from django.db import migrations, models


def reserver_pre_diagnostics_des_travailleurs_sociaux(apps, schema_editor):
    PreDiagnostic = apps.get_model("menages", "PreDiagnostic")
    AttributionRole = apps.get_model("comptes", "AttributionRole")
    travailleurs_sociaux = AttributionRole.objects.filter(role="travailleur_social").values("utilisateur_id")
    PreDiagnostic.objects.filter(auteur_id__in=travailleurs_sociaux).update(confidentialite="travailleurs_sociaux")


class Migration(migrations.Migration):

    dependencies = [
        ('menages', '0012_remplir_saisines_etapes_bdf'),
    ]

    operations = [
        migrations.AddField(
            model_name='prediagnostic',
            name='confidentialite',
            field=models.CharField(choices=[('partage', 'Partagée avec tous les intervenants'), ('travailleurs_sociaux', 'Réservée aux travailleurs sociaux')], default='partage', help_text='Réservé aux travailleurs sociaux : le bailleur et la TISF voient qu’il existe, pas ce qu’il dit.', max_length=25, verbose_name='confidentialité'),
        ),
        migrations.RunPython(reserver_pre_diagnostics_des_travailleurs_sociaux, migrations.RunPython.noop),
    ]
