"""The household file. Who may see a household is decided here, in MenageQuerySet.visible_to."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from comptes.confidentialite import MASQUE, Classement, champs_masques, peut_lire
from comptes.enums import CodeNiveau, Confidentialite, Role, TypeOrganisation
from comptes.memo import memoriser
from comptes.models import Commune, Dispositif, Organisation
from comptes.selectors import dispositifs_courants
from menages.enums import (
    ETATS_ACCOMPAGNEMENT,
    ETATS_TERMINES,
    PARTENAIRE_PAR_TYPE_ORGANISATION,
    Autonomie,
    DecisionFinanceur,
    DomaineDiagnostic,
    EtapeBdf,
    EtatParcours,
    LienMembre,
    ModeReponse,
    MotifRefus,
    MotifSortie,
    Partenaire,
    Problematique,
    Probleme,
    SituationLogement,
    SourceOrientation,
    TypeDiagnostic,
    TypeIntervention,
    TypeRessource,
    Typologie,
)
from menages.search import normalize, texte_recherche

telephone_validator = RegexValidator(
    r"^\+?[0-9 .()-]{6,20}$", "Saisissez un numéro de téléphone valide (chiffres, espaces, points, +)."
)


class RattacheAuMenage(models.Model):
    """A record of a household's file. Its audit entries carry the household's id, so that the
    household's trail (`/menages/<id>/journal/`) includes the changes to it."""

    # The relation that leads to the household, for a record attached to another record of the
    # file (a level change reaches it through its support episode); None: the record's own `menage`.
    menage_via: str | None = None
    # Opening it for a page is recorded in the access log (comptes.journal_acces).
    journaliser_acces = True

    class Meta:
        abstract = True

    def get_additional_data(self):
        porteur = getattr(self, self.menage_via) if self.menage_via else self
        return {"menage_id": porteur.menage_id}


def partenaire_de(organisation) -> str | None:
    """The partner (`Partenaire`) `organisation` is for consent, or None (the association)."""
    return PARTENAIRE_PAR_TYPE_ORGANISATION.get(organisation.type) if organisation else None


class IntervenantQuerySet(models.QuerySet):
    def actifs(self, le=None):
        le = le or timezone.localdate()
        return self.filter(Q(date_fin__isnull=True) | Q(date_fin__gte=le), date_debut__lte=le)


class MenageQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The households `user` may open, by the rule of the programme: a person sees a household
        because their organisation intervenes on it. Landlord staff see their own landlord's
        households; social workers those their organisation follows; a TISF those she is assigned
        to; funders and committee members see none here (figures and committee summaries only);
        a programme administrator every household of the current programme, whoever intervenes.
        Always in the current programme (`dispositifs_courants`): nothing without an organisation."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.est_administrateur:
            return self.filter(dispositif__in=dispositifs_courants(user))
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
        # Consent to sharing (CNIL): a partner organisation sees the social file only while the
        # household's consent to sharing with it stands; a withdrawal applies from the next query.
        partenaire = partenaire_de(organisation)
        if partenaire is not None:
            condition &= Q(
                Exists(
                    ConsentementPartage.objects.actifs().filter(menage=OuterRef("pk"), partenaire=partenaire)
                )
            )
        return self.filter(condition, dispositif__in=dispositifs_courants(user))

    def bailleur_seul(self, user):
        """The landlord whose households `user` sees, when `visible_to` gives her exactly those of
        its households whose consent to sharing with the landlord stands, in the current programme:
        a landlord's staff who is neither a social worker nor a TISF. None for anyone else. Their
        counts by step are kept (`EffectifBailleur`) and read instead of checking each household's
        consent (`menages.selectors.nombres_par_etat_visibles`). Follows the rule above: a change
        there is a change here (menages/tests/test_effectifs.py compares both for every role)."""
        if not user or not user.is_authenticated or not user.is_active or user.est_administrateur:
            return None
        organisation = user.organisation
        if organisation is None or not user.est_personnel_bailleur:
            return None
        if user.has_role(Role.TRAVAILLEUR_SOCIAL) or user.has_role(Role.TISF):
            return None
        if partenaire_de(organisation) != Partenaire.BAILLEUR:
            return None
        return organisation

    def locataires_visible_to(self, user):
        """The households whose tenant file `user` may open: what the landlord's own legal role
        requires, consent or not (a landlord manages its tenancy, its arrears and its eviction
        steps without the social file). A landlord's staff: their landlord's households, in their
        programmes; anyone else (administrators included): as `visible_to`."""
        bailleur = self.bailleur_des_locataires(user)
        if bailleur is not None:
            return self.locataires_du_bailleur(bailleur, dispositifs_courants(user))
        return self.visible_to(user)

    def locataires_du_bailleur(self, bailleur, dispositifs):
        """The tenants of landlord `bailleur` (an organisation or its id) in `dispositifs`: the
        households whose tenant file a landlord's staff in those programmes may open."""
        return self.filter(bailleur=bailleur, dispositif__in=dispositifs)

    def bailleur_des_locataires(self, user):
        """The landlord whose tenants `user` reads (`locataires_visible_to`): her own, for a
        landlord's staff; None for anyone else. Their number by step is kept (`EffectifBailleur`)."""
        if user and user.is_authenticated and user.is_active and user.est_personnel_bailleur:
            return user.organisation
        return None

    def search(self, text):
        """Households whose name, or a member's name, contains `text`, ignoring accents and case."""
        needle = normalize(text)
        if not needle:
            return self
        return self.filter(texte_recherche__contains=needle)

    def rafraichir_recherche(self):
        """Recompute the search text of these households from their names, references and members.
        Called when a member is saved or removed, and after bulk loads that bypass save()."""
        membres = {}
        for menage_id, nom, prenom in Membre.objects.filter(menage__in=self).values_list(
            "menage_id", "nom", "prenom"
        ):
            membres.setdefault(menage_id, []).append(f"{nom} {prenom}")
        menages = [
            Menage(pk=pk, texte_recherche=texte_recherche(nom, reference, membres.get(pk, [])))
            for pk, nom, reference in self.values_list("pk", "nom", "reference")
        ]
        self.model.objects.bulk_update(menages, ["texte_recherche"], batch_size=2000)

    def termines(self):
        """Closed or refused: the path has ended (a new referral may open another)."""
        return self.filter(etat__in=ETATS_TERMINES)

    def en_cours(self):
        """Households whose path is still open: neither closed nor refused."""
        return self.exclude(etat__in=ETATS_TERMINES)

    def en_accompagnement(self):
        """Households in support: at a level, or in the exit relay."""
        return self.filter(etat__in=ETATS_ACCOMPAGNEMENT)

    def followed_by(self, user):
        """Households where `user` is personally an active intervenant ("mes ménages")."""
        return self.filter(
            Exists(Intervenant.objects.actifs().filter(menage=OuterRef("pk"), utilisateur=user))
        )


