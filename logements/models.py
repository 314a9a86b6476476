"""The landlords' pooled stock and its mobilisation for the programme. Who may see a dwelling is
decided here, in LogementQuerySet.visible_to.

The CESF's tenant file (complaints, caretaker reports, arrears, repayment plan, FSL aid, eviction
steps) is kept here too, one household at a time; who reads it: DossierLocatifQuerySet.visible_to.

Matching and attribution will hang off these models later."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role, TypeOrganisation
from comptes.models import Commune, Dispositif, Organisation
from comptes.selectors import dispositifs_courants
from logements.enums import (
    STATUTS_DISPONIBLES,
    STATUTS_RECLAMATION_ACTIFS,
    CanalAttribution,
    DecisionCal,
    DecisionFsl,
    EtapeAttribution,
    EtapeProcedure,
    EtiquetteEnergetique,
    ModeMobilisation,
    StatutLogement,
    StatutPlanApurement,
    StatutReclamation,
    TypeBail,
    TypeReclamation,
    Typologie,
)
from menages.models import RattacheAuMenage

# The landlord's staff who manage its stock and look for a dwelling for a household: they see
# their landlord's stock and the other landlord's available dwellings (pooled for matching).
# Caretakers (gardiens) do neither, and get no dwelling list (need to know).
ROLES_GESTION_STOCK = (Role.CESF, Role.CHARGE_ATTRIBUTION)


def bailleurs_visible_to(user):
    """The landlords taking part in the current programme (`dispositifs_courants`), for
    administrators too."""
    bailleurs = Organisation.objects.filter(type=TypeOrganisation.BAILLEUR)
    if user.organisation_id is None:
        return bailleurs.none()
    return bailleurs.filter(dispositifs__in=dispositifs_courants(user)).distinct()


class LogementQuerySet(models.QuerySet):
    def disponibles(self):
        return self.filter(statut__in=STATUTS_DISPONIBLES)

    def visible_to(self, user):
        """The dwellings `user` may see. The stock is pooled between the two landlords for
        matching, but only what matching needs is shared:
        - administrators: the whole stock of the landlords of the current programme;
        - the CESF and the chargé d'attribution of a landlord: their own landlord's whole stock and,
          since they look for dwellings for households, the other landlords' available (vacant or
          in rotation) dwellings;
        - social workers (ADAFF, HDM for IML): the available dwellings of every landlord, to
          prepare the matching with the household;
        - gardiens, TISF, funders and committee members: none.
        Always limited to the landlords of the current programme (`dispositifs_courants`)."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        organisation = user.organisation
        if organisation is None:
            return self.none()
        if user.est_administrateur:
            return self.filter(bailleur__in=bailleurs_visible_to(user))

        disponibles = Q(statut__in=STATUTS_DISPONIBLES)
        condition = Q(pk__in=[])
        if organisation.est_bailleur and user.has_role(*ROLES_GESTION_STOCK):
            condition |= Q(bailleur=organisation) | disponibles
        if user.has_role(Role.TRAVAILLEUR_SOCIAL):
            condition |= disponibles
        bailleurs = Organisation.objects.filter(
            type=TypeOrganisation.BAILLEUR, dispositifs__in=dispositifs_courants(user)
        )
        return self.filter(condition, bailleur__in=bailleurs)


