"""Programmes (dispositifs), their settings, organisations, communes and users with their roles."""

import re
import unicodedata
from decimal import Decimal

import rules
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from comptes.enums import ROLES_BAILLEUR, CodeNiveau, Role, TypeEvenementConnexion, TypeOrganisation

# A programme's reference prefix: 2 to 12 capital letters, digits and hyphens, neither starting nor
# ending with a hyphen (ASEA, ASEA-34).
PREFIXE_REFERENCE_REGEX = r"^[A-Z0-9][A-Z0-9-]{0,10}[A-Z0-9]$"
valider_prefixe_reference = RegexValidator(
    PREFIXE_REFERENCE_REGEX,
    "Le préfixe comporte de 2 à 12 caractères : lettres majuscules sans accent, chiffres et tirets "
    "(ni au début ni à la fin).",
)


def prefixe_depuis_code(code: str, pris=()) -> str:
    """A valid reference prefix derived from a programme's code (« asea-hérault » → ASEA-HERAULT),
    made unique among `pris` by a numbered suffix."""
    sans_accents = unicodedata.normalize("NFKD", code).encode("ascii", "ignore").decode()
    base = re.sub(r"-+", "-", re.sub(r"[^A-Z0-9]", "-", sans_accents.upper())).strip("-")[:12].strip("-")
    base = base if len(base) >= 2 else f"P{base or 'R'}"
    pris = set(pris)
    prefixe, n = base, 1
    while prefixe in pris:
        n += 1
        suffixe = f"-{n}"
        prefixe = base[: 12 - len(suffixe)].rstrip("-") + suffixe
    return prefixe


class DispositifQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The programmes `user` takes part in through their organisation (technical staff, who are
        superusers: every one). An administrator manages the settings of these only."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.organisation_id is None:
            return self.none()
        return self.filter(organisations=user.organisation_id)