class MenageManager(models.Manager.from_queryset(MenageQuerySet)):
    """`Menage.objects`: the access rules asked of the manager itself (every household, no filter
    yet) are built once per request for a reader (`comptes.memo`), and each caller gets its own
    copy to filter, annotate or evaluate. A page asks them up to six times (the CESF's dashboard:
    her households, her tenants, her notifications', complaints' and allocations' scopes), and
    building one is half a millisecond of Python where copying it is a few microseconds. What is
    built is a query, not its rows: each use reads the data as they are when it runs."""

    def visible_to(self, user):
        return memoriser(
            ("menages_visibles", getattr(user, "pk", None)),
            lambda: super(MenageManager, self).visible_to(user),
        ).all()

    def locataires_visible_to(self, user):
        if self.get_queryset().bailleur_des_locataires(user) is None:
            return self.visible_to(user)  # anyone but a landlord's staff: the same households
        return memoriser(
            ("menages_locataires", getattr(user, "pk", None)),
            lambda: super(MenageManager, self).locataires_visible_to(user),
        ).all()


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
        limit_choices_to={"type": TypeOrganisation.BAILLEUR},
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, verbose_name="commune"
    )
    nom_recherche = models.CharField(max_length=150, editable=False, db_index=True)
    texte_recherche = models.TextField(
        editable=False, default="", help_text="Nom, référence et noms des membres, normalisés (recherche)."
    )
    etat = models.CharField(
        "étape du parcours", max_length=30, choices=EtatParcours.choices, default=EtatParcours.SAISINE
    )
    numero_parcours = models.PositiveSmallIntegerField(
        "numéro de parcours", default=1, help_text="Augmente quand un ménage revient après une clôture."
    )
    date_saisine = models.DateField("date de saisine", default=timezone.localdate)
    source_orientation = models.CharField(
        "origine de la saisine", max_length=30, choices=SourceOrientation.choices
    )
    orienteur = models.CharField(
        "orienté par", max_length=200, blank=True, help_text="Nom et structure de la personne qui oriente."
    )
    problematique = models.CharField(
        "problématique",
        max_length=10,
        choices=Problematique.choices,
        help_text="Accès : sans logement à soi à la saisine. Maintien : locataire dont le bail est menacé.",
    )
    situation_logement = models.CharField(
        "situation de logement actuelle", max_length=30, choices=SituationLogement.choices
    )
    situation_logement_precision = models.CharField("précision", max_length=200, blank=True)
    adresse = models.CharField("adresse", max_length=250, blank=True)
    telephone = models.CharField("téléphone", max_length=20, blank=True, validators=[telephone_validator])
    email = models.EmailField("adresse électronique", blank=True)
    eligible_dalo = models.BooleanField("éligible au DALO", default=False)
    accords_collectifs = models.BooleanField("relève des accords collectifs", default=False)
    public_pdalpd = models.BooleanField("public du PDALHPD", default=False)
    date_information = models.DateField("remise de la notice d’information", null=True, blank=True)
    date_adhesion = models.DateField("adhésion du ménage à l’accompagnement", null=True, blank=True)
    niveau = models.CharField(
        "niveau d’accompagnement", max_length=20, choices=CodeNiveau.choices, blank=True
    )
    motif_sortie = models.CharField("motif de sortie", max_length=30, choices=MotifSortie.choices, blank=True)
    motif_refus = models.CharField("motif de refus", max_length=30, choices=MotifRefus.choices, blank=True)
    anonymise_le = models.DateTimeField("anonymisé le", null=True, blank=True, editable=False)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = MenageManager()

    # Opening it for a page is recorded in the access log (comptes.journal_acces).
    journaliser_acces = True

    class Meta:
        verbose_name = "ménage"
        verbose_name_plural = "ménages"
        ordering = ["nom", "reference"]
        indexes = [
            # The household list's order: its first page is read from the index, not sorted.
            models.Index(fields=["nom", "reference"], name="menage_ordre_liste"),
            # The dashboards list the most recently active files first (accueil.selectors).
            models.Index(models.F("modifie_le").desc(), name="menage_modifie_le"),
            # A landlord's staff see their landlord's households: counted by step from the index.
            models.Index(fields=["bailleur", "dispositif", "etat", "id"], name="menage_bailleur_etat"),
            # A landlord's dashboard: her landlord's most recently active files, without walking
            # every programme's households along `menage_modifie_le`.
            models.Index(fields=["bailleur", "dispositif", "-modifie_le"], name="menage_bailleur_modifie"),
            # Counts by step of the visible households: read from this index alone, in the order of
            # the intervenants' visibility index (a merge join), not from the households' rows.
            models.Index(fields=["id", "etat", "dispositif", "bailleur"], name="menage_comptes"),
        ]

    def __str__(self):
        return f"{self.nom} ({self.reference})"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"nom", "reference"} & set(update_fields):
            self.nom_recherche = normalize(self.nom)
            membres = Membre.objects.filter(menage=self.pk).values_list("nom", "prenom") if self.pk else []
            self.texte_recherche = texte_recherche(self.nom, self.reference, [f"{n} {p}" for n, p in membres])
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "nom_recherche", "texte_recherche"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("dossiers:detail", args=[self.pk])

    @property
    def initiales(self):
        """Initials for anonymised summaries: "Durand Hélène" gives "D. H."."""
        return " ".join(
            f"{part[0].upper()}." for part in self.nom.replace("-", " ").split() if part[0].isalpha()
        )

    @property
    def est_actif(self):
        return self.etat not in ETATS_TERMINES