class Logement(models.Model):
    """A dwelling of one landlord's stock, identified by the landlord's own reference."""

    bailleur = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="logements",
        verbose_name="bailleur",
        limit_choices_to={"type": TypeOrganisation.BAILLEUR},
    )
    reference_bailleur = models.CharField("référence du bailleur", max_length=50)
    adresse = models.CharField("adresse", max_length=255)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="logements", verbose_name="commune"
    )
    typologie = models.CharField("typologie", max_length=2, choices=Typologie.choices)
    surface = models.DecimalField(
        "surface (m²)", max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    loyer = models.DecimalField(
        "loyer (€)", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    charges = models.DecimalField(
        "charges (€)", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    etage = models.SmallIntegerField("étage", null=True, blank=True, help_text="0 pour le rez-de-chaussée.")
    ascenseur = models.BooleanField("ascenseur", default=False)
    accessible_pmr = models.BooleanField("accessible aux personnes à mobilité réduite", default=False)
    etiquette_energetique = models.CharField(
        "étiquette énergétique", max_length=1, choices=EtiquetteEnergetique.choices, blank=True
    )
    statut = models.CharField(
        "statut", max_length=20, choices=StatutLogement.choices, default=StatutLogement.OCCUPE
    )
    contingent_prefectoral = models.BooleanField(
        "contingent préfectoral",
        default=False,
        help_text="Logement réservé au contingent du préfet : le premier canal d’attribution.",
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = LogementQuerySet.as_manager()

    class Meta:
        verbose_name = "logement"
        verbose_name_plural = "logements"
        ordering = ["commune__nom", "adresse", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bailleur", "reference_bailleur"], name="logement_reference_unique_par_bailleur"
            ),
            models.CheckConstraint(condition=Q(surface__gt=0), name="logement_surface_positive"),
            models.CheckConstraint(condition=Q(loyer__gte=0), name="logement_loyer_positif"),
            models.CheckConstraint(condition=Q(charges__gte=0), name="logement_charges_positives"),
        ]
        indexes = [models.Index(fields=["statut", "typologie"], name="logement_statut_typologie")]

    def __str__(self):
        return f"{self.typologie} – {self.adresse}, {self.commune.nom} ({self.reference_bailleur})"

    def get_absolute_url(self):
        return reverse("logements:detail", args=[self.pk])

    @property
    def loyer_charges_comprises(self):
        return self.loyer + self.charges

    @property
    def est_disponible(self):
        return self.statut in STATUTS_DISPONIBLES


class ImportLogements(models.Model):
    """One successful import of a landlord's file: who, when, which file, what it changed. The
    dwellings themselves are written in bulk (no per-row audit entry); this row is the trace."""

    bailleur = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="imports_logements", verbose_name="bailleur"
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="auteur",
    )
    nom_fichier = models.CharField("fichier", max_length=255)
    lignes = models.PositiveIntegerField("lignes lues")
    crees = models.PositiveIntegerField("logements créés")
    mis_a_jour = models.PositiveIntegerField("logements mis à jour")
    cree_le = models.DateTimeField("importé le", default=timezone.now)

    class Meta:
        verbose_name = "import de logements"
        verbose_name_plural = "imports de logements"
        ordering = ["-cree_le"]

    def __str__(self):
        return f"{self.nom_fichier} ({self.bailleur}, {self.cree_le:%d/%m/%Y})"


class MobilisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The mobilisations of the dwellings `user` may see, in the programmes of their
        organisation."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.organisation_id is None:
            return self.none()
        return self.filter(
            logement__in=Logement.objects.visible_to(user),
            dispositif__in=dispositifs_courants(user),
        )


class MobilisationLogement(models.Model):
    """A dwelling mobilised for a programme, and how (the programme targets a number of them,
    Dispositif.objectif_logements_mobilises)."""

    dispositif = models.ForeignKey(
        Dispositif, on_delete=models.PROTECT, related_name="mobilisations", verbose_name="dispositif"
    )
    logement = models.ForeignKey(
        Logement, on_delete=models.PROTECT, related_name="mobilisations", verbose_name="logement"
    )
    mode = models.CharField("mode de mobilisation", max_length=30, choices=ModeMobilisation.choices)
    date_mobilisation = models.DateField("date de mobilisation", default=timezone.localdate)
    commentaire = models.TextField("commentaire", blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = MobilisationQuerySet.as_manager()

    class Meta:
        verbose_name = "mobilisation de logement"
        verbose_name_plural = "mobilisations de logements"
        ordering = ["-date_mobilisation", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispositif", "logement"], name="mobilisation_unique_par_dispositif"
            )
        ]

    def __str__(self):
        return f"{self.logement.reference_bailleur} – {self.get_mode_display()}"


# The tenant file: the landlord's CESF follows her tenants' complaints, arrears and procedures.
# The chargé d'attribution places households but does not manage tenancies; caretakers report
# (SignalementGardien) without reading the file.
ROLES_DOSSIER_LOCATIF = (Role.CESF,)


def _lit_les_dossiers_locatifs(user) -> bool:
    """Whether `user`'s role reads tenant files at all (administrators, a landlord's CESF)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.est_administrateur or (user.est_personnel_bailleur and user.has_role(*ROLES_DOSSIER_LOCATIF))


class DossierLocatifQuerySet(models.QuerySet):
    def visible_to(self, user, menages=None):
        """The tenant-file records `user` may read: administrators those of the households of the
        current programme; a landlord's CESF those of the households she may open (her own
        landlord's, in her programmes); nobody
        else (social workers, caretakers, funders, committee members). `menages`, when the caller
        already holds `Menage.objects.visible_to(user)`, is used instead of building it again."""
        from menages.models import Menage

        if not _lit_les_dossiers_locatifs(user):
            return self.none()
        if menages is None and user.est_administrateur:
            menages = Menage.objects.visible_to(user)
        if menages is None:
            # The landlord's own legal role: its tenant files, whatever the consent to sharing the
            # social file (MenageQuerySet.locataires_visible_to).
            menages = Menage.objects.locataires_visible_to(user)
        return self.des_menages(menages)

    def des_menages(self, menages):
        """The records of the households of `menages`, the households whose tenant file the reader
        may open (`visible_to`, for a reader whose role reads tenant files)."""
        return self.filter(menage__in=menages)

    def du_menage(self, menage, user):
        """The records of `menage`'s tenant file that `user` may read, for a household loaded
        through Menage.objects.visible_to(user) (the tenant-file views use get_visible_or_404):
        the same as visible_to(user).filter(menage=menage), without looking up again, for each
        kind of record, which households the user may open."""
        if not _lit_les_dossiers_locatifs(user):
            return self.none()
        return self.filter(menage=menage)


def logements_signalables(user):
    """The dwellings a caretaker may report on: his landlord's whole stock, whether or not a
    household of the programme lives there (administrators: those of the landlords of the current
    programme). The caretaker never gets a list of the programme's households."""
    if user.est_administrateur:
        return Logement.objects.filter(bailleur__in=bailleurs_visible_to(user))
    if user.organisation_id is None or not user.organisation.est_bailleur:
        return Logement.objects.none()
    return Logement.objects.filter(bailleur=user.organisation)


def occupant_du_dispositif(logement):
    """The household of the programme living in `logement` today, or None: the latest one that
    moved in there after an attribution pronounced by the CAL, still followed, tenant of the
    dwelling's landlord."""
    from menages.models import Menage

    attributions = Attribution.objects.filter(
        logement=logement,
        decision_cal=DecisionCal.ACCEPTEE,
        date_entree__lte=timezone.localdate(),
        menage=models.OuterRef("pk"),
    )
    return (
        Menage.objects.en_cours()
        .filter(bailleur_id=logement.bailleur_id)
        .annotate(entree=models.Subquery(attributions.order_by("-date_entree").values("date_entree")[:1]))
        .filter(entree__isnull=False)
        .order_by("-entree", "-pk")
        .first()
    )


class EntreeDossierLocatif(RattacheAuMenage):
    """What every record of the tenant file has: the household, who wrote it, when. Its changes
    and corrections are in the household's audit trail (RattacheAuMenage)."""

    menage = models.ForeignKey("menages.Menage", on_delete=models.CASCADE, verbose_name="ménage")
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="enregistré par",
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)

    objects = DossierLocatifQuerySet.as_manager()

    class Meta:
        abstract = True


class Reclamation(EntreeDossierLocatif):
    menage = models.ForeignKey(
        "menages.Menage", on_delete=models.CASCADE, related_name="reclamations", verbose_name="ménage"
    )
    type = models.CharField("type", max_length=30, choices=TypeReclamation.choices)
    date = models.DateField("date", default=timezone.localdate)
    description = models.TextField("description")
    statut = models.CharField(
        "statut", max_length=20, choices=StatutReclamation.choices, default=StatutReclamation.OUVERTE
    )
    date_prise_en_charge = models.DateField("prise en charge le", null=True, blank=True)
    date_cloture = models.DateField("close le", null=True, blank=True)
    resolution = models.TextField("résolution", blank=True)

    class Meta:
        verbose_name = "réclamation"
        verbose_name_plural = "réclamations"
        ordering = ["-date", "-pk"]
        # The CESF's dashboard lists the complaints not closed yet, latest first, among few of them.
        indexes = [
            models.Index(
                fields=["-date", "-id"],
                name="reclamation_active",
                condition=Q(statut__in=STATUTS_RECLAMATION_ACTIFS),
            )
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"

    @property
    def est_ouverte(self):
        """Not closed yet (open or in progress)."""
        return self.statut in STATUTS_RECLAMATION_ACTIFS


class SignalementQuerySet(DossierLocatifQuerySet):
    def visible_to(self, user, menages=None):
        """As the other records of the tenant file, plus, for the landlord's CESF, the reports on
        her landlord's dwellings where no household of the programme lives."""
        visibles = super().visible_to(user, menages=menages)
        if not _lit_les_dossiers_locatifs(user):
            return visibles
        if user.est_administrateur:
            # The reports on a dwelling of a landlord of the current programme.
            return visibles | self.filter(
                menage__isnull=True, logement__bailleur__in=bailleurs_visible_to(user)
            )
        return visibles | self.filter(menage__isnull=True, logement__bailleur_id=user.organisation_id)


class SignalementGardien(EntreeDossierLocatif):
    """A caretaker's short report about a dwelling of his landlord. The caretaker chooses the
    dwelling, never a household: when a household of the programme lives there, the report is
    attached to its tenant file (`menage`); otherwise it stays on the dwelling, for the landlord's
    CESF, and the caretaker is told the same thing either way. The CESF closes it with what was
    done."""

    menage = models.ForeignKey(
        "menages.Menage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signalements",
        verbose_name="ménage",
    )
    logement = models.ForeignKey(
        Logement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signalements",
        verbose_name="logement",
    )
    date = models.DateField("date", default=timezone.localdate)
    nature = models.CharField("nature", max_length=30, choices=TypeReclamation.choices)
    texte = models.TextField("observations")
    statut = models.CharField(
        "statut", max_length=20, choices=StatutReclamation.choices, default=StatutReclamation.OUVERTE
    )
    date_cloture = models.DateField("close le", null=True, blank=True)
    resolution = models.TextField("résolution", blank=True)

    objects = SignalementQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement du gardien"
        verbose_name_plural = "signalements du gardien"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Signalement du {self.date:%d/%m/%Y}"

    @property
    def est_ouverte(self):
        return self.statut in STATUTS_RECLAMATION_ACTIFS


class SoldeLocatif(EntreeDossierLocatif):
    """The household's arrears balance at the end of a month (0 when up to date), and the rent and
    charges called that month when the CESF records them: the rent of a tenant housed outside the
    programme's attributions, from which the arrears threshold is computed (seuils_impayes)."""

    menage = models.ForeignKey(
        "menages.Menage", on_delete=models.CASCADE, related_name="soldes_locatifs", verbose_name="ménage"
    )
    mois = models.DateField("mois", help_text="Le premier jour du mois.")
    solde = models.DecimalField(
        "impayé (€)", max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    loyer_charges = models.DecimalField(
        "loyer et charges du mois (€)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Le montant appelé par le bailleur ; il fixe le seuil d’impayés du ménage.",
    )

    class Meta:
        verbose_name = "solde locatif"
        verbose_name_plural = "soldes locatifs"
        ordering = ["mois"]
        # The CESF's arrears trend sums the last months' balances from this index alone.
        indexes = [models.Index(fields=["mois", "menage", "solde"], name="solde_locatif_tendance")]
        constraints = [
            models.UniqueConstraint(fields=["menage", "mois"], name="solde_locatif_unique_par_mois"),
            models.CheckConstraint(condition=Q(solde__gte=0), name="solde_locatif_positif"),
        ]

    def __str__(self):
        return f"{self.mois:%m/%Y} : {self.solde} €"


class ImpayesMensuelsQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The monthly totals `user` may read: administrators those of the current programme; a
        landlord's CESF those of her landlord in her organisation's programmes, the households
        whose balances she reads (DossierLocatifQuerySet.visible_to); nobody else."""
        if not _lit_les_dossiers_locatifs(user):
            return self.none()
        if user.est_administrateur:
            return self.filter(dispositif__in=dispositifs_courants(user))
        return self.du_bailleur(user.organisation, dispositifs_courants(user))

    def du_bailleur(self, bailleur, dispositifs):
        """The monthly totals of landlord `bailleur` (an organisation or its id) in `dispositifs`,
        those its CESF reads (`visible_to`)."""
        return self.filter(bailleur=bailleur, dispositif__in=dispositifs)


class ImpayesMensuels(models.Model):
    """The sum of the arrears balances (SoldeLocatif) of one landlord's tenants in one programme
    for one month, kept up to date by logements.impayes whenever a balance or a household's landlord
    or programme changes: the CESF's arrears trend reads a few of these rows instead of summing
    thousands of balances on each view."""

    bailleur = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="+")
    mois = models.DateField("mois")
    total = models.DecimalField("impayés cumulés (€)", max_digits=14, decimal_places=2)

    objects = ImpayesMensuelsQuerySet.as_manager()

    class Meta:
        verbose_name = "impayés du mois"
        verbose_name_plural = "impayés par mois"
        constraints = [
            models.UniqueConstraint(fields=["bailleur", "dispositif", "mois"], name="impayes_mensuels_unique")
        ]

    def __str__(self):
        return f"{self.mois:%m/%Y} : {self.total} €"


class PlanApurement(EntreeDossierLocatif):
    menage = models.ForeignKey(
        "menages.Menage", on_delete=models.CASCADE, related_name="plans_apurement", verbose_name="ménage"
    )
    date_debut = models.DateField("début")
    montant_dette = models.DecimalField(
        "dette à apurer (€)", max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    mensualite = models.DecimalField(
        "mensualité (€)", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    statut = models.CharField(
        "statut", max_length=20, choices=StatutPlanApurement.choices, default=StatutPlanApurement.EN_COURS
    )
    date_fin = models.DateField(
        "respecté ou rompu le", null=True, blank=True, help_text="Date du changement de statut."
    )

    class Meta:
        verbose_name = "plan d’apurement"
        verbose_name_plural = "plans d’apurement"
        ordering = ["-date_debut", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=models.F("date_debut")),
                name="plan_apurement_fin_apres_debut",
            )
        ]

    def __str__(self):
        return f"Plan d’apurement du {self.date_debut:%d/%m/%Y}"


class AideFsl(EntreeDossierLocatif):
    """A request to the Fonds de solidarité pour le logement (arrears, maintenance in the home)."""

    menage = models.ForeignKey(
        "menages.Menage", on_delete=models.CASCADE, related_name="aides_fsl", verbose_name="ménage"
    )
    date_demande = models.DateField("date de la demande")
    montant = models.DecimalField(
        "montant (€)", max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    decision = models.CharField(
        "décision", max_length=20, choices=DecisionFsl.choices, default=DecisionFsl.DEMANDEE
    )
    date_decision = models.DateField("date de la décision", null=True, blank=True)

    class Meta:
        verbose_name = "aide du FSL"
        verbose_name_plural = "aides du FSL"
        ordering = ["-date_demande", "-pk"]

    def __str__(self):
        return f"FSL du {self.date_demande:%d/%m/%Y}"


class EtapeExpulsion(EntreeDossierLocatif):
    """One dated step of the eviction procedure."""

    menage = models.ForeignKey(
        "menages.Menage", on_delete=models.CASCADE, related_name="etapes_expulsion", verbose_name="ménage"
    )
    etape = models.CharField("étape", max_length=30, choices=EtapeProcedure.choices)
    date = models.DateField("date")
    commentaire = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "étape de la procédure d’expulsion"
        verbose_name_plural = "étapes de la procédure d’expulsion"
        ordering = ["date", "pk"]
        indexes = [
            # The CESF's widget: the latest steps first, each checked against her landlord's
            # tenants and against a later step of its household (the next index), until it has
            # the few it shows, rather than joining every tenant to every step.
            models.Index(fields=["-date", "menage"], name="etape_expulsion_recente"),
            models.Index(fields=["menage", "date", "id"], name="etape_expulsion_par_menage"),
        ]

    def __str__(self):
        return f"{self.get_etape_display()} du {self.date:%d/%m/%Y}"


class AttributionQuerySet(models.QuerySet):
    def visible_to(self, user):
        from menages.models import Menage

        return self.filter(menage__in=Menage.objects.visible_to(user))

    def en_cours(self):
        """The proposals awaiting their outcome: neither refused nor moved in. Each reserves its
        dwelling (no other household is proposed it meanwhile)."""
        return self.exclude(decision_cal=DecisionCal.REFUSEE).filter(date_entree__isnull=True)


class Attribution(RattacheAuMenage):
    """A dwelling proposed to a household, up to the move-in: visit, decision of the commission
    d'attribution (CAL), lease, move-in; or its refusal. The IML variant: the lease is held by HDM,
    the household signs an occupancy agreement, then the lease glides to the household."""

    menage = models.ForeignKey("menages.Menage", on_delete=models.CASCADE, related_name="attributions")
    logement = models.ForeignKey(Logement, on_delete=models.PROTECT, related_name="attributions")
    canal = models.CharField("canal", max_length=30, choices=CanalAttribution.choices)
    date_proposition = models.DateField("proposé le", default=timezone.localdate)
    date_visite = models.DateField("visite le", null=True, blank=True)
    decision_cal = models.CharField(
        "décision de la CAL", max_length=20, choices=DecisionCal.choices, default=DecisionCal.EN_ATTENTE
    )
    date_cal = models.DateField("CAL du", null=True, blank=True)
    date_bail = models.DateField("bail signé le", null=True, blank=True)
    date_entree = models.DateField("entrée dans les lieux le", null=True, blank=True)
    motif_refus = models.CharField(
        "motif du refus (ménage, bailleur ou CAL)",
        max_length=250,
        blank=True,
        help_text="Gardé avec la proposition : il éclaire les propositions suivantes.",
    )
    iml = models.BooleanField("en intermédiation locative (bail au nom de HDM)", default=False)
    date_convention_occupation = models.DateField("convention d’occupation signée le", null=True, blank=True)
    date_glissement = models.DateField("glissement du bail au ménage le", null=True, blank=True)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = AttributionQuerySet.as_manager()

    class Meta:
        verbose_name = "attribution"
        verbose_name_plural = "attributions"
        ordering = ["-date_proposition", "-pk"]

    def __str__(self):
        return f"{self.logement} proposé le {self.date_proposition:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("logements:attribution", args=[self.pk])

    @property
    def etape(self) -> EtapeAttribution:
        """The furthest step reached (a refusal ends the attribution at any step)."""
        if self.decision_cal == DecisionCal.REFUSEE:
            return EtapeAttribution.REFUSE
        if self.date_entree:
            return EtapeAttribution.ENTRE
        if self.date_bail:
            return EtapeAttribution.BAIL
        if self.decision_cal == DecisionCal.ACCEPTEE:
            return EtapeAttribution.ATTRIBUE
        if self.date_cal or self.decision_cal == DecisionCal.AJOURNEE:
            return EtapeAttribution.CAL
        if self.date_visite:
            return EtapeAttribution.VISITE
        return EtapeAttribution.PROPOSE

    @property
    def est_en_cours(self) -> bool:
        return self.decision_cal != DecisionCal.REFUSEE and not self.date_entree


class Bail(RattacheAuMenage):
    """A lease signed for a household, on its date: direct, or through an IML (the lease held by
    HDM and the household's occupancy agreement). Each lease is its own row: a later lease never
    moves an earlier one. A lease recorded in an attribution is kept in step with it (one row per
    attribution and kind: the IML lease, then the direct lease when it glides to the household)."""

    menage = models.ForeignKey("menages.Menage", on_delete=models.CASCADE, related_name="baux")
    attribution = models.ForeignKey(
        Attribution, on_delete=models.SET_NULL, null=True, blank=True, related_name="baux"
    )
    # The « signature du bail » key moment this lease was recorded from (logements.baux), if any.
    temps_fort = models.OneToOneField(
        "accompagnement.TempsFort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bail",
        verbose_name="temps fort",
    )
    type = models.CharField("type de bail", max_length=10, choices=TypeBail.choices)
    date_signature = models.DateField("signé le")
    cree_le = models.DateTimeField("enregistré le", auto_now_add=True)

    class Meta:
        verbose_name = "bail"
        verbose_name_plural = "baux"
        ordering = ["menage", "date_signature", "pk"]
        indexes = [models.Index(fields=["menage", "date_signature"], name="bail_menage_date")]
        constraints = [
            models.UniqueConstraint(
                fields=["attribution", "type"],
                condition=models.Q(attribution__isnull=False),
                name="bail_unique_par_attribution",
            )
        ]

    def __str__(self):
        return f"{self.get_type_display()} signé le {self.date_signature:%d/%m/%Y}"
