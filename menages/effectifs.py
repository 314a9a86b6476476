"""The landlords' counts by step (EffectifBailleur), kept equal to the count of their tenants
(`MenageQuerySet.locataires_visible_to`: the landlord's households in the programme) and of the
households a landlord's staff see (`visible_to`: those of them whose consent to sharing with the
landlord stands).

Every change that can move a count recomputes the counts it touches, in the transaction of the
change: a household created, deleted, or moved to another landlord, programme or step (saved through
the services, the admin or a cascade); a consent given, withdrawn, corrected or removed. Bulk loads
that bypass the signals (the CSV import, the demo's seeds) call recalculer() at the end, and a
nightly task recomputes everything as a safety net."""

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from comptes.models import Organisation
from menages.enums import Partenaire
from menages.models import ConsentementPartage, EffectifBailleur, Menage

# What a count depends on, of a household (by field name or column name in `update_fields`).
CHAMPS = frozenset({"bailleur", "dispositif", "etat", "bailleur_id", "dispositif_id"})


def _partage():
    """Whether the household's consent to share with the landlord stands."""
    return Exists(
        ConsentementPartage.objects.actifs().filter(menage=OuterRef("pk"), partenaire=Partenaire.BAILLEUR)
    )


def recalculer(*, bailleur_id=None, dispositif_id=None) -> None:
    """Recompute the counts in the scope given (each argument narrows it; none: all of them)."""
    menages = Menage.objects.filter(bailleur__isnull=False)
    effectifs = EffectifBailleur.objects.all()
    if bailleur_id is not None:
        menages = menages.filter(bailleur_id=bailleur_id)
        effectifs = effectifs.filter(bailleur_id=bailleur_id)
    if dispositif_id is not None:
        menages = menages.filter(dispositif_id=dispositif_id)
        effectifs = effectifs.filter(dispositif_id=dispositif_id)
    with transaction.atomic():
        Organisation.objects.verrouiller_bailleurs(bailleur_id)  # one recomputation at a time
        lignes = [
            EffectifBailleur(bailleur_id=b, dispositif_id=d, etat=e, locataires=n, nombre=partage)
            for b, d, e, n, partage in menages.order_by()
            .values_list("bailleur_id", "dispositif_id", "etat")
            .annotate(n=Count("pk"), partage=Count("pk", filter=_partage()))
            .values_list("bailleur_id", "dispositif_id", "etat", "n", "partage")
        ]
        effectifs.delete()
        EffectifBailleur.objects.bulk_create(lignes, batch_size=1000)


def _recalculer(*cles):
    """Recompute the counts of the (landlord, programme, step) keys given, once each, in as many
    queries whatever the counts: a step left without households keeps its row, at zero."""
    for bailleur_id, dispositif_id, etat in sorted({c for c in cles if c and c[0] is not None}):
        with transaction.atomic():
            Organisation.objects.verrouiller_bailleurs(bailleur_id)
            compte = Menage.objects.filter(
                bailleur_id=bailleur_id, dispositif_id=dispositif_id, etat=etat
            ).aggregate(locataires=Count("pk"), nombre=Count("pk", filter=_partage()))
            EffectifBailleur.objects.bulk_create(
                [EffectifBailleur(bailleur_id=bailleur_id, dispositif_id=dispositif_id, etat=etat, **compte)],
                update_conflicts=True,
                unique_fields=["bailleur", "dispositif", "etat"],
                update_fields=["locataires", "nombre"],
            )


def _cle(menage_id):
    if menage_id is None:
        return None
    return Menage.objects.filter(pk=menage_id).values_list("bailleur_id", "dispositif_id", "etat").first()


@receiver(pre_save, sender=Menage, dispatch_uid="effectifs_menage_avant")
def menage_avant(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._cle_effectifs = None
    if raw or instance.pk is None:
        return
    if update_fields is not None and not CHAMPS & set(update_fields):
        return
    instance._cle_effectifs = _cle(instance.pk)


@receiver(post_save, sender=Menage, dispatch_uid="effectifs_menage_apres")
def menage_apres(sender, instance, raw=False, created=False, **kwargs):
    if raw:
        return
    apres = (instance.bailleur_id, instance.dispositif_id, instance.etat)
    if created:
        # A new tenant (without consent yet, or the counts are recomputed by its loader).
        _recalculer(apres)
        return
    avant = getattr(instance, "_cle_effectifs", None)
    if avant is not None and avant != apres:
        _recalculer(avant, apres)


@receiver(post_delete, sender=Menage, dispatch_uid="effectifs_menage_supprime")
def menage_supprime(sender, instance, **kwargs):
    _recalculer((instance.bailleur_id, instance.dispositif_id, instance.etat))


@receiver(pre_save, sender=ConsentementPartage, dispatch_uid="effectifs_consentement_avant")
def consentement_avant(sender, instance, raw=False, **kwargs):
    # A correction may move a consent to another household or partner: both counts change.
    instance._menage_avant = None
    if not raw and instance.pk is not None:
        instance._menage_avant = (
            ConsentementPartage.objects.filter(pk=instance.pk).values_list("menage_id", flat=True).first()
        )


@receiver(post_save, sender=ConsentementPartage, dispatch_uid="effectifs_consentement_apres")
def consentement_apres(sender, instance, raw=False, **kwargs):
    if not raw:
        _recalculer(_cle(instance.menage_id), _cle(getattr(instance, "_menage_avant", None)))


@receiver(post_delete, sender=ConsentementPartage, dispatch_uid="effectifs_consentement_supprime")
def consentement_supprime(sender, instance, **kwargs):
    # In a household's deletion, its consents go first: the household is still there to read.
    _recalculer(_cle(instance.menage_id))
