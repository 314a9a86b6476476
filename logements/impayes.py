"""The monthly arrears totals per landlord and programme (ImpayesMensuels), kept equal to the sum
of the balances (SoldeLocatif) they summarise.

Every change that can move a total recomputes the totals it touches, in the transaction of the
change: a balance saved or deleted (through the services, the admin or a cascade), a household
moved to another landlord or programme. Bulk loads that bypass the signals (demo's seed_scale) call
recalculer() at the end, and a nightly task recomputes everything as a safety net."""

from django.db import transaction
from django.db.models import Sum
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from comptes.models import Organisation
from logements.models import ImpayesMensuels, SoldeLocatif


def recalculer(*, bailleur_id=None, dispositif_id=None, mois=None) -> None:
    """Recompute the totals in the scope given (each argument narrows it; none: all of them)."""
    balances = SoldeLocatif.objects.all()
    totals = ImpayesMensuels.objects.all()
    if bailleur_id is not None:
        balances = balances.filter(menage__bailleur_id=bailleur_id)
        totals = totals.filter(bailleur_id=bailleur_id)
    if dispositif_id is not None:
        balances = balances.filter(menage__dispositif_id=dispositif_id)
        totals = totals.filter(dispositif_id=dispositif_id)
    if mois is not None:
        balances = balances.filter(mois=mois)
        totals = totals.filter(mois=mois)
    with transaction.atomic():
        Organisation.objects.verrouiller_bailleurs(bailleur_id)  # one recomputation at a time
        rows = [
            ImpayesMensuels(bailleur_id=b, dispositif_id=d, mois=m, total=total)
            for b, d, m, total in balances.filter(menage__bailleur__isnull=False)
            .values_list("menage__bailleur_id", "menage__dispositif_id", "mois")
            .annotate(total=Sum("solde"))
            .values_list("menage__bailleur_id", "menage__dispositif_id", "mois", "total")
            .order_by()
        ]
        totals.delete()
        ImpayesMensuels.objects.bulk_create(rows, batch_size=1000)


def _recalculer_pour_menage(menage_id, mois=None, paire=None):
    from menages.models import Menage

    if paire is None:
        paire = Menage.objects.filter(pk=menage_id).values_list("bailleur_id", "dispositif_id").first()
    if paire is None or paire[0] is None:
        return
    recalculer(bailleur_id=paire[0], dispositif_id=paire[1], mois=mois)


@receiver(post_save, sender=SoldeLocatif, dispatch_uid="impayes_solde_enregistre")
def solde_enregistre(sender, instance, raw=False, **kwargs):
    if not raw:
        _recalculer_pour_menage(instance.menage_id, instance.mois)
        if getattr(instance, "_mois_avant", instance.mois) != instance.mois:
            _recalculer_pour_menage(instance.menage_id, instance._mois_avant)


@receiver(pre_save, sender=SoldeLocatif, dispatch_uid="impayes_solde_modifie")
def solde_modifie(sender, instance, raw=False, **kwargs):
    # A correction may move a balance to another month: the old month's total changes too.
    if not raw and instance.pk is not None:
        instance._mois_avant = (
            SoldeLocatif.objects.filter(pk=instance.pk).values_list("mois", flat=True).first()
        )


@receiver(post_delete, sender=SoldeLocatif, dispatch_uid="impayes_solde_supprime")
def solde_supprime(sender, instance, **kwargs):
    _recalculer_pour_menage(instance.menage_id, instance.mois)


def _menage_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._paire_impayes = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"bailleur", "dispositif"} & set(update_fields):
        return
    instance._paire_impayes = (
        type(instance).objects.filter(pk=instance.pk).values_list("bailleur_id", "dispositif_id").first()
    )


def _menage_post_save(sender, instance, raw=False, **kwargs):
    # A household moved to another landlord or programme takes its balances with it.
    avant = getattr(instance, "_paire_impayes", None)
    if raw or avant is None or avant == (instance.bailleur_id, instance.dispositif_id):
        return
    if not SoldeLocatif.objects.filter(menage_id=instance.pk).exists():
        return
    _recalculer_pour_menage(instance.pk, paire=avant)
    _recalculer_pour_menage(instance.pk, paire=(instance.bailleur_id, instance.dispositif_id))


def connecter():
    """Connect the receivers that watch households (called from LogementsConfig.ready, once the
    menages app is loaded)."""
    from menages.models import Menage

    pre_save.connect(_menage_pre_save, sender=Menage, dispatch_uid="impayes_menage_avant")
    post_save.connect(_menage_post_save, sender=Menage, dispatch_uid="impayes_menage_apres")
