from django.db.models import Exists, OuterRef
from django.utils import timezone

from comites.models import AvisMembre, MembreInstance, PointOrdreDuJour, Seance


def tableau_comite(user, limit=10) -> dict:
    """The committee member's dashboard: next session, items awaiting my opinion, past decisions."""
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
    return {"prochaine": prochaine, "en_attente": list(en_attente), "decisions": list(decisions)}
