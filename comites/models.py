"""Committee bodies, sessions, agendas built from the files, members' opinions, decisions applied
to the files and the minutes."""

import math

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from comites.enums import (
    ROLES_ANIMATION,
    STATUTS_OUVERTS,
    Avis,
    Decision,
    RoleMembre,
    StatutSeance,
    TypeInstance,
    TypePoint,
)
from comptes.enums import CodeNiveau
from comptes.models import Dispositif
from comptes.selectors import dans_le_dispositif_courant, dispositifs_courants
from menages.models import Menage, RattacheAuMenage


class InstanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The bodies of the programmes `user` takes part in (Dispositif.visible_to): those whose
        settings an administrator manages."""
        return self.filter(dispositif__in=Dispositif.objects.visible_to(user))

    def animees_par(self, user):
        """The bodies whose sessions `user` runs, as chair or secretary (administrators: all those of
        the current programme), in the current programme when it is one of the user's organisation
        (`dans_le_dispositif_courant`)."""
        if user.est_administrateur:
            return self.filter(dispositif__in=dispositifs_courants(user))
        mandats = MembreInstance.objects.actifs().filter(utilisateur=user, role__in=ROLES_ANIMATION)
        return self.filter(dans_le_dispositif_courant(user), membres__in=mandats).distinct()


class Instance(models.Model):
    dispositif = models.ForeignKey(Dispositif, on_delete=models.CASCADE, related_name="instances")
    type = models.CharField("type", max_length=30, choices=TypeInstance.choices)
    nom = models.CharField("nom", max_length=150)
    rythme_mois = models.PositiveSmallIntegerField(
        "se réunit tous les (mois)", default=2, validators=[MinValueValidator(1)]
    )
    quorum_pourcentage = models.PositiveSmallIntegerField(
        "quorum (% des membres votants présents)",
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    lieu_habituel = models.CharField("lieu habituel", max_length=200, blank=True)

    objects = InstanceQuerySet.as_manager()

    class Meta:
        verbose_name = "instance"
        verbose_name_plural = "instances"
        ordering = ["dispositif", "type"]

    def __str__(self):
        return self.nom

    @property
    def rythme(self) -> int:
        """Months between two sessions: the comité de suivi meets at the programme's rhythm (a
        setting of the Dispositif); the other bodies at their own."""
        if self.type == TypeInstance.COMITE_SUIVI:
            return self.dispositif.rythme_comite_mois
        return self.rythme_mois

    def quorum(self, votants: int) -> int:
        """Members with a vote who must be present for the session to decide."""
        return max(1, math.ceil(votants * self.quorum_pourcentage / 100))


class MembreQuerySet(models.QuerySet):
    def actifs(self, le=None):
        le = le or timezone.localdate()
        return self.filter(Q(date_fin__isnull=True) | Q(date_fin__gte=le), date_debut__lte=le)


class MembreInstance(models.Model):
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="membres")
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandats"
    )
    role = models.CharField("rôle", max_length=20, choices=RoleMembre.choices, default=RoleMembre.MEMBRE)
    voix_deliberative = models.BooleanField("vote", default=True)
    date_debut = models.DateField("début", default=timezone.localdate)
    date_fin = models.DateField("fin", null=True, blank=True)

    objects = MembreQuerySet.as_manager()

    class Meta:
        verbose_name = "membre d’une instance"
        verbose_name_plural = "membres des instances"
        ordering = ["instance", "role", "utilisateur__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "utilisateur"], name="membre_unique_par_instance")
        ]

    def __str__(self):
        return f"{self.utilisateur} ({self.get_role_display().lower()})"


class SeanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Sessions of the bodies the user sits on (administrators: all those of the current
        programme), in the current programme when the body's programme is one of the user's
        organisation (`dans_le_dispositif_courant`)."""
        if not user.is_authenticated:
            return self.none()
        if user.est_administrateur:
            return self.filter(instance__dispositif__in=dispositifs_courants(user))
        membres = MembreInstance.objects.actifs().filter(utilisateur=user).values("instance_id")
        return self.filter(dans_le_dispositif_courant(user, "instance__dispositif"), instance__in=membres)

    def ouvertes(self):
        """Sessions still to be held (planned or convened)."""
        return self.filter(statut__in=STATUTS_OUVERTS)

    def tenues(self):
        """Sessions held: attendance recorded and quorum reached (or, for an urgent consultation,
        decisions taken with the members' opinions)."""
        return self.filter(statut=StatutSeance.TENUE)

    def a_regulariser(self, aujourdhui=None):
        """Sessions still open after their day: held, not held or cancelled, nobody said."""
        aujourdhui = aujourdhui or timezone.localdate()
        return self.ouvertes().filter(date__date__lt=aujourdhui)