class Dispositif(models.Model):
    """A programme on a territory. Its settings live here, not in code, so that one instance can
    host several territories' programmes."""

    nom = models.CharField("nom", max_length=200)
    code = models.SlugField("code", unique=True)
    prefixe_reference = models.CharField(
        "préfixe des références des ménages",
        max_length=12,
        unique=True,
        validators=[valider_prefixe_reference],
        help_text="Par exemple ASEA : les ménages du programme sont numérotés ASEA-2026-0001, "
        "ASEA-2026-0002… chaque année.",
    )
    territoire = models.CharField("territoire", max_length=200)
    date_debut = models.DateField("date de début")
    duree_mois = models.PositiveSmallIntegerField(
        "durée de la convention (mois)", default=36, validators=[MinValueValidator(1)]
    )
    rythme_comite_mois = models.PositiveSmallIntegerField(
        "rythme du comité de suivi (mois)", default=2, validators=[MinValueValidator(1)]
    )
    objectif_menages_total = models.PositiveIntegerField("objectif de ménages (total)", default=50)
    objectif_logements_mobilises = models.PositiveIntegerField("objectif de logements mobilisés", default=25)
    objectif_menages_par_bailleur = models.PositiveIntegerField(
        "objectif de ménages par bailleur", default=25
    )
    objectif_menages_par_an = models.PositiveIntegerField("objectif de ménages par an", default=17)
    financeurs_validation_requise = models.ManyToManyField(
        "Organisation",
        blank=True,
        related_name="validations_requises",
        verbose_name="financeurs dont la validation est requise avant le diagnostic",
        limit_choices_to={"type": TypeOrganisation.FINANCEUR},
    )
    validite_lien_validation_jours = models.PositiveSmallIntegerField(
        "validité des liens de validation envoyés aux financeurs (jours)",
        default=15,
        validators=[MinValueValidator(1)],
    )
    # Reminder delays (see the rappels app).
    rappel_validation_financeurs_jours = models.PositiveSmallIntegerField(
        "relancer une validation de financeur sans réponse après (jours)", default=10
    )
    rappel_diagnostic_jours = models.PositiveSmallIntegerField(
        "signaler un diagnostic non fait après la validation au bout de (jours)", default=30
    )
    rappel_seance_jours = models.PositiveSmallIntegerField("rappeler une séance (jours avant)", default=7)
    rappel_avis_jours = models.PositiveSmallIntegerField(
        "rappeler les avis attendus (jours avant la séance)", default=3
    )
    renouvellement_information_mois = models.PositiveSmallIntegerField(
        "renouveler la notice d’information et le consentement après (mois)", default=12
    )
    retention_mois = models.PositiveSmallIntegerField(
        "anonymiser un dossier clos sans contact depuis (mois)", default=24, validators=[MinValueValidator(6)]
    )
    # Arrears: a tenant whose balance reaches this many months of their own rent and charges is
    # flagged (tenant file, reminder to the CESF and the référent); see logements.selectors.
    seuil_impayes_mois = models.DecimalField(
        "seuil d’impayés (mois de loyer)",
        max_digits=4,
        decimal_places=1,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    actif = models.BooleanField("actif", default=True)

    objects = DispositifQuerySet.as_manager()

    class Meta:
        verbose_name = "dispositif"
        verbose_name_plural = "dispositifs"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    def save(self, *args, **kwargs):
        if not self.prefixe_reference:
            # A programme created without a prefix gets one derived from its code.
            pris = Dispositif.objects.exclude(pk=self.pk).values_list("prefixe_reference", flat=True)
            self.prefixe_reference = prefixe_depuis_code(self.code, pris)
        super().save(*args, **kwargs)

    @property
    def date_fin(self):
        return self.date_debut + relativedelta(months=self.duree_mois, days=-1)


class NiveauAccompagnement(models.Model):
    """A support level of a programme and its allowed duration (set by the programme)."""

    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="niveaux")
    code = models.CharField("code", max_length=20, choices=CodeNiveau.choices)
    libelle = models.CharField("libellé", max_length=200)
    description = models.TextField("contenu", blank=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    duree_min_mois = models.PositiveSmallIntegerField("durée minimale (mois)", null=True, blank=True)
    duree_max_mois = models.PositiveSmallIntegerField(
        "durée maximale (mois)",
        null=True,
        blank=True,
        help_text="Laisser vide si la durée est fixée par le comité de suivi.",
    )
    avec_iml = models.BooleanField("comprend une intermédiation locative", default=False)

    class Meta:
        verbose_name = "niveau d’accompagnement"
        verbose_name_plural = "niveaux d’accompagnement"
        ordering = ["dispositif", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["dispositif", "code"], name="niveau_unique_par_dispositif"),
            models.CheckConstraint(
                condition=models.Q(duree_min_mois__isnull=True)
                | models.Q(duree_max_mois__isnull=True)
                | models.Q(duree_min_mois__lte=models.F("duree_max_mois")),
                name="niveau_duree_min_inferieure_max",
            ),
        ]

    def __str__(self):
        return self.libelle


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The organisations taking part in one of the programmes `user` takes part in (technical
        staff: every one, even those in no programme yet)."""
        if not user or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        participations = Organisation.dispositifs.through.objects.filter(
            dispositif__in=Dispositif.objects.visible_to(user)
        )
        return self.filter(pk__in=participations.values("organisation_id"))

    def verrouiller_bailleurs(self, bailleur_id=None) -> None:
        """Lock one landlord's row (every landlord's, without `bailleur_id`) until the end of the
        transaction, in the order of their keys: what a recomputation of a landlord's kept figures
        takes (logements.impayes, menages.effectifs), so that two of them never insert the same
        row, nor wait for each other in a cycle. NO KEY UPDATE does not block the inserts that
        merely reference the landlord."""
        bailleurs = (
            self.filter(type=TypeOrganisation.BAILLEUR)
            if bailleur_id is None
            else self.filter(pk=bailleur_id)
        )
        list(bailleurs.order_by("pk").select_for_update(no_key=True).values_list("pk", flat=True))


class Organisation(models.Model):
    nom = models.CharField(
        "nom",
        max_length=200,
        unique=True,
        error_messages={"unique": "Une organisation porte déjà ce nom."},
    )
    sigle = models.CharField("sigle", max_length=40, blank=True)
    type = models.CharField("type", max_length=20, choices=TypeOrganisation.choices)
    dispositifs = models.ManyToManyField(
        Dispositif, related_name="organisations", blank=True, verbose_name="dispositifs"
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["nom"]

    def __str__(self):
        return self.sigle or self.nom

    @property
    def est_bailleur(self):
        return self.type == TypeOrganisation.BAILLEUR


class Commune(models.Model):
    nom = models.CharField("nom", max_length=120)
    code_insee = models.CharField("code INSEE", max_length=5, unique=True)
    code_postal = models.CharField("code postal", max_length=5)

    class Meta:
        verbose_name = "commune"
        verbose_name_plural = "communes"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Utilisateur(AbstractUser):
    """A person using the app. Belongs to one organisation; holds one or more roles."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="utilisateurs",
        null=True,
        blank=True,
        verbose_name="organisation",
    )
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    est_demo = models.BooleanField(
        "compte de démonstration",
        default=False,
        help_text="Refusé à la connexion hors du mode démonstration.",
    )

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    def has_perm(self, perm, obj=None):
        """A superuser (the technical staff) holds every model permission of the admin site, but the
        business permissions (django-rules) go by role, as anyone's: a superuser is an administrator
        there (`est_administrateur`), who reads no confidential content."""
        if self.is_active and self.is_superuser and rules.perm_exists(perm):
            return rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(r.role for r in self.attributions_roles.all())

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def est_administrateur(self) -> bool:
        return self.is_active and (self.is_superuser or Role.ADMINISTRATEUR in self.roles)

    @property
    def est_personnel_bailleur(self) -> bool:
        return (
            self.organisation is not None
            and self.organisation.est_bailleur
            and bool(self.roles & ROLES_BAILLEUR)
        )

    def libelles_roles(self) -> list[str]:
        return [Role(r).label for r in sorted(self.roles)]


