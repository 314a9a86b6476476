"""The demo's comité de suivi: its sessions since the programme's start, the decisions that gave
every level of the demo households (taken in the past sessions, or by an urgent consultation of the
members between two sessions, as the chair would have recorded them), and the past sessions settled
as a secretary would have settled them (held with attendance, or not held with a reason)."""

import datetime

from django.utils import timezone

from comites import calendrier, services
from comites.enums import RoleMembre, StatutSeance
from comites.models import Presence, Seance

MOTIF_NON_TENUE = "Quorum non atteint : plusieurs membres retenus le jour même, points reportés."
# Every fourth past session was not held, so that the demo shows both states.
NON_TENUE_TOUS_LES = 4
HEURE_CONSULTATION = datetime.time(12, 0)
# How long a file waits for the next regular session before the members are consulted urgently.
ATTENTE_MAX_JOURS = 60


def _jour(seance) -> datetime.date:
    return timezone.localtime(seance.date).date()


def _passees(instance):
    return (
        instance.seances.ouvertes()
        .filter(urgente=False, date__date__lt=timezone.localdate())
        .order_by("date")
    )


def _non_tenue(n: int) -> bool:
    return n % NON_TENUE_TOUS_LES == 0


class Comite:
    """Takes the demo's decisions through the committee's own services (comites.services.decider):
    in the next regular session, or by an urgent consultation when the file cannot wait for it."""

    def __init__(self, instance):
        self.instance = instance
        self.president = instance.membres.get(role=RoleMembre.PRESIDENT).utilisateur
        services.proposer_seances(instance=instance, a_partir_du=instance.dispositif.date_debut)
        # The sessions the demo settles as held (the others are not held: no decision there).
        self.seances = [s for n, s in enumerate(_passees(instance), start=1) if not _non_tenue(n)]
        self.consultations = {_jour(s): s for s in instance.seances.filter(urgente=True)}

    def seance_pour(self, *, apres: datetime.date, voulu: datetime.date):
        """The session for a decision wanted about `voulu`, strictly after `apres` (the previous
        step), in the demo's past: the first regular session held after `apres`, if the file can
        wait for it (ATTENTE_MAX_JOURS after `voulu`); otherwise an urgent consultation that week,
        shared by the files consulted the same week. None if no past working day fits."""
        hier = timezone.localdate() - datetime.timedelta(days=1)
        limite = min(voulu + datetime.timedelta(days=ATTENTE_MAX_JOURS), hier)
        regulieres = [s for s in self.seances if apres < _jour(s) <= limite]
        if regulieres:
            return regulieres[0]
        voulu = min(voulu, hier)
        jour = calendrier.jour_ouvre_a_partir_du(voulu - datetime.timedelta(days=voulu.weekday()))
        if not apres < jour <= voulu:
            jour = voulu
            while jour > apres and not calendrier.est_jour_ouvre(jour):
                jour -= datetime.timedelta(days=1)
            if jour <= apres:
                jour = calendrier.jour_ouvre_a_partir_du(apres + datetime.timedelta(days=1))
                if jour > hier:
                    return None
        if jour not in self.consultations:
            self.consultations[jour] = Seance.objects.create(
                instance=self.instance,
                date=timezone.make_aware(datetime.datetime.combine(jour, HEURE_CONSULTATION)),
                urgente=True,
                initiales_seulement=True,
            )
        return self.consultations[jour]

    def decider(self, *, menage, type_point, decision, apres, voulu, motif="", **kwargs):
        """Put the household on the chosen session's agenda, gather the quorum (attendance in a
        session, the members' opinions in a consultation) and record the chair's decision, which
        applies to the file. None if no past day fits (the caller then says why)."""
        seance = self.seance_pour(apres=apres, voulu=voulu)
        if seance is None:
            return None
        point = services.ajouter_point(seance=seance, menage=menage, type=type_point, motif=motif)
        membres = list(
            self.instance.membres.actifs(_jour(seance)).filter(voix_deliberative=True).order_by("pk")
        )
        if seance.urgente:
            for membre in membres[: self.instance.quorum(len(membres))]:
                services.donner_avis(point=point, user=membre.utilisateur, avis="favorable")
        elif not seance.presences.exists():
            services.enregistrer_presences(seance=seance, presents=membres[:-1], excuses=membres[-1:])
        return services.decider(
            point=point,
            decision=decision,
            auteur=self.president,
            commentaire="Au vu du résumé présenté par la travailleuse sociale référente.",
            **kwargs,
        )


def seed_seances(*, instance) -> list[Seance]:
    """Propose the sessions of the convention from its start (on working days) and settle those
    whose day has passed: a session with decisions was held; of the others every fourth was not
    held, with its reason. Urgent consultations are held once decided. Idempotent: settled sessions
    are left as they are. Returns the regular sessions held."""
    services.proposer_seances(instance=instance, a_partir_du=instance.dispositif.date_debut)
    precedente = instance.seances.tenues().filter(urgente=False).order_by("date").last()
    for n, seance in enumerate(_passees(instance), start=1):
        membres = list(instance.membres.actifs(_jour(seance)).order_by("pk"))
        non_tenue = _non_tenue(n) and not seance.points.decides().exists()
        if not seance.presences.exists():
            # Held: everyone present but the last member, excused. Not held: the chair alone.
            presents = membres[:1] if non_tenue else membres[:-1]
            Presence.objects.bulk_create(
                Presence(seance=seance, membre=m, present=m in presents, excuse=m not in presents)
                for m in membres
            )
        seance.close_le = seance.date + datetime.timedelta(hours=3)
        if non_tenue:
            seance.statut, seance.motif_statut = StatutSeance.NON_TENUE, MOTIF_NON_TENUE
        else:
            seance.statut = StatutSeance.TENUE
            if precedente is not None:
                precedente.pv_approuve_par = seance
                precedente.save(update_fields=["pv_approuve_par"])
            precedente = seance
        seance.save(update_fields=["statut", "motif_statut", "close_le"])
    # Urgent consultations decided in the past: held (their minutes are approved at the next session).
    for seance in instance.seances.ouvertes().filter(urgente=True, date__date__lt=timezone.localdate()):
        if seance.points.decides().exists():
            seance.statut, seance.close_le = StatutSeance.TENUE, seance.date + datetime.timedelta(hours=6)
        else:
            seance.statut, seance.motif_statut = StatutSeance.ANNULEE, "Consultation sans objet."
            seance.close_le = seance.date
        seance.save(update_fields=["statut", "motif_statut", "close_le"])
    return list(instance.seances.tenues().filter(urgente=False).order_by("date"))


SYNTHESE_DEMO = {
    "synthese_niveau": "Le ménage cumule une dette de loyer ancienne et des démarches administratives "
    "interrompues ; un accompagnement rapproché est nécessaire pour reprendre pied.",
    "synthese_objectifs": "Mettre en place un plan d’apurement avec le bailleur, rouvrir les droits "
    "auprès de la CAF, préparer le ménage à gérer seul son budget.",
}


def seed_synthese(*, seance) -> None:
    """The referent's case summary on the first item of the next session, so that the committee's
    pages show one. Idempotent: an item with a summary is left as it is."""
    from menages.enums import TypeIntervention

    point = seance.points.select_related("menage", "seance").order_by("ordre", "pk").first()
    if point is None or point.a_une_synthese:
        return
    referent = (
        point.menage.intervenants.filter(type=TypeIntervention.REFERENT, utilisateur__isnull=False)
        .select_related("utilisateur")
        .first()
    )
    if referent is not None:
        services.ecrire_synthese(point=point, auteur=referent.utilisateur, **SYNTHESE_DEMO)
