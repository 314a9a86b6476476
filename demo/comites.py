"""The demo's comité de suivi: its sessions since the programme's start, the past ones settled as a
secretary would have settled them (held with attendance, or not held with a reason)."""

import datetime

from django.utils import timezone

from comites import services
from comites.enums import StatutSeance
from comites.models import Presence, Seance

MOTIF_NON_TENUE = "Quorum non atteint : plusieurs membres retenus le jour même, points reportés."
# Every fourth past session was not held, so that the demo shows both states.
NON_TENUE_TOUS_LES = 4


def seed_seances(*, instance) -> list[Seance]:
    """Propose the sessions of the convention from its start (on working days) and settle those
    whose day has passed. Idempotent: settled sessions are left as they are. Returns the sessions
    held."""
    services.proposer_seances(instance=instance, a_partir_du=instance.dispositif.date_debut)
    passees = instance.seances.ouvertes().filter(urgente=False, date__date__lt=timezone.localdate())
    precedente = instance.seances.tenues().order_by("date").last()
    for n, seance in enumerate(passees.order_by("date"), start=1):
        membres = list(instance.membres.actifs(timezone.localtime(seance.date).date()).order_by("pk"))
        non_tenue = n % NON_TENUE_TOUS_LES == 0
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
    return list(instance.seances.tenues().order_by("date"))


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
