"""Support episodes (levels 1-3 and exit relay), rythme, objectives, contacts, key moments and
documents. Records that hang off a household are read through `visible_to(user)`, which applies
the household rule (menages.MenageQuerySet.visible_to) and the confidentiality of notes."""

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accompagnement.enums import (
    CONTACTS_AVEC_LE_MENAGE,
    Axe,
    Confidentialite,
    FormeIml,
    ModaliteTempsFort,
    OrigineChangementNiveau,
    ResultatOrientation,
    Rythme,
    SituationSortie,
    StatutObjectif,
    TypeContact,
    TypeDocument,
    TypeTempsFort,
)
from comptes.confidentialite import Classement, lisibles, lisibles_selon, lit_reserve
from comptes.enums import CodeNiveau, TypeOrganisation
from comptes.models import Organisation
from menages.enums import MotifSortie
from menages.models import Membre, Menage, RattacheAuMenage


class ParMenageQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(menage__in=Menage.objects.visible_to(user))


class ConfidentielQuerySet(ParMenageQuerySet):
    def visible_to(self, user):
        """Records of households the user may see; those reserved to social workers only for them."""
        return super().visible_to(user)._readable_by(user)

    def of_visible_menage(self, menage, user):
        """The records of `menage` that `user` may read, for a household the caller has already
        loaded through `Menage.objects.visible_to(user)` (get_visible_or_404): the household rule
        is not applied a second time, the confidentiality of notes still is."""
        return self.du_menage(menage, lit_reserve(user))

    def du_menage(self, menage, lit_reserve: bool):
        """`of_visible_menage` for a reader who may (or may not) read the notes reserved to social
        workers (comptes.confidentialite.lit_reserve): the one thing of the reader that shapes the
        read, for a read compiled once (comptes.lecture.Gabarit)."""
        return lisibles_selon(self.filter(menage=menage), lit_reserve)

    def _readable_by(self, user):
        return lisibles(self, user)


class AccompagnementQuerySet(ParMenageQuerySet):
    def en_cours(self):
        return self.filter(date_fin__isnull=True)


class ObjectifQuerySet(ConfidentielQuerySet):
    def a_revoir(self, le):
        """Objectives still in progress whose review date has come by `le`."""
        return self.filter(statut=StatutObjectif.EN_COURS, date_revision__lte=le)


class Accompagnement(RattacheAuMenage):
    """One support episode of a household: a level, from a start date to a planned end set by the
    programme's level settings (or by the committee), with the history of its level changes."""

    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="accompagnements")
    numero_parcours = models.PositiveSmallIntegerField("parcours")
    niveau = models.CharField("niveau", max_length=20, choices=CodeNiveau.choices)
    date_debut = models.DateField("début")
    date_fin_prevue = models.DateField("fin prévue")
    date_fin = models.DateField("fin", null=True, blank=True)
    rythme = models.CharField(
        "rythme des rencontres", max_length=20, choices=Rythme.choices, default=Rythme.HEBDOMADAIRE
    )
    motif_sortie = models.CharField("motif de sortie", max_length=30, choices=MotifSortie.choices, blank=True)
    situation_sortie = models.CharField(
        "situation de logement à la sortie", max_length=20, choices=SituationSortie.choices, blank=True
    )
    # The end, like a level, comes from a committee decision or an administrator's correction.
    decision_fin = models.ForeignKey(
        "comites.PointOrdreDuJour",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décision de fin du comité",
    )
    correction_fin = models.TextField("motif de la correction (fin)", blank=True)

    objects = AccompagnementQuerySet.as_manager()

    class Meta:
        verbose_name = "accompagnement"
        verbose_name_plural = "accompagnements"
        ordering = ["-date_debut", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin_prevue__gte=models.F("date_debut")), name="acc_fin_prevue_apres_debut"
            ),
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=models.F("date_debut")),
                name="acc_fin_apres_debut",
            ),
        ]

    def __str__(self):
        return f"{self.get_niveau_display()} depuis le {self.date_debut:%d/%m/%Y}"

    @property
    def en_cours(self):
        return self.date_fin is None

    @property
    def source_fin(self) -> str:
        if self.correction_fin:
            return f"correction par un administrateur : {self.correction_fin}"
        if self.decision_fin_id:
            return f"décision du comité du {timezone.localtime(self.decision_fin.seance.date):%d/%m/%Y}"
        return "décision antérieure, non rattachée"

    def jours_restants(self, le=None):
        return (self.date_fin_prevue - (le or timezone.localdate())).days


