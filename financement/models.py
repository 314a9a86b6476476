"""The convention of a programme, its financing plan (funders' shares), budget lines with their
planned and actual expenses per year, payments received, and the funder reports."""

from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.functional import cached_property

from comptes.enums import TypeOrganisation
from comptes.models import Dispositif, Organisation
from comptes.selectors import dans_le_dispositif_courant, dispositifs_courants
from financement.enums import Periodicite, StatutPart, StatutRapport, TypeLigne

montant_positif = [MinValueValidator(Decimal("0"))]


class Convention(models.Model):
    """The multi-year convention that funds a programme (36 months for ASEA Aude)."""

    dispositif = models.OneToOneField(
        Dispositif, on_delete=models.CASCADE, related_name="convention", verbose_name="dispositif"
    )
    intitule = models.CharField("intitulé", max_length=250)
    date_debut = models.DateField("début")
    duree_mois = models.PositiveSmallIntegerField(
        "durée (mois)", default=36, validators=[MinValueValidator(1)]
    )
    date_signature = models.DateField("signée le", null=True, blank=True)

    class Meta:
        verbose_name = "convention"
        verbose_name_plural = "conventions"

    def __str__(self):
        return self.intitule

    @property
    def date_fin(self):
        return self.date_debut + relativedelta(months=self.duree_mois, days=-1)

    def budget_prevu(self) -> Decimal:
        return MontantAnnuel.objects.filter(ligne__convention=self).aggregate(s=Sum("prevu"))["s"] or Decimal(
            "0"
        )


class PartFinanceur(models.Model):
    """A funder's share of the financing plan; a share may still be waiting for confirmation."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="parts")
    financeur = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="parts_financement",
        verbose_name="financeur",
        limit_choices_to={"type__in": [TypeOrganisation.FINANCEUR, TypeOrganisation.BAILLEUR]},
    )
    libelle = models.CharField(
        "origine des fonds", max_length=200, help_text="Ex. : appel à projets (FNAVDL)."
    )
    pourcentage = models.DecimalField(
        "part (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    statut = models.CharField(
        "statut", max_length=20, choices=StatutPart.choices, default=StatutPart.CONFIRMEE
    )

    class Meta:
        verbose_name = "part d’un financeur"
        verbose_name_plural = "parts des financeurs"
        ordering = ["convention", "-pourcentage", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "financeur"], name="part_unique_par_financeur")
        ]

    def __str__(self):
        return f"{self.financeur} : {self.pourcentage} %"


class LigneBudgetaireQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The lines of the conventions of the programmes `user` takes part in (Dispositif.visible_to):
        those an administrator manages."""
        return self.filter(convention__dispositif__in=Dispositif.objects.visible_to(user))


class LigneBudgetaire(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="lignes")
    type = models.CharField("type", max_length=20, choices=TypeLigne.choices)
    libelle = models.CharField("libellé", max_length=200)
    porteur = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="porteur",
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    objects = LigneBudgetaireQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne budgétaire"
        verbose_name_plural = "lignes budgétaires"
        ordering = ["convention", "ordre", "pk"]

    def __str__(self):
        return self.libelle


class MontantAnnuel(models.Model):
    """Planned and actual expenses of a budget line for one calendar year."""

    ligne = models.ForeignKey(LigneBudgetaire, on_delete=models.CASCADE, related_name="montants")
    annee = models.PositiveSmallIntegerField("année", validators=[MinValueValidator(2000)])
    prevu = models.DecimalField("prévu (€)", max_digits=12, decimal_places=2, validators=montant_positif)
    realise = models.DecimalField(
        "réalisé (€)", max_digits=12, decimal_places=2, default=Decimal("0"), validators=montant_positif
    )

    class Meta:
        verbose_name = "montant annuel"
        verbose_name_plural = "montants annuels"
        ordering = ["ligne", "annee"]
        constraints = [models.UniqueConstraint(fields=["ligne", "annee"], name="montant_unique_par_annee")]

    def __str__(self):
        return f"{self.ligne} {self.annee}"


class Versement(models.Model):
    """A payment received from a funder under its share."""

    part = models.ForeignKey(PartFinanceur, on_delete=models.PROTECT, related_name="versements")
    date = models.DateField("reçu le")
    montant = models.DecimalField("montant (€)", max_digits=12, decimal_places=2, validators=montant_positif)
    reference = models.CharField("référence", max_length=100, blank=True)

    class Meta:
        verbose_name = "versement"
        verbose_name_plural = "versements"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.part.financeur} : {self.montant} € le {self.date:%d/%m/%Y}"


class RapportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports a user may list and download: administrators those of the current programme; a
        funder those addressed to their organisation for the programmes it funds; nobody else any."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.est_administrateur:
            return self.filter(dispositif__in=dispositifs_courants(user))
        if not user.has_perm("financement.voir") or user.organisation_id is None:
            return self.none()
        return self.filter(
            dans_le_dispositif_courant(user),
            financeur=user.organisation_id,
            dispositif__in=Dispositif.objects.filter(convention__parts__financeur=user.organisation_id),
        )


# The coordinator's words on the report's first page: a short commentary, not a second report.
COMMENTAIRE_MAX = 2000


def rapport_path(instance, filename):
    return f"financement/rapports/{instance.dispositif_id}/{filename}"


# How `erreur` starts when a report failed because of its period (financement.services).
PREFIXE_PERIODE_INVALIDE = "Période non valide\u00a0: "


class RapportFinanceur(models.Model):
    """A funder report for a period, produced in the background; its parameters are kept with it."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="rapports_financeurs")
    financeur = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="rapports", verbose_name="financeur"
    )
    periodicite = models.CharField(
        "périodicité", max_length=20, choices=Periodicite.choices, default=Periodicite.PONCTUEL
    )
    date_debut = models.DateField("du")
    date_fin = models.DateField("au")
    statut = models.CharField(
        "statut", max_length=20, choices=StatutRapport.choices, default=StatutRapport.EN_ATTENTE
    )
    progression = models.PositiveSmallIntegerField(
        "progression (%)", default=0, validators=[MaxValueValidator(100)]
    )
    fichier = models.FileField("fichier", upload_to=rapport_path, blank=True)
    erreur = models.TextField("erreur", blank=True)
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField("demandé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)
    genere_le = models.DateTimeField("produit le", null=True, blank=True)
    commentaire = models.TextField(
        "commentaire du coordinateur",
        blank=True,
        max_length=COMMENTAIRE_MAX,
        help_text="Quelques lignes sur la période, imprimées en première page du rapport.",
    )

    objects = RapportQuerySet.as_manager()

    class Meta:
        verbose_name = "rapport financeur"
        verbose_name_plural = "rapports financeurs"
        ordering = ["-date_fin", "-cree_le", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispositif", "financeur", "date_debut", "date_fin"],
                name="rapport_unique_par_periode",
            ),
            models.CheckConstraint(
                condition=Q(date_fin__gte=models.F("date_debut")), name="rapport_fin_apres_debut"
            ),
        ]

    def __str__(self):
        return f"Rapport {self.financeur} du {self.date_debut:%d/%m/%Y} au {self.date_fin:%d/%m/%Y}"

    @property
    def en_production(self):
        return self.statut in (StatutRapport.EN_ATTENTE, StatutRapport.EN_COURS)

    @property
    def commentaire_modifiable(self):
        """Not while a worker renders it: it may already have read the previous commentary."""
        return self.statut != StatutRapport.EN_COURS

    @property
    def est_pret(self):
        return self.statut == StatutRapport.TERMINE

    @property
    def motif_echec(self) -> str:
        """Why the report could not be produced, when it is a reason meant for its readers (a
        period no longer within the programme's dates); "" otherwise (a technical error, kept in
        `erreur` for the administrators)."""
        if self.statut == StatutRapport.ECHEC and self.erreur.startswith(PREFIXE_PERIODE_INVALIDE):
            return self.erreur
        return ""

    @property
    def nom_fichier(self):
        periode = f"{self.date_debut:%Y%m%d}-{self.date_fin:%Y%m%d}"
        return f"rapport-financeur-{self.dispositif_id}-{self.financeur_id}-{periode}.pdf"


class IndicateursArretes(models.Model):
    """The indicators of a programme over a period as computed at `calcule_le` (« chiffres arrêtés
    au … »), so that the funders' dashboard does not compute them all again on every view. They are
    served for VALIDITE_INDICATEURS at most, always with their date, and can be computed again on
    demand; the periodic task recomputes those of each programme's current period
    (financement.tasks.arreter_indicateurs). Derived data: not audited, recomputed at will."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="+")
    debut = models.DateField("du")
    fin = models.DateField("au")
    donnees = models.JSONField("indicateurs")
    calcule_le = models.DateTimeField("calculés le")

    class Meta:
        verbose_name = "indicateurs arrêtés"
        verbose_name_plural = "indicateurs arrêtés"
        constraints = [
            models.UniqueConstraint(
                fields=["dispositif", "debut", "fin"], name="indicateurs_unique_par_periode"
            )
        ]

    def __str__(self):
        return f"Indicateurs du {self.debut:%d/%m/%Y} au {self.fin:%d/%m/%Y}, arrêtés le {self.calcule_le:%d/%m/%Y %H:%M}"

    @cached_property
    def indicateurs(self) -> dict:
        """The figures, as `financement.indicators.calculer` gave them (its records aside)."""
        from financement.indicators import depuis_json

        return depuis_json(self.donnees)