class AttributionRole(models.Model):
    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="attributions_roles")
    role = models.CharField("rôle", max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = "rôle"
        verbose_name_plural = "rôles"
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "role"], name="role_unique_par_utilisateur")
        ]

    def __str__(self):
        return self.get_role_display()


class BattementService(models.Model):
    """Last time a background process proved it was alive (shown by the health endpoint)."""

    nom = models.CharField(max_length=50, unique=True)
    vu_le = models.DateTimeField()

    class Meta:
        verbose_name = "battement de service"
        verbose_name_plural = "battements de service"

    def __str__(self):
        return f"{self.nom} ({self.vu_le:%Y-%m-%d %H:%M})"


class SessionUtilisateur(AbstractBaseSession):
    """A database session that also stores its user's id, so that all of a user's sessions can be
    ended at once (see comptes.sessions and comptes.services.end_sessions_of)."""

    utilisateur_id = models.BigIntegerField("utilisateur", null=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = "session"
        verbose_name_plural = "sessions"

    @classmethod
    def get_session_store_class(cls):
        from comptes.sessions import SessionStore

        return SessionStore


class EvenementConnexionQuerySet(models.QuerySet):
    def echecs(self):
        return self.filter(type__in=[TypeEvenementConnexion.ECHEC, TypeEvenementConnexion.ECHEC_CODE])


class EvenementConnexion(models.Model):
    """A login, logout or failed login: who, when, from which IP address. Failures also drive the
    brute-force lockout (comptes.lockout)."""

    type = models.CharField("événement", max_length=30, choices=TypeEvenementConnexion.choices)
    identifiant = models.CharField("identifiant saisi", max_length=150, blank=True)
    utilisateur = models.ForeignKey(
        Utilisateur,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evenements_connexion",
        verbose_name="utilisateur",
    )
    adresse_ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    navigateur = models.CharField("navigateur", max_length=300, blank=True)
    date = models.DateTimeField("date", default=timezone.now, db_index=True)

    objects = EvenementConnexionQuerySet.as_manager()

    class Meta:
        verbose_name = "événement de connexion"
        verbose_name_plural = "journal des connexions"
        ordering = ["-date"]
        indexes = [
            models.Index(fields=["identifiant", "adresse_ip", "date"], name="evenement_identifiant_ip"),
            models.Index(fields=["adresse_ip", "date"], name="evenement_ip"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} – {self.identifiant} ({self.date:%Y-%m-%d %H:%M})"


class InvitationQuerySet(models.QuerySet):
    def en_attente(self, now=None):
        """Invitations whose link still works: neither used, nor replaced, nor expired."""
        return self.filter(
            utilisee_le__isnull=True, remplacee_le__isnull=True, expire_le__gt=now or timezone.now()
        )


class Invitation(models.Model):
    """An emailed link with which a new user sets her password, then enrols her second factor.
    The link is single-use, expires, and is replaced by a new invitation; only the SHA-256 hash of
    its token is stored (comptes.invitations)."""

    utilisateur = models.ForeignKey(
        Utilisateur, on_delete=models.CASCADE, related_name="invitations", verbose_name="utilisateur"
    )
    jeton_hash = models.CharField("empreinte du jeton", max_length=64, unique=True)
    envoyee_par = models.ForeignKey(
        Utilisateur,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="envoyée par",
    )
    envoyee_le = models.DateTimeField("envoyée le", default=timezone.now)
    expire_le = models.DateTimeField("expire le")
    utilisee_le = models.DateTimeField("utilisée le", null=True, blank=True)
    remplacee_le = models.DateTimeField("remplacée le", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-envoyee_le"]

    def __str__(self):
        return f"Invitation de {self.utilisateur} ({self.envoyee_le:%Y-%m-%d %H:%M})"