class ChangementNiveau(RattacheAuMenage):
    """A level given to an episode (its start, a change, a renewal): by the committee decision that
    made it (`decision`), or by an administrator's correction whose written reason is `motif`.
    A row recorded before decisions were linked may have neither (« décision antérieure »)."""

    accompagnement = models.ForeignKey(
        Accompagnement, on_delete=models.CASCADE, related_name="changements_niveau"
    )
    ancien_niveau = models.CharField("ancien niveau", max_length=20, choices=CodeNiveau.choices, blank=True)
    nouveau_niveau = models.CharField("nouveau niveau", max_length=20, choices=CodeNiveau.choices)
    date_effet = models.DateField("date d’effet")
    date_decision = models.DateField(
        "date de la décision",
        help_text="Le jour de la séance du comité (ou de la consultation urgente, ou de la correction).",
    )
    date_fin_prevue = models.DateField("fin prévue")
    origine = models.CharField("origine", max_length=20, choices=OrigineChangementNiveau.choices)
    motif = models.TextField("motif")
    # A string reference: the committee app sits above this one and is never imported here.
    decision = models.ForeignKey(
        "comites.PointOrdreDuJour",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="changements_niveau",
        verbose_name="décision du comité",
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    enregistre_le = models.DateTimeField(default=timezone.now)

    menage_via = "accompagnement"

    @property
    def est_correction(self):
        return self.origine == OrigineChangementNiveau.ADMINISTRATEUR

    @property
    def source(self) -> str:
        """Where the level comes from, as the file and the timeline show it."""
        if self.est_correction:
            return f"correction par un administrateur : {self.motif}"
        if self.decision_id:
            return f"décision du comité du {timezone.localtime(self.decision.seance.date):%d/%m/%Y}"
        return "décision antérieure, non rattachée"

    class Meta:
        verbose_name = "changement de niveau"
        verbose_name_plural = "changements de niveau"
        ordering = ["-date_effet", "-pk"]
        # An episode's level on a date: its latest change up to then.
        indexes = [
            models.Index(fields=["accompagnement", "-date_effet", "-id"], name="changement_niveau_date")
        ]

    def __str__(self):
        return f"{self.get_ancien_niveau_display() or '—'} → {self.get_nouveau_niveau_display()}"


class MesureIml(RattacheAuMenage):
    """The intermédiation locative of a reinforced support (or added by the committee)."""

    accompagnement = models.OneToOneField(Accompagnement, on_delete=models.CASCADE, related_name="iml")
    partenaire = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        verbose_name="partenaire",
        limit_choices_to={"type": TypeOrganisation.PARTENAIRE_IML},
    )
    forme = models.CharField("forme", max_length=20, choices=FormeIml.choices)
    date_debut_contrat = models.DateField("début du contrat")
    date_fin_contrat = models.DateField("fin du contrat", null=True, blank=True)
    glissement_bail_prevu = models.DateField("glissement du bail prévu le", null=True, blank=True)

    menage_via = "accompagnement"

    class Meta:
        verbose_name = "mesure d’intermédiation locative"
        verbose_name_plural = "mesures d’intermédiation locative"

    def __str__(self):
        return f"IML {self.get_forme_display().lower()} ({self.partenaire})"


class ChangementRythme(RattacheAuMenage):
    accompagnement = models.ForeignKey(
        Accompagnement, on_delete=models.CASCADE, related_name="changements_rythme"
    )
    rythme = models.CharField("rythme", max_length=20, choices=Rythme.choices)
    date = models.DateField("à partir du", default=timezone.localdate)
    motif = models.CharField("motif", max_length=250, blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    menage_via = "accompagnement"

    class Meta:
        verbose_name = "changement de rythme"
        verbose_name_plural = "changements de rythme"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_rythme_display()} à partir du {self.date:%d/%m/%Y}"


