"""The household file. Who may see a household is decided here, in MenageQuerySet.visible_to."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from comptes.models import Commune, Dispositif, Organisation
from menages.enums import EtatParcours, TypeIntervention


class IntervenantQuerySet(models.QuerySet):
    def actifs(self, le=None):
        le = le or timezone.localdate()
        return self.filter(Q(date_fin__isnull=True) | Q(date_fin__gte=le), date_debut__lte=le)


class MenageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The households `user` may open, by the rule of the programme: a person sees a household
        because their organisation intervenes on it. Landlord staff see their own landlord's
        households; social workers those their organisation follows; a TISF those she is assigned
        to; funders and committee members see none here (figures and committee summaries only)."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.est_administrateur:
            return self
        organisation = user.organisation
        if organisation is None:
            return self.none()

        intervenants = Intervenant.objects.actifs().filter(menage=OuterRef("pk"))
        condition = Q(pk__in=[])
        if user.est_personnel_bailleur:
            condition |= Q(bailleur=organisation)
        if user.has_role(Role.TRAVAILLEUR_SOCIAL):
            condition |= Q(Exists(intervenants.filter(organisation=organisation)))
        if user.has_role(Role.TISF):
            condition |= Q(Exists(intervenants.filter(utilisateur=user)))
        return self.filter(condition, dispositif__in=organisation.dispositifs.all())


class Menage(models.Model):
    dispositif = models.ForeignKey(
        Dispositif, on_delete=models.PROTECT, related_name="menages", verbose_name="dispositif"
    )
    reference = models.CharField("référence", max_length=30, unique=True)
    nom = models.CharField("nom du ménage", max_length=150)
    bailleur = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="menages_bailleur",
        null=True,
        blank=True,
        verbose_name="bailleur concerné",
        limit_choices_to={"type": "bailleur"},
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name="commune"
    )
    etat = models.CharField(
        "étape du parcours", max_length=30, choices=EtatParcours.choices, default=EtatParcours.SAISINE
    )
    date_saisine = models.DateField("date de saisine", default=timezone.localdate)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = MenageQuerySet.as_manager()

    class Meta:
        verbose_name = "ménage"
        verbose_name_plural = "ménages"
        ordering = ["nom", "reference"]

    def __str__(self):
        return f"{self.nom} ({self.reference})"

    def get_absolute_url(self):
        return reverse("menages:detail", args=[self.pk])


class Intervenant(models.Model):
    """Who intervenes on a household, from when to when. This list drives who may see it."""

    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="intervenants")
    type = models.CharField("intervention", max_length=30, choices=TypeIntervention.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, verbose_name="organisation"
    )
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name="professionnel",
    )
    nom_externe = models.CharField("nom (partenaire extérieur)", max_length=150, blank=True)
    fonction = models.CharField("fonction", max_length=150, blank=True)
    date_debut = models.DateField("début", default=timezone.localdate)
    date_fin = models.DateField("fin", null=True, blank=True)

    objects = IntervenantQuerySet.as_manager()

    class Meta:
        verbose_name = "intervenant"
        verbose_name_plural = "intervenants"
        ordering = ["date_debut", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=models.F("date_debut")),
                name="intervenant_fin_apres_debut",
            )
        ]

    def __str__(self):
        qui = self.utilisateur or self.nom_externe or self.organisation
        return f"{self.get_type_display()} : {qui}"

    def get_additional_data(self):
        # Lets the audit trail of a household include the changes to its intervenants.
        return {"menage_id": self.menage_id}