class CompteurReference(models.Model):
    """The last number given to a household of a programme in a year. Numbering locks this row, so
    two households created at once, in one programme or in two, never get the same reference."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="compteurs_reference")
    annee = models.PositiveSmallIntegerField("année")
    dernier = models.PositiveIntegerField("dernier numéro attribué", default=0)

    class Meta:
        verbose_name = "compteur de références"
        verbose_name_plural = "compteurs de références"
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "annee"], name="compteur_reference_unique"),
        ]

    def __str__(self):
        return f"{self.dispositif.prefixe_reference}-{self.annee} : {self.dernier}"


class EffectifBailleur(models.Model):
    """How many households of one landlord, in one programme, are at one step: all of them, its
    tenants (`locataires_visible_to`), and those whose consent to sharing with the landlord stands,
    what a landlord's staff see of the social files (`visible_to`). Kept equal to those counts by
    `menages.effectifs` whenever a household is created or deleted, its landlord, programme or step
    changes, or a consent is given, withdrawn or removed; the landlord's dashboard and household
    list read a few rows instead of reading every tenant and checking each one's consent. A step
    without households has no row, or a row of zeros."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="+")
    bailleur = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    etat = models.CharField("étape", max_length=30, choices=EtatParcours.choices)
    locataires = models.PositiveIntegerField("ménages locataires")
    nombre = models.PositiveIntegerField("ménages dont le dossier social est partagé avec le bailleur")

    class Meta:
        verbose_name = "effectif d’un bailleur"
        verbose_name_plural = "effectifs des bailleurs"
        constraints = [
            models.UniqueConstraint(
                fields=["bailleur", "dispositif", "etat"], name="effectif_bailleur_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_etat_display()} : {self.nombre} sur {self.locataires}"


class Intervenant(RattacheAuMenage):
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
        # visible_to: the households an organisation intervenes on today, from the index alone.
        indexes = [
            models.Index(
                fields=["organisation", "menage", "date_debut", "date_fin"], name="intervenant_visibilite"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=models.F("date_debut")),
                name="intervenant_fin_apres_debut",
            )
        ]

    def __str__(self):
        qui = self.utilisateur or self.nom_externe or self.organisation
        return f"{self.get_type_display()} : {qui}"


class Membre(RattacheAuMenage):
    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="membres")
    nom = models.CharField("nom", max_length=100)
    prenom = models.CharField("prénom", max_length=100)
    nom_recherche = models.CharField(max_length=210, editable=False, db_index=True)
    date_naissance = models.DateField("date de naissance", null=True, blank=True)
    lien = models.CharField("lien avec le chef de ménage", max_length=20, choices=LienMembre.choices)
    date_entree = models.DateField("arrivée dans le ménage", null=True, blank=True)
    date_sortie = models.DateField("départ du ménage", null=True, blank=True)

    class Meta:
        verbose_name = "membre du ménage"
        verbose_name_plural = "membres du ménage"
        ordering = ["menage", "date_naissance", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_sortie__isnull=True)
                | Q(date_entree__isnull=True)
                | Q(date_sortie__gte=models.F("date_entree")),
                name="membre_sortie_apres_entree",
            )
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    def save(self, *args, **kwargs):
        self.nom_recherche = normalize(f"{self.nom} {self.prenom}")
        super().save(*args, **kwargs)
        Menage.objects.filter(pk=self.menage_id).rafraichir_recherche()

    def delete(self, *args, **kwargs):
        menage_id = self.menage_id
        result = super().delete(*args, **kwargs)
        Menage.objects.filter(pk=menage_id).rafraichir_recherche()
        return result

    @property
    def est_present(self):
        return self.date_sortie is None or self.date_sortie >= timezone.localdate()


class Ressource(RattacheAuMenage):
    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="ressources")
    type = models.CharField("type", max_length=30, choices=TypeRessource.choices)
    montant_mensuel = models.DecimalField(
        "montant mensuel (€)", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    precision = models.CharField("précision", max_length=150, blank=True)

    class Meta:
        verbose_name = "ressource"
        verbose_name_plural = "ressources"
        ordering = ["menage", "type"]

    def __str__(self):
        return f"{self.get_type_display()} : {self.montant_mensuel} €"


class Saisine(RattacheAuMenage):
    """The referral facts of one path (episode) of a household: its date, source, problem (access or
    maintien) and landlord, as recorded at referral. A later referral of the same household (a
    re-entry, a new path) gets its own row and never rewrites this one; the funder figures read
    these rows, not the household's current fields."""

    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="saisines")
    numero_parcours = models.PositiveSmallIntegerField("parcours")
    date = models.DateField("date de saisine")
    source_orientation = models.CharField(
        "origine de la saisine", max_length=30, choices=SourceOrientation.choices
    )
    problematique = models.CharField("problématique", max_length=10, choices=Problematique.choices)
    bailleur = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bailleur concerné",
    )

    class Meta:
        verbose_name = "saisine"
        verbose_name_plural = "saisines"
        ordering = ["menage", "numero_parcours"]
        constraints = [
            models.UniqueConstraint(fields=["menage", "numero_parcours"], name="saisine_unique_par_parcours")
        ]

    def __str__(self):
        return f"Saisine du {self.date:%d/%m/%Y} ({self.get_source_orientation_display()})"

    @classmethod
    def du_parcours_actuel(cls, menage):
        """The referral of `menage`'s current path, from its fields (unsaved)."""
        return cls(
            menage_id=menage.pk,
            numero_parcours=menage.numero_parcours,
            date=menage.date_saisine,
            source_orientation=menage.source_orientation,
            problematique=menage.problematique,
            bailleur_id=menage.bailleur_id,
        )


