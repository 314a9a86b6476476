"""Writes on households. Each service runs in a transaction; the audit trail records the change."""

import datetime

from django.db import transaction

from comptes.models import Commune, Dispositif, Organisation
from menages.enums import TypeIntervention
from menages.models import Intervenant, Menage


def next_reference(dispositif: Dispositif, year: int) -> str:
    """The next free reference of the year, e.g. ASEA-2026-0007. Call inside a transaction that
    holds a lock on the programme row, so that two creations cannot take the same number."""
    prefix = f"ASEA-{year}-"
    last = (
        Menage.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def creer_menage(
    *,
    dispositif: Dispositif,
    nom: str,
    bailleur: Organisation | None = None,
    commune: Commune | None = None,
    date_saisine: datetime.date | None = None,
) -> Menage:
    Dispositif.objects.select_for_update().get(pk=dispositif.pk)
    menage = Menage(dispositif=dispositif, nom=nom, bailleur=bailleur, commune=commune)
    if date_saisine:
        menage.date_saisine = date_saisine
    menage.reference = next_reference(dispositif, menage.date_saisine.year)
    menage.full_clean()
    menage.save()
    return menage


@transaction.atomic
def ajouter_intervenant(
    *,
    menage: Menage,
    type: TypeIntervention,
    organisation: Organisation | None = None,
    utilisateur=None,
    nom_externe: str = "",
    fonction: str = "",
    date_debut: datetime.date | None = None,
) -> Intervenant:
    intervenant = Intervenant(
        menage=menage,
        type=type,
        organisation=organisation or (utilisateur.organisation if utilisateur else None),
        utilisateur=utilisateur,
        nom_externe=nom_externe,
        fonction=fonction,
    )
    if date_debut:
        intervenant.date_debut = date_debut
    intervenant.full_clean()
    intervenant.save()
    return intervenant
