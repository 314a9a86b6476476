"""The household's right of access (GDPR art. 15): a request prepared by its social worker, which
the data protection officer (role DPO) reviews — he or she may withhold a note, with a written
reason — before the PDF of the whole file is released."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from comptes.selectors import dispositifs_courants
from menages.models import Menage, RattacheAuMenage


def chemin_pdf(demande, filename):
    return f"acces/{demande.menage_id}/{filename}"


class DemandeAccesQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The data protection officer sees the requests of the programmes his or her organisation
        takes part in; the others see those about households they may open."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.DPO) and user.organisation_id:
            return self.filter(menage__dispositif__in=dispositifs_courants(user))
        return self.filter(menage__in=Menage.objects.visible_to(user))

    def a_relire(self):
        return self.filter(publiee_le__isnull=True)


class DemandeAcces(RattacheAuMenage):
    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="demandes_acces")
    demandee_le = models.DateTimeField("demandée le", default=timezone.now)
    demandee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="préparée par"
    )
    publiee_le = models.DateTimeField("remise le", null=True, blank=True)
    publiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fichier = models.FileField("PDF remis", upload_to=chemin_pdf, blank=True)

    objects = DemandeAccesQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d’accès au dossier"
        verbose_name_plural = "demandes d’accès au dossier"
        ordering = ["-demandee_le", "-pk"]

    def __str__(self):
        return f"Demande d’accès – {self.menage.reference} ({self.demandee_le:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("dossiers:acces_relire", args=[self.pk])

    @property
    def publiee(self) -> bool:
        return self.publiee_le is not None


class NoteRetenue(RattacheAuMenage):
    """A note the data protection officer keeps out of the household's export, and why."""

    menage_via = "demande"

    demande = models.ForeignKey(DemandeAcces, on_delete=models.CASCADE, related_name="notes_retenues")
    contact = models.ForeignKey("accompagnement.Contact", on_delete=models.CASCADE, related_name="+")
    motif = models.TextField("motif")
    retenue_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    retenue_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "note retenue"
        verbose_name_plural = "notes retenues"
        constraints = [models.UniqueConstraint(fields=["demande", "contact"], name="note_retenue_unique")]

    def __str__(self):
        return f"Note du {timezone.localtime(self.contact.date):%d/%m/%Y} retenue"