class Seance(models.Model):
    instance = models.ForeignKey(Instance, on_delete=models.CASCADE, related_name="seances")
    date = models.DateTimeField("date et heure")
    lieu = models.CharField("lieu", max_length=200, blank=True)
    lien_visio = models.URLField("lien de visioconférence", blank=True)
    urgente = models.BooleanField(
        "consultation urgente entre deux séances",
        default=False,
        help_text="Les membres donnent leur avis en ligne.",
    )
    statut = models.CharField(
        "statut", max_length=20, choices=StatutSeance.choices, default=StatutSeance.PLANIFIEE
    )
    initiales_seulement = models.BooleanField("n’afficher que les initiales des ménages", default=False)
    motif_statut = models.TextField(
        "motif", blank=True, help_text="Pourquoi la séance ne s’est pas tenue ou a été annulée."
    )
    convocation_envoyee_le = models.DateTimeField(null=True, blank=True)
    # When the session was settled (held, not held or cancelled).
    close_le = models.DateTimeField(null=True, blank=True)
    pv = models.FileField("procès-verbal", upload_to="comites/pv/", blank=True)
    pv_genere_le = models.DateTimeField(null=True, blank=True)
    pv_en_cours = models.BooleanField(default=False)
    pv_approuve_par = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pv_approuves",
        verbose_name="procès-verbal approuvé lors de la séance",
    )

    objects = SeanceQuerySet.as_manager()

    class Meta:
        verbose_name = "séance"
        verbose_name_plural = "séances"
        ordering = ["date"]

    def __str__(self):
        return f"{self.instance} du {timezone.localtime(self.date):%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("comites:seance", args=[self.pk])

    @property
    def close(self):
        """Settled (held, not held or cancelled): nothing about it changes any more."""
        return self.statut not in STATUTS_OUVERTS

    @property
    def a_regulariser(self):
        return not self.close and timezone.localtime(self.date).date() < timezone.localdate()

    @property
    def jour_passe(self):
        """Its day has come: it can be recorded as held or not held."""
        return timezone.localtime(self.date).date() <= timezone.localdate()


class Presence(models.Model):
    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="presences")
    membre = models.ForeignKey(MembreInstance, on_delete=models.CASCADE, related_name="presences")
    present = models.BooleanField("présent", default=False)
    excuse = models.BooleanField("excusé", default=False)

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences"
        constraints = [models.UniqueConstraint(fields=["seance", "membre"], name="presence_unique")]

    def __str__(self):
        return f"{self.membre} : {'présent' if self.present else 'absent'}"


class PointQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agenda items of the sessions the user sits on, plus those of households they may see."""
        return self.filter(
            Q(seance__in=Seance.objects.visible_to(user)) | Q(menage__in=Menage.objects.visible_to(user))
        )

    def a_decider(self):
        """Items the chair has not decided yet."""
        return self.filter(decision="")

    def decides(self):
        return self.exclude(decision="")

    def ouverts(self):
        """Items awaiting a decision in a session still open: the agenda's pending work."""
        return self.a_decider().filter(seance__statut__in=STATUTS_OUVERTS)


