"""Leases recorded from the « signature du bail » key moment.

DOMAINE: each lease is its own dated event, and the key moment keeps its planning role. A lease
signed through an attribution is recorded by the attribution (`services._enregistrer_baux`); a
worker may also only mark the key moment « signature du bail » as done, without an attribution
(a dwelling found outside the programme, a lease signed with another landlord): that lease is
recorded here, so that « access achieved » does not miss it.

accompagnement lies below logements: this app listens to the key moment being saved (post_save of
`TempsFort`) and keeps one lease for it, linked to it (`Bail.temps_fort`):
- marked done: a lease on the key moment's day (direct, or through IML when the household's
  latest attribution is an IML one not yet glided), unless an attribution of the household holds a
  lease signed that day, its own or the direct lease its IML glide (`date_glissement`) made (the
  attribution records that one);
- its day corrected while still done: the same lease moves with it;
- moved to another day by an attribution (the attribution flow reuses the household's key moment
  for its own lease, done or still to come), or moved and marked not done: the earlier lease stays
  as it is, its own event, no longer tied to the key moment;
- marked not done on the same day (or no longer a lease signing): its lease goes, it was not
  signed.
A key moment deleted, or emptied by retention, leaves its lease: the lease is the fact."""

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone

from accompagnement.enums import TypeTempsFort
from accompagnement.models import TempsFort
from logements.enums import TypeBail
from logements.models import Attribution, Bail


def _type_bail(menage_id) -> str:
    attribution = Attribution.objects.filter(menage_id=menage_id).order_by("-date_proposition", "-pk").first()
    if attribution is not None and attribution.iml and not attribution.date_glissement:
        return TypeBail.IML
    return TypeBail.DIRECT


@transaction.atomic
def enregistrer_bail_du_temps_fort(*, temps_fort: TempsFort) -> Bail | None:
    """Keep the lease of a « signature du bail » key moment in step with it (see the module's
    docstring). Returns the key moment's lease, or None when it has none."""
    bail = Bail.objects.select_for_update().filter(temps_fort=temps_fort).first()
    jour = timezone.localtime(temps_fort.date_prevue).date()
    signe = temps_fort.type == TypeTempsFort.SIGNATURE and temps_fort.realise
    # An attribution that holds a lease signed that day records it itself: its lease, or the direct
    # lease of its IML glide (services.glisser_bail marks the glide's signature as a key moment).
    attribue = (
        signe
        and Attribution.objects.filter(menage_id=temps_fort.menage_id)
        .filter(Q(date_bail=jour) | Q(iml=True, date_glissement=jour))
        .exists()
    )
    if bail is not None and bail.date_signature != jour and (attribue or not signe):
        # The key moment now plans another signing (an attribution's, maybe not signed yet): the
        # lease recorded from it stays, its own event, no longer tied to it.
        bail.temps_fort = None
        bail.save(update_fields=["temps_fort"])
        bail = None
    if attribue or not signe:
        if bail is not None:
            # The same day: not signed after all, or the attribution's own lease.
            bail.delete()
        return None
    if bail is None:
        # A lease of that day already recorded from this key moment before leases were tied to it
        # (migration 0008) is this lease: it is tied to it now, not recorded twice.
        bail = (
            Bail.objects.select_for_update()
            .filter(
                menage_id=temps_fort.menage_id,
                date_signature=jour,
                attribution__isnull=True,
                temps_fort__isnull=True,
            )
            .first()
        )
        if bail is not None:
            bail.temps_fort = temps_fort
            bail.save(update_fields=["temps_fort"])
            return bail
        return Bail.objects.create(
            menage_id=temps_fort.menage_id,
            temps_fort=temps_fort,
            type=_type_bail(temps_fort.menage_id),
            date_signature=jour,
        )
    if bail.date_signature != jour:
        # A correction of the day the lease was signed.
        bail.date_signature = jour
        bail.save(update_fields=["date_signature"])
    return bail


def _temps_fort_enregistre(sender, instance, raw=False, **kwargs):
    if not raw:
        enregistrer_bail_du_temps_fort(temps_fort=instance)


def connecter():
    post_save.connect(_temps_fort_enregistre, sender=TempsFort, dispatch_uid="logements.bail_du_temps_fort")
