import re

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


def _initiales(nom: str) -> str:
    return " ".join(f"{part[0].upper()}." for part in nom.replace("-", " ").split() if part[0].isalpha())


def masquer_noms(texte: str, menage) -> str:
    """`texte` with the household's name and its members' first and last names replaced by their
    initials (whole words, whatever the case). The members are read through `menage.membres.all()`:
    prefetch them for a list."""
    noms = {menage.nom: menage.initiales}
    for membre in menage.membres.all():
        for nom in (
            membre.prenom,
            membre.nom,
            f"{membre.prenom} {membre.nom}",
            f"{membre.nom} {membre.prenom}",
        ):
            if nom.strip():
                noms[nom] = _initiales(nom)
    # Longest first: "Durand Hélène" before "Durand".
    for nom in sorted(noms, key=len, reverse=True):
        if len(nom.strip()) < 2:
            continue
        texte = re.sub(rf"(?<!\w){re.escape(nom.strip())}(?!\w)", noms[nom], texte, flags=re.IGNORECASE)
    return texte


def synthese(point, initiales: bool) -> list[tuple[str, str]]:
    """The referent's case summary as (title, text) pairs, names replaced by initials if asked."""
    parties = [
        ("Pourquoi ce niveau", point.synthese_niveau),
        ("Les objectifs de l’accompagnement", point.synthese_objectifs),
        ("Pourquoi une intermédiation locative", point.synthese_iml),
    ]
    return [
        (titre, masquer_noms(texte, point.menage) if initiales else texte)
        for titre, texte in parties
        if texte
    ]