class Dette(RattacheAuMenage):
    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="dettes")
    creancier = models.CharField("créancier", max_length=150)
    montant = models.DecimalField(
        "montant (€)", max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    etape_bdf = models.CharField(
        "dossier de surendettement (Banque de France)", max_length=30, choices=EtapeBdf.choices, blank=True
    )

    class Meta:
        verbose_name = "dette"
        verbose_name_plural = "dettes"
        ordering = ["menage", "-montant"]

    def __str__(self):
        return f"{self.creancier} : {self.montant} €"

    def save(self, *args, **kwargs):
        """A new step of the over-indebtedness file is kept as its own dated fact (EtapeDossierBdf):
        the funder figures count the steps by their date, whatever the debt's current step."""
        avant = (
            Dette.objects.filter(pk=self.pk).values_list("etape_bdf", flat=True).first() if self.pk else None
        )
        super().save(*args, **kwargs)
        if self.etape_bdf and self.etape_bdf != avant:
            EtapeDossierBdf.objects.create(
                menage_id=self.menage_id, dette=self, etape=self.etape_bdf, date=timezone.localdate()
            )


class EtapeDossierBdf(RattacheAuMenage):
    """A step reached by a household's over-indebtedness file (Banque de France), on its date."""

    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="etapes_bdf")
    dette = models.ForeignKey(
        Dette, on_delete=models.SET_NULL, null=True, blank=True, related_name="etapes_bdf"
    )
    etape = models.CharField("étape", max_length=30, choices=EtapeBdf.choices)
    date = models.DateField("date", default=timezone.localdate)

    class Meta:
        verbose_name = "étape du dossier de surendettement"
        verbose_name_plural = "étapes du dossier de surendettement"
        ordering = ["menage", "date", "pk"]
        indexes = [models.Index(fields=["date", "menage"], name="etape_bdf_date")]

    def __str__(self):
        return f"{self.get_etape_display()} le {self.date:%d/%m/%Y}"


class ProblemeMenage(RattacheAuMenage):
    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="problemes")
    code = models.CharField("difficulté", max_length=30, choices=Probleme.choices)

    class Meta:
        verbose_name = "difficulté repérée"
        verbose_name_plural = "difficultés repérées"
        constraints = [models.UniqueConstraint(fields=["menage", "code"], name="probleme_unique_par_menage")]

    def __str__(self):
        return self.get_code_display()


class EvenementParcours(RattacheAuMenage):
    """A step change of a household's path: dated, with its author and reason."""

    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="evenements")
    numero_parcours = models.PositiveSmallIntegerField("parcours")
    etat_avant = models.CharField("étape quittée", max_length=30, choices=EtatParcours.choices, blank=True)
    etat_apres = models.CharField("nouvelle étape", max_length=30, choices=EtatParcours.choices)
    date = models.DateTimeField("date", default=timezone.now)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    motif = models.TextField("motif", blank=True)

    class Meta:
        verbose_name = "événement du parcours"
        verbose_name_plural = "événements du parcours"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_etat_avant_display() or 'Création'} → {self.get_etat_apres_display()}"


