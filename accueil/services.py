"""Writes of the home layer: the key of a professional's calendar feed. The audit trail records
its creation and revocation (not its hash)."""

import secrets

from django.db import transaction

from accueil.models import JetonCalendrier, empreinte


@transaction.atomic
def creer_jeton_calendrier(*, utilisateur) -> str:
    """Give `utilisateur` a new feed address; the previous one stops working. Returns the secret,
    which is stored only as its hash."""
    JetonCalendrier.objects.filter(utilisateur=utilisateur).delete()
    jeton = secrets.token_urlsafe(32)
    JetonCalendrier.objects.create(utilisateur=utilisateur, empreinte=empreinte(jeton))
    return jeton


@transaction.atomic
def revoquer_jeton_calendrier(*, utilisateur) -> bool:
    """The feed address of `utilisateur` stops working. Returns whether there was one."""
    supprimes, _ = JetonCalendrier.objects.filter(utilisateur=utilisateur).delete()
    return bool(supprimes)


def utilisateur_du_jeton(jeton: str):
    """The active user whose feed address carries `jeton`, or None."""
    ligne = (
        JetonCalendrier.objects.filter(empreinte=empreinte(jeton), utilisateur__is_active=True)
        .select_related("utilisateur__organisation")
        .first()
    )
    return ligne.utilisateur if ligne else None
