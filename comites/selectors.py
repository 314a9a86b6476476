from django.db.models import Exists, OuterRef
from django.utils import timezone

from comites import services
from comites.models import AvisMembre, Instance, MembreInstance, PointOrdreDuJour, Seance


def seances_a_regulariser(user):
    """Sessions left open after their day, in the bodies `user` runs (one query)."""
    return list(
        Seance.objects.a_regulariser()
        .filter(instance__in=Instance.objects.animees_par(user))
        .select_related("instance")
        .order_by("date")
    )


def destinataires(seance) -> list:
    """Who receives the convocation and the minutes: active members of the body with an email address."""
    return [
        m.utilisateur
        for m in seance.instance.membres.actifs().select_related("utilisateur")
        if m.utilisateur.email and m.utilisateur.is_active
    ]


def bilan_cloture(seance) -> dict:
    """What recording the session as held does, shown before it is done."""
    points = seance.points.select_related("menage").order_by("ordre", "pk")
    return {
        "obstacles": services.obstacles_a_la_tenue(seance),
        "decides": list(points.decides()),
        "a_decider": points.a_decider().count(),
        "pv_approuves": list(services.pv_a_approuver(seance).order_by("date")),
        "destinataires": destinataires(seance),
    }


def tableau_comite(user, limit=10) -> dict:
    """The committee member's dashboard: next session, items awaiting my opinion, past decisions,
    and the sessions I run that are left open after their day."""
    seances = Seance.objects.visible_to(user).select_related("instance")
    prochaine = seances.ouvertes().filter(date__gte=timezone.now()).order_by("date").first()
    mandats = MembreInstance.objects.actifs().filter(utilisateur=user, voix_deliberative=True)
    mon_avis = AvisMembre.objects.filter(point=OuterRef("pk"), membre__utilisateur=user)
    en_attente = (
        PointOrdreDuJour.objects.ouverts()
        .filter(seance__instance__in=mandats.values("instance_id"))
        .exclude(Exists(mon_avis))
        .select_related("seance__instance", "menage")
        .order_by("seance__date", "ordre")[:limit]
    )
    decisions = (
        PointOrdreDuJour.objects.decides()
        .filter(seance__in=seances)
        .select_related("seance__instance", "menage")
        .order_by("-decide_le")[:limit]
    )
    return {
        "prochaine": prochaine,
        "en_attente": list(en_attente),
        "decisions": list(decisions),
        "a_regulariser": seances_a_regulariser(user),
    }