class PreDiagnostic(RattacheAuMenage):
    """First look at the household by the landlord and/or the association, before the funders."""

    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="pre_diagnostics")
    numero_parcours = models.PositiveSmallIntegerField("parcours")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, verbose_name="organisation")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    date = models.DateField("date", default=timezone.localdate)
    situation = models.TextField(
        "situation du ménage",
        help_text="Composition, logement, ressources : les faits utiles, sans jugement.",
    )
    difficultes = models.TextField("difficultés repérées")
    dispositifs_mobilises = models.TextField(
        "dispositifs de droit commun déjà mobilisés", blank=True, help_text="MASP, ASLL, AVDL, FSL…"
    )
    motif_orientation = models.TextField("pourquoi le dispositif ASEA")
    propose = models.BooleanField("proposer le ménage au dispositif", default=True)
    confidentialite = models.CharField(
        "confidentialité",
        max_length=25,
        choices=Confidentialite.choices,
        default=Confidentialite.PARTAGE,
        help_text="Réservé aux travailleurs sociaux : le bailleur et la TISF voient qu’il existe, pas ce qu’il dit.",
    )
    modifie_le = models.DateTimeField(auto_now=True)

    confidentiel = Classement(
        champs=("situation", "difficultes", "dispositifs_mobilises", "motif_orientation"),
        niveau_via="confidentialite",
    )

    class Meta:
        verbose_name = "pré-diagnostic"
        verbose_name_plural = "pré-diagnostics"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Pré-diagnostic du {self.date:%d/%m/%Y} ({self.organisation})"

    @staticmethod
    def confidentialite_par_defaut(auteur) -> str:
        """A social worker's pre-diagnostic is for social workers unless shared; a landlord's is
        shared (its author would not read it back otherwise)."""
        if peut_lire(auteur, Confidentialite.TRAVAILLEURS_SOCIAUX):
            return Confidentialite.TRAVAILLEURS_SOCIAUX
        return Confidentialite.PARTAGE


class ValidationFinanceurQuerySet(models.QuerySet):
    def en_attente(self):
        """Validations the funder has not answered yet."""
        return self.filter(decision=DecisionFinanceur.EN_ATTENTE)


class ValidationFinanceur(RattacheAuMenage):
    """A funder's answer on a proposed household, asked by email with signed single-use links."""

    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="validations")
    numero_parcours = models.PositiveSmallIntegerField("parcours")
    financeur = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="validations_donnees", verbose_name="financeur"
    )
    destinataire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="validations_demandees",
        verbose_name="représentant",
    )
    demandee_le = models.DateTimeField("demandée le", default=timezone.now)
    demandee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    courriel_envoye_le = models.DateTimeField("courriel envoyé le", null=True, blank=True)
    decision = models.CharField(
        "décision", max_length=20, choices=DecisionFinanceur.choices, default=DecisionFinanceur.EN_ATTENTE
    )
    commentaire = models.TextField("commentaire", blank=True)
    repondue_le = models.DateTimeField("réponse le", null=True, blank=True)
    mode_reponse = models.CharField("mode de réponse", max_length=10, choices=ModeReponse.choices, blank=True)
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ValidationFinanceurQuerySet.as_manager()

    class Meta:
        verbose_name = "validation d’un financeur"
        verbose_name_plural = "validations des financeurs"
        ordering = ["-demandee_le", "-pk"]

    def __str__(self):
        return f"{self.financeur} : {self.get_decision_display()}"

    @property
    def en_attente(self):
        return self.decision == DecisionFinanceur.EN_ATTENTE


def _score_field(domaine):
    return models.PositiveSmallIntegerField(
        f"autonomie – {domaine.label.lower()}", choices=Autonomie.choices, null=True, blank=True
    )


def _comment_field(domaine):
    return models.TextField(f"observations – {domaine.label.lower()}", blank=True)