class PointOrdreDuJour(RattacheAuMenage):
    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="points")
    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="points_comite")
    type = models.CharField("objet", max_length=30, choices=TypePoint.choices)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    niveau_propose = models.CharField("niveau proposé", max_length=20, choices=CodeNiveau.choices, blank=True)
    duree_proposee_mois = models.PositiveSmallIntegerField("durée proposée (mois)", null=True, blank=True)
    motif = models.TextField("motifs de la proposition", blank=True)
    decision = models.CharField("décision", max_length=20, choices=Decision.choices, blank=True)
    decision_niveau = models.CharField("niveau décidé", max_length=20, choices=CodeNiveau.choices, blank=True)
    decision_date_debut = models.DateField("à compter du", null=True, blank=True)
    decision_duree_mois = models.PositiveSmallIntegerField("durée décidée (mois)", null=True, blank=True)
    decision_commentaire = models.TextField("commentaire de la décision", blank=True)
    # A level renewed beyond its maximum in total (renewals of the episode added up) needs the
    # committee to say so, with its reason.
    derogation_duree = models.BooleanField("dérogation à la durée maximale", default=False)
    derogation_motif = models.TextField("motif de la dérogation", blank=True)
    decide_le = models.DateTimeField(null=True, blank=True)
    decide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The case summary the referent writes for the committee, until the session is held.
    synthese_niveau = models.TextField("pourquoi ce niveau", blank=True)
    synthese_objectifs = models.TextField("les objectifs de l’accompagnement", blank=True)
    synthese_iml = models.TextField("pourquoi une intermédiation locative", blank=True)
    synthese_initiales = models.BooleanField(
        "désigner le ménage par ses initiales",
        default=False,
        help_text="Le comité ne lira que les initiales du ménage, sur la page du point, "
        "l’ordre du jour et le procès-verbal.",
    )
    synthese_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    synthese_le = models.DateTimeField(null=True, blank=True)

    objects = PointQuerySet.as_manager()

    class Meta:
        verbose_name = "point de l’ordre du jour"
        verbose_name_plural = "points de l’ordre du jour"
        ordering = ["seance", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["seance", "menage", "type"], name="point_unique_par_seance")
        ]
        # The latest decisions (the committee member's home) walk this index and stop at ten,
        # instead of joining every decided item to its household and sorting them all.
        indexes = [models.Index(fields=["-decide_le"], name="point_decide_le")]

    def __str__(self):
        return f"{self.get_type_display()} – {self.menage.reference}"

    def get_absolute_url(self):
        return reverse("comites:point", args=[self.pk])

    @property
    def est_decide(self):
        return bool(self.decision)

    @property
    def a_une_synthese(self):
        return any((self.synthese_niveau, self.synthese_objectifs, self.synthese_iml))

    @property
    def initiales_seulement(self):
        """The committee reads the household's initials only: asked for the whole session, or by
        the referent for this item."""
        return self.seance.initiales_seulement or self.synthese_initiales

    @property
    def retirable(self):
        """An item decided stays on the agenda: the minutes report it."""
        return not self.est_decide


class AvisMembre(RattacheAuMenage):
    point = models.ForeignKey(PointOrdreDuJour, on_delete=models.CASCADE, related_name="avis")
    membre = models.ForeignKey(MembreInstance, on_delete=models.CASCADE, related_name="avis")
    avis = models.CharField("avis", max_length=20, choices=Avis.choices)
    commentaire = models.TextField("commentaire", blank=True)
    donne_le = models.DateTimeField(default=timezone.now)

    menage_via = "point"

    class Meta:
        verbose_name = "avis d’un membre"
        verbose_name_plural = "avis des membres"
        constraints = [models.UniqueConstraint(fields=["point", "membre"], name="avis_unique_par_membre")]

    def __str__(self):
        return f"{self.membre.utilisateur} : {self.get_avis_display()}"


class DemandeComite(RattacheAuMenage):
    """A worker's request that the next committee examine a household (level change, IML, exit,
    renewal); it feeds the agenda."""

    menage = models.ForeignKey(Menage, on_delete=models.CASCADE, related_name="demandes_comite")
    type = models.CharField("objet", max_length=30, choices=TypePoint.choices)
    niveau_propose = models.CharField("niveau proposé", max_length=20, choices=CodeNiveau.choices, blank=True)
    duree_proposee_mois = models.PositiveSmallIntegerField("durée proposée (mois)", null=True, blank=True)
    motif = models.TextField("motifs")
    # The case summary for the committee, copied to the agenda item the request becomes (where the
    # referent can still change it until the session is held).
    synthese_niveau = models.TextField("pourquoi ce niveau", blank=True)
    synthese_objectifs = models.TextField("les objectifs de l’accompagnement", blank=True)
    synthese_iml = models.TextField("pourquoi une intermédiation locative", blank=True)
    synthese_initiales = models.BooleanField(
        "désigner le ménage par ses initiales",
        default=False,
        help_text="Le comité ne lira que les initiales du ménage, sur la page du point, "
        "l’ordre du jour et le procès-verbal.",
    )
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)
    point = models.ForeignKey(
        PointOrdreDuJour, on_delete=models.SET_NULL, null=True, blank=True, related_name="demandes"
    )

    class Meta:
        verbose_name = "demande au comité"
        verbose_name_plural = "demandes au comité"
        ordering = ["cree_le"]

    def __str__(self):
        return f"{self.get_type_display()} – {self.menage.reference}"
