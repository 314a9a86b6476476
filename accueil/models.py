"""The key of a professional's calendar feed: the feed is read without logging in, by a secret
in its address. Only the secret's SHA-256 is stored, so that the database (or its backup) does not
hand out working addresses; the address is shown once, when it is made."""

import hashlib

from django.conf import settings
from django.db import models


def empreinte(jeton: str) -> str:
    return hashlib.sha256(jeton.encode()).hexdigest()


class JetonCalendrier(models.Model):
    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jeton_calendrier"
    )
    empreinte = models.CharField("empreinte du jeton", max_length=64, unique=True)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "adresse d’agenda"
        verbose_name_plural = "adresses d’agenda"

    def __str__(self):
        return f"Agenda de {self.utilisateur}"
