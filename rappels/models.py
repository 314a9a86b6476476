"""Reminders: each one is a row with an idempotency key, created by the scheduled generation and
sent (in-app always, by email as the person prefers) by a periodic task that claims rows with
SELECT … FOR UPDATE SKIP LOCKED."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from menages.models import Menage
from rappels.enums import ModeCourriel, StatutEnvoi, TypeRappel

# Reminders about the tenant file (the arrears), read by the landlord's staff whether or not the
# household consented to sharing its social file with the landlord.
TYPES_DOSSIER_LOCATIF = (TypeRappel.IMPAYES, TypeRappel.LOYER_INCONNU)


class RappelQuerySet(models.QuerySet):
    def pour(self, user):
        """The reminders `user` reads now: theirs, due, and still in their scope."""
        return self.filter(destinataire=user, du_le__lte=timezone.now()).dans_le_perimetre(user)

    def dans_le_perimetre(self, user):
        """Reminders checked again against `user`'s current scope: one about a household they may
        no longer see (moved to another landlord, an intervention ended, consent withdrawn)
        disappears, from the centre as from the emails not yet sent."""
        return self.filter(
            Q(menage__isnull=True)
            | Q(menage__in=Menage.objects.visible_to(user))
            # The arrears are about the tenant file: the landlord's legal role, consent or not.
            | Q(type__in=TYPES_DOSSIER_LOCATIF, menage__in=Menage.objects.locataires_visible_to(user))
        )

    def non_lus(self):
        return self.filter(lu_le__isnull=True)


class Rappel(models.Model):
    cle = models.CharField("clé d’idempotence", max_length=200, unique=True)
    type = models.CharField("type", max_length=30, choices=TypeRappel.choices)
    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rappels"
    )
    menage = models.ForeignKey(
        Menage, on_delete=models.CASCADE, null=True, blank=True, related_name="rappels"
    )
    titre = models.CharField("titre", max_length=250)
    lien = models.CharField("lien", max_length=250, blank=True)
    du_le = models.DateTimeField("dû le", default=timezone.now, db_index=True)
    statut = models.CharField(
        "envoi", max_length=20, choices=StatutEnvoi.choices, default=StatutEnvoi.A_ENVOYER
    )
    envoye_le = models.DateTimeField(null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)
    lu_le = models.DateTimeField("lu le", null=True, blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    objects = RappelQuerySet.as_manager()

    class Meta:
        verbose_name = "rappel"
        verbose_name_plural = "rappels"
        ordering = ["-du_le", "-pk"]
        indexes = [models.Index(fields=["statut", "du_le"], name="rappel_a_envoyer")]

    def __str__(self):
        return self.titre


class PreferenceNotification(models.Model):
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences_notification"
    )
    type = models.CharField("type", max_length=30, choices=TypeRappel.choices)
    mode = models.CharField(
        "courriel", max_length=20, choices=ModeCourriel.choices, default=ModeCourriel.IMMEDIAT
    )

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"
        constraints = [models.UniqueConstraint(fields=["utilisateur", "type"], name="preference_unique")]

    def __str__(self):
        return f"{self.utilisateur} – {self.get_type_display()} : {self.get_mode_display()}"


class VisiteTableauDeBord(models.Model):
    """When a person last opened their dashboard, so that it can show what is new since then.
    `precedente` is the visit before the current one: reloading the page within a visit
    (DUREE_VISITE) keeps showing the same news."""

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visite_tableau_de_bord"
    )
    derniere = models.DateTimeField("dernière visite")
    precedente = models.DateTimeField("visite précédente", null=True, blank=True)

    class Meta:
        verbose_name = "visite du tableau de bord"
        verbose_name_plural = "visites du tableau de bord"

    def __str__(self):
        return f"{self.utilisateur} – {self.derniere:%d/%m/%Y %H:%M}"
