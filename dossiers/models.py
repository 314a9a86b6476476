"""The household's right of access (GDPR art. 15): a request prepared by its social worker, which
the data protection officer (role DPO) reviews — he or she may withhold a note, with a written
reason — before the PDF of the whole file is released. And the imports of an existing caseload
(`ImportMenages`, see `dossiers.importation`)."""

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


class StatutImport(models.TextChoices):
    SIMULATION = "simulation", "Simulé, en attente de confirmation"
    IMPORTE = "importe", "Importé"


class ImportMenagesQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The imports of the programmes an administrator may import into: those of her
        organisation (views_import._dispositifs), none without an organisation."""
        if not user or not user.is_authenticated or not user.is_active or not user.est_administrateur:
            return self.none()
        if user.organisation_id is None:
            return self.none()
        return self.filter(dispositif__organisations=user.organisation_id)


class ImportMenages(models.Model):
    """One import of an existing caseload (households, members, referral, step and level, past
    contacts) into a programme. A file checked and simulated waits here, its content kept, until
    the administrator confirms it (then its content is emptied) or abandons it (the row goes); an
    unconfirmed simulation is deleted after a day. The imported row is the trace: who, when, which
    file, what it created."""

    dispositif = models.ForeignKey(
        "comptes.Dispositif",
        on_delete=models.PROTECT,
        related_name="imports_menages",
        verbose_name="dispositif",
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="auteur",
    )
    nom_fichier = models.CharField("fichier", max_length=255)
    empreinte = models.CharField("empreinte SHA-256 du fichier", max_length=64)
    contenu = models.BinaryField("contenu du fichier (jusqu’à la confirmation)", blank=True, default=b"")
    statut = models.CharField(
        "statut", max_length=20, choices=StatutImport.choices, default=StatutImport.SIMULATION
    )
    cree_le = models.DateTimeField("simulé le", default=timezone.now)
    importe_le = models.DateTimeField("importé le", null=True, blank=True)
    menages = models.PositiveIntegerField("ménages créés", default=0)
    membres = models.PositiveIntegerField("membres créés", default=0)
    accompagnements = models.PositiveIntegerField("accompagnements créés", default=0)
    contacts = models.PositiveIntegerField("contacts créés", default=0)

    objects = ImportMenagesQuerySet.as_manager()

    class Meta:
        verbose_name = "import de ménages"
        verbose_name_plural = "imports de ménages"
        ordering = ["-cree_le", "-pk"]

    def __str__(self):
        return f"Import de ménages « {self.nom_fichier} » ({self.cree_le:%d/%m/%Y})"
