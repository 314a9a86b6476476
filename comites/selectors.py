import re

from django.db.models import Exists, OuterRef, Value
from django.utils import timezone

from comites import services
from comites.models import AvisMembre, Instance, MembreInstance, PointOrdreDuJour, Seance
from comptes.lecture import Gabarit, union_tous
from menages.models import Menage

# An item's opinions, with their members, as the item's page reads them (compiled once:
# comptes.lecture.Gabarit).
AVIS = Gabarit.par(AvisMembre.objects.select_related("membre__utilisateur__organisation"), "point")
# The ids of a session's items, in the agenda's order.
AGENDA = Gabarit.par(PointOrdreDuJour.objects.order_by("ordre", "pk").values_list("pk", flat=True), "seance")


def seances_a_regulariser(user):
    """Sessions left open after their day, in the bodies `user` runs (one query)."""
    return list(_a_regulariser(user))


def _a_regulariser(user):
    return (
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
    and the sessions I run that are left open after their day. Two queries: the sessions (the
    next one and those to settle, `seances_a_regulariser`), then both lists of items, each read
    with only what the widget shows."""
    maintenant = timezone.now()
    visibles = Seance.objects.visible_to(user)  # built once, for both queries
    prochaine = (
        visibles.ouvertes().filter(date__gte=maintenant).select_related("instance").order_by("date")[:1]
    )
    seances = union_tous(prochaine, _a_regulariser(user))
    a_regulariser = sorted((s for s in seances if s.date < maintenant), key=lambda s: (s.date, s.pk))
    mandats = MembreInstance.objects.actifs().filter(utilisateur=user, voix_deliberative=True)
    mon_avis = AvisMembre.objects.filter(point=OuterRef("pk"), membre__utilisateur=user)
    # Both lists in one UNION: the same columns, their sort keys and which list a row is in.
    colonnes = (
        "pk",
        "type",
        "decision",
        "decide_le",
        "menage__nom",
        "menage__reference",
        "seance__date",
        "ordre",
        "attente",
    )
    en_attente = (
        PointOrdreDuJour.objects.ouverts()
        .filter(seance__instance__in=mandats.values("instance_id"))
        .exclude(Exists(mon_avis))
        .annotate(attente=Value(True))
        .order_by("seance__date", "ordre")
        .values_list(*colonnes)[:limit]
    )
    decisions = (
        PointOrdreDuJour.objects.decides()
        .filter(seance__in=visibles)
        .annotate(attente=Value(False))
        .order_by("-decide_le")
        .values_list(*colonnes)[:limit]
    )
    lignes = union_tous(en_attente, decisions)
    # Each list in its own order (a UNION keeps none): by session and rank, latest decision first.
    attente = sorted((r for r in lignes if r[-1]), key=lambda r: (r[6], r[7]))
    decides = sorted((r for r in lignes if not r[-1]), key=lambda r: r[3], reverse=True)
    return {
        "prochaine": next((s for s in seances if s.date >= maintenant), None),
        "en_attente": [_point(r) for r in attente],
        "decisions": [_point(r) for r in decides],
        "a_regulariser": a_regulariser,
    }


def _point(ligne) -> PointOrdreDuJour:
    """An item of the committee member's dashboard from its row: what the widget shows of it."""
    pk, type_, decision, decide_le, nom, reference = ligne[:6]
    point = PointOrdreDuJour(pk=pk, type=type_, decision=decision, decide_le=decide_le)
    point.menage = Menage(nom=nom, reference=reference)
    return point


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


def synthese(point, initiales: bool, menage=None) -> list[tuple[str, str]]:
    """The referent's case summary as (title, text) pairs, names replaced by initials if asked.
    `menage`: the item's household with its members prefetched, if the page has it already (else
    `point.menage`: prefetch its members, or they are read for each part)."""
    menage = menage or point.menage
    parties = [
        ("Pourquoi ce niveau", point.synthese_niveau),
        ("Les objectifs de l’accompagnement", point.synthese_objectifs),
        ("Pourquoi une intermédiation locative", point.synthese_iml),
    ]
    return [(titre, masquer_noms(texte, menage) if initiales else texte) for titre, texte in parties if texte]