class Diagnostic(RattacheAuMenage):
    """The in-depth diagnostic by life domain, scored on an autonomy scale so that the same grid at
    exit measures progress. The health part is confidential (social workers only)."""

    D = DomaineDiagnostic
    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="diagnostics")
    numero_parcours = models.PositiveSmallIntegerField("parcours")
    type = models.CharField(
        "type", max_length=10, choices=TypeDiagnostic.choices, default=TypeDiagnostic.ENTREE
    )
    date = models.DateField("date", default=timezone.localdate)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score_logement = _score_field(D.LOGEMENT)
    observations_logement = _comment_field(D.LOGEMENT)
    score_budget = _score_field(D.BUDGET)
    observations_budget = _comment_field(D.BUDGET)
    score_droits = _score_field(D.DROITS)
    observations_droits = _comment_field(D.DROITS)
    score_sante = _score_field(D.SANTE)
    observations_sante = _comment_field(D.SANTE)
    score_vie_sociale = _score_field(D.VIE_SOCIALE)
    observations_vie_sociale = _comment_field(D.VIE_SOCIALE)
    score_insertion = _score_field(D.INSERTION)
    observations_insertion = _comment_field(D.INSERTION)
    besoin_communes = models.ManyToManyField(
        Commune, blank=True, related_name="+", verbose_name="communes souhaitées"
    )
    besoin_typologie = models.CharField(
        "typologie nécessaire", max_length=2, choices=Typologie.choices, blank=True
    )
    besoin_loyer_max = models.DecimalField(
        "loyer maximal, charges comprises (€)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    besoin_accessibilite = models.BooleanField("logement accessible (PMR) nécessaire", default=False)
    niveau_propose = models.CharField(
        "niveau d’accompagnement proposé", max_length=20, choices=CodeNiveau.choices, blank=True
    )
    objectifs_envisages = models.TextField(
        "objectifs envisagés avec le ménage", blank=True, help_text="Un objectif par ligne."
    )
    modifie_le = models.DateTimeField(auto_now=True)

    # The health part is for social workers only (DOMAINE, Personal data).
    confidentiel = Classement(
        champs=("score_sante", "observations_sante"), niveau=Confidentialite.TRAVAILLEURS_SOCIAUX
    )

    class Meta:
        verbose_name = "diagnostic"
        verbose_name_plural = "diagnostics"
        ordering = ["-date", "-pk"]
        # The latest diagnostic of a type in a path (entry and exit scores of the indicators).
        indexes = [
            models.Index(
                fields=["menage", "numero_parcours", "type", "-date", "-id"], name="diagnostic_parcours_type"
            )
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"

    def domaines(self, lecteur=None):
        """(domain, score label, score, observations) for each life domain, as `lecteur` may read
        them (comptes.confidentialite: the health part is « contenu confidentiel » beyond social
        workers); without `lecteur`, as the record holds them (already masked for a PDF)."""
        masques = champs_masques(lecteur, self) if lecteur is not None else set()
        rows = []
        for domaine in DomaineDiagnostic:
            score = getattr(self, f"score_{domaine.value}")
            observations = getattr(self, f"observations_{domaine.value}")
            if f"score_{domaine.value}" in masques or score == MASQUE:
                rows.append((domaine, MASQUE, None, MASQUE))
                continue
            if f"observations_{domaine.value}" in masques:
                observations = MASQUE
            rows.append((domaine, Autonomie(score).label if score else "", score, observations))
        return rows


class ConsentementQuerySet(models.QuerySet):
    def actifs(self):
        """Consents that stand: given and not withdrawn (a withdrawal applies at once)."""
        return self.filter(date_retrait__isnull=True)


class ConsentementPartage(RattacheAuMenage):
    """The household's consent to sharing its file with one partner, with the information notice
    given (its version), and its withdrawal. One row per consent given: after a withdrawal, a new
    consent is a new row, so that the history stays. Enforced by MenageQuerySet.visible_to."""

    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="consentements")
    partenaire = models.CharField("partenaire", max_length=20, choices=Partenaire.choices)
    date_consentement = models.DateField("consentement donné le")
    version_notice = models.CharField(
        "version de la notice d’information remise",
        max_length=100,
        help_text="La version (ou la date d’édition) de la notice remise au ménage.",
    )
    enregistre_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    enregistre_le = models.DateTimeField("enregistré le", default=timezone.now)
    date_retrait = models.DateField("retiré le", null=True, blank=True)
    retire_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    retire_le = models.DateTimeField("retrait enregistré le", null=True, blank=True)

    objects = ConsentementQuerySet.as_manager()

    class Meta:
        verbose_name = "consentement au partage"
        verbose_name_plural = "consentements au partage"
        ordering = ["menage", "partenaire", "-date_consentement", "-pk"]
        indexes = [
            # visible_to: whether the consent with a partner stands, from the index alone.
            models.Index(fields=["menage", "partenaire", "date_retrait"], name="consentement_actif")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["menage", "partenaire"],
                condition=Q(date_retrait__isnull=True),
                name="consentement_un_seul_actif",
            ),
            models.CheckConstraint(
                condition=Q(date_retrait__isnull=True) | Q(date_retrait__gte=models.F("date_consentement")),
                name="consentement_retrait_apres_don",
            ),
        ]

    def __str__(self):
        etat = f"retiré le {self.date_retrait:%d/%m/%Y}" if self.date_retrait else "en cours"
        return f"{self.get_partenaire_display()} : {etat}"

    @property
    def actif(self):
        return self.date_retrait is None