class Versionne(models.Model):
    """A record edited by several people: each save bumps `version`, and a save from a stale form
    is refused (see accompagnement.services.save_versioned)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class Objectif(RattacheAuMenage, Versionne):
    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="objectifs")
    accompagnement = models.ForeignKey(
        Accompagnement, on_delete=models.SET_NULL, null=True, blank=True, related_name="objectifs"
    )
    axe = models.CharField("axe", max_length=20, choices=Axe.choices)
    libelle = models.TextField("objectif, tel que formulé avec le ménage")
    date_debut = models.DateField("début", default=timezone.localdate)
    date_revision = models.DateField("à revoir le", null=True, blank=True)
    statut = models.CharField(
        "statut", max_length=20, choices=StatutObjectif.choices, default=StatutObjectif.EN_COURS
    )
    date_atteint = models.DateField(
        "atteint le", null=True, blank=True, editable=False, help_text="Le jour où l’objectif a été atteint."
    )
    actions = models.TextField("actions prévues", blank=True, help_text="Une action par ligne.")
    confidentialite = models.CharField(
        "confidentialité",
        max_length=25,
        choices=Confidentialite.choices,
        default=Confidentialite.PARTAGE,
        help_text="Un objectif d’accès aux soins est réservé aux travailleurs sociaux, sauf choix contraire.",
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = ObjectifQuerySet.as_manager()
    confidentiel = Classement(champs=("libelle", "actions"), niveau_via="confidentialite")

    class Meta:
        verbose_name = "objectif"
        verbose_name_plural = "objectifs"
        ordering = ["statut", "date_revision", "pk"]

    def __str__(self):
        # No wording: the name of a record shows in journals and admin pages, whoever reads them.
        return f"Objectif du {self.date_debut:%d/%m/%Y}"

    @staticmethod
    def confidentialite_par_defaut(axe) -> str:
        """Health objectives are for social workers only unless their author shares them."""
        return Confidentialite.TRAVAILLEURS_SOCIAUX if axe == Axe.SOINS else Confidentialite.PARTAGE


class HistoriqueObjectif(RattacheAuMenage):
    objectif = models.ForeignKey(Objectif, on_delete=models.CASCADE, related_name="historique")
    statut = models.CharField("statut", max_length=20, choices=StatutObjectif.choices)
    libelle = models.TextField("objectif")
    date = models.DateTimeField(default=timezone.now)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    commentaire = models.CharField("commentaire", max_length=250, blank=True)

    menage_via = "objectif"
    confidentiel = Classement(champs=("libelle", "commentaire"), niveau_via="objectif__confidentialite")

    class Meta:
        verbose_name = "historique d’un objectif"
        verbose_name_plural = "historiques des objectifs"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.get_statut_display()} ({self.date:%d/%m/%Y})"


class Orientation(RattacheAuMenage):
    """An orientation of the household to a partner (addiction care, MASP…) and its outcome."""

    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="orientations")
    partenaire = models.CharField("partenaire", max_length=200)
    motif = models.CharField("motif", max_length=250)
    date = models.DateField("date", default=timezone.localdate)
    resultat = models.CharField(
        "résultat", max_length=20, choices=ResultatOrientation.choices, default=ResultatOrientation.EN_ATTENTE
    )
    confidentialite = models.CharField(
        "confidentialité",
        max_length=25,
        choices=Confidentialite.choices,
        default=Confidentialite.TRAVAILLEURS_SOCIAUX,
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = ConfidentielQuerySet.as_manager()
    confidentiel = Classement(champs=("partenaire", "motif"), niveau_via="confidentialite")

    class Meta:
        verbose_name = "orientation"
        verbose_name_plural = "orientations"
        ordering = ["-date", "-pk"]

    def __str__(self):
        # No partner: an addiction care centre says too much in a journal or an admin page.
        return f"Orientation du {self.date:%d/%m/%Y} ({self.get_resultat_display().lower()})"


class Contact(RattacheAuMenage, Versionne):
    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="contacts")
    type = models.CharField("type", max_length=20, choices=TypeContact.choices, default=TypeContact.VAD)
    date = models.DateTimeField("date et heure", default=timezone.now)
    duree_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", default=60, validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    lieu = models.CharField("lieu", max_length=150, blank=True)
    membres = models.ManyToManyField(
        Membre, blank=True, related_name="contacts", verbose_name="membres du ménage présents"
    )
    professionnels = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="contacts", verbose_name="professionnels présents"
    )
    autres_participants = models.CharField("autres participants", max_length=250, blank=True)
    axes = models.JSONField("axes abordés", default=list, blank=True)
    note = models.TextField("note", blank=True)
    confidentialite = models.CharField(
        "confidentialité de la note",
        max_length=25,
        choices=Confidentialite.choices,
        default=Confidentialite.PARTAGE,
    )
    prochaine_etape = models.CharField("prochaine étape", max_length=250, blank=True)
    prochaine_etape_le = models.DateField("date de la prochaine étape", null=True, blank=True)
    prochaine_etape_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prochaines_etapes",
        verbose_name="qui s’en charge",
    )
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)
    # Generated by the tablet for each draft: a draft sent again (the network came back, the page
    # was reloaded) finds the contact it already made instead of making a second one.
    cle_envoi = models.UUIDField("clé d’envoi", null=True, blank=True, editable=False)

    objects = ConfidentielQuerySet.as_manager()
    confidentiel = Classement(
        champs=("note", "prochaine_etape", "lieu", "autres_participants", "axes"),
        niveau_via="confidentialite",
    )

    class Meta:
        verbose_name = "contact"
        verbose_name_plural = "contacts"
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["menage", "-date"], name="contact_menage_date"),
            # Each household's last contact with it, for its lateness (`annoter_suivi`): read
            # from the index alone, for the hundreds of files of a dashboard or a list.
            models.Index(
                fields=["menage", "-date"],
                name="contact_avec_menage_date",
                condition=Q(type__in=CONTACTS_AVEC_LE_MENAGE),
            ),
            # A diary reads its author's contacts of the week (a social worker writes thousands).
            models.Index(fields=["auteur", "date"], name="contact_auteur_date"),
            # The diaries and the reminders read the dated next steps by person and day.
            models.Index(
                fields=["prochaine_etape_par", "prochaine_etape_le"],
                name="contact_prochaine_etape",
                condition=Q(prochaine_etape_le__isnull=False),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["auteur", "cle_envoi"], name="contact_cle_envoi_unique"),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {timezone.localtime(self.date):%d/%m/%Y}"

    @property
    def est_reservee_travailleurs_sociaux(self):
        return self.confidentialite == Confidentialite.TRAVAILLEURS_SOCIAUX

    @property
    def libelles_axes(self):
        libelles = dict(Axe.choices)
        return [libelles[a] for a in self.axes if a in libelles]

    @property
    def heures(self):
        return self.duree_minutes / 60


class TempsFort(RattacheAuMenage):
    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="temps_forts")
    type = models.CharField("temps fort", max_length=20, choices=TypeTempsFort.choices)
    date_prevue = models.DateTimeField("date prévue")
    modalite = models.CharField("déroulement", max_length=20, choices=ModaliteTempsFort.choices)
    participants = models.CharField("qui sera présent", max_length=250, blank=True)
    realise = models.BooleanField("réalisé", default=False)
    commentaire = models.CharField("commentaire", max_length=250, blank=True)

    objects = ParMenageQuerySet.as_manager()

    class Meta:
        verbose_name = "temps fort"
        verbose_name_plural = "temps forts"
        ordering = ["date_prevue", "pk"]

    def __str__(self):
        return f"{self.get_type_display()} le {timezone.localtime(self.date_prevue):%d/%m/%Y}"


def document_path(instance, filename):
    # The original name is kept in the row, never in the path.
    return f"menages/{instance.menage_id}/{timezone.now():%Y%m}/{instance.empreinte}"


class Document(RattacheAuMenage):
    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="documents")
    type = models.CharField("type", max_length=20, choices=TypeDocument.choices)
    titre = models.CharField("titre", max_length=150)
    fichier = models.FileField("fichier", upload_to=document_path)
    nom_original = models.CharField(max_length=255)
    format = models.CharField(max_length=10)
    taille = models.PositiveIntegerField()
    empreinte = models.CharField(max_length=64)
    confidentialite = models.CharField(
        "confidentialité", max_length=25, choices=Confidentialite.choices, default=Confidentialite.PARTAGE
    )
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    depose_le = models.DateTimeField(auto_now_add=True)

    objects = ConfidentielQuerySet.as_manager()
    confidentiel = Classement(champs=("titre", "nom_original", "fichier"), niveau_via="confidentialite")

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documents"
        ordering = ["-depose_le", "-pk"]

    def __str__(self):
        # No title: it may say what the document is about (a medical certificate…).
        return (
            f"{self.get_type_display()} du {timezone.localtime(self.depose_le):%d/%m/%Y}"
            if self.depose_le
            else self.get_type_display()
        )


def planned_end(date_debut, duree_mois):
    return date_debut + relativedelta(months=duree_mois, days=-1)


class SuiviPostSortie(RattacheAuMenage):
    """The household's housing situation recorded 6 and 12 months after the end of its support."""

    accompagnement = models.ForeignKey(
        Accompagnement, on_delete=models.CASCADE, related_name="suivis_post_sortie"
    )
    echeance_mois = models.PositiveSmallIntegerField("échéance", choices=[(6, "6 mois"), (12, "12 mois")])
    date = models.DateField("date du constat", default=timezone.localdate)
    situation = models.CharField("situation de logement", max_length=20, choices=SituationSortie.choices)
    commentaire = models.CharField("commentaire", max_length=250, blank=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    menage_via = "accompagnement"

    class Meta:
        verbose_name = "situation après la sortie"
        verbose_name_plural = "situations après la sortie"
        ordering = ["accompagnement", "echeance_mois"]
        constraints = [
            models.UniqueConstraint(
                fields=["accompagnement", "echeance_mois"], name="suivi_post_sortie_unique"
            )
        ]

    def __str__(self):
        return f"{self.get_echeance_mois_display()} après la sortie : {self.get_situation_display()}"
