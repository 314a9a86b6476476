"""The urgent consultation of the committee between two sessions: a real decision, taken the same
way as in session. The secretary (or the chair) opens an urgent consultation (a Seance with
`urgente`), puts the files on it and consults the voting members: each gets an email naming no
household (a reference and a link per item). A member gives an opinion through the link, without
logging in, or in the app; the chair records the decision on each item, which then applies to the
file and links to it exactly like a session decision (comites.services.decider).

Each link is signed, bound to one member and one item, expires after VALIDITE_LIEN_JOURS and
serves once: when the member has given an opinion on the item (by the link or in the app), its link
only says so; the opinion is then changed in the app, until the decision."""

import datetime

from django.core import signing
from django.db import transaction
from django.utils import timezone

from comites import permissions, services
from comites.enums import StatutSeance
from comites.models import AvisMembre, MembreInstance, PointOrdreDuJour, Seance
from comptes.taches import enqueue

SALT = "comites.consultation-urgente"
VALIDITE_LIEN_JOURS = 7


class LienInvalide(Exception):
    """A link that cannot be used; its message is shown to the member, in French."""


def make_token(membre_id: int, point_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"m": membre_id, "p": point_id})


def read_token(token: str) -> tuple[int, int]:
    """(member, item) of a valid, unexpired link."""
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=datetime.timedelta(days=VALIDITE_LIEN_JOURS)
        )
    except signing.SignatureExpired as exc:
        raise LienInvalide(
            "Ce lien a expiré. Connectez-vous à l’application pour donner votre avis, ou demandez "
            "au secrétariat du comité un nouveau lien."
        ) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LienInvalide(
            "Ce lien n’est pas valide : il a peut-être été coupé ou modifié. Utilisez le lien complet "
            "reçu par courriel."
        ) from exc
    if not isinstance(data, dict) or not all(isinstance(data.get(k), int) for k in ("m", "p")):
        raise LienInvalide("Ce lien n’est pas valide.")
    return data["m"], data["p"]


def charger_lien(token: str) -> tuple[MembreInstance, PointOrdreDuJour]:
    """The member and the item a link is for, if it can still take an opinion."""
    membre_id, point_id = read_token(token)
    membre = MembreInstance.objects.select_related("utilisateur", "instance").filter(pk=membre_id).first()
    point = (
        PointOrdreDuJour.objects.select_related("seance__instance__dispositif", "menage")
        .filter(pk=point_id)
        .first()
    )
    if membre is None or point is None or membre.instance_id != point.seance.instance_id:
        raise LienInvalide("Cette consultation n’existe plus.")
    if obstacle := obstacle_au_lien(membre, point):
        raise LienInvalide(obstacle)
    return membre, point


def obstacle_au_lien(membre: MembreInstance, point: PointOrdreDuJour) -> str:
    """Why the link cannot take an opinion any more (an empty string: it can)."""
    deja = AvisMembre.objects.filter(point=point, membre=membre).first()
    if deja is not None:
        return (
            f"Votre avis ({deja.get_avis_display().lower()}) est enregistré depuis le "
            f"{timezone.localtime(deja.donne_le):%d/%m/%Y à %H:%M}. Ce lien ne sert qu’une fois : "
            "pour modifier votre avis avant la décision, connectez-vous à l’application."
        )
    if point.est_decide or point.seance.close:
        return "La décision est prise : les avis ne sont plus recueillis sur ce point."
    actif = MembreInstance.objects.actifs().filter(pk=membre.pk, voix_deliberative=True).exists()
    if not actif:
        return "Vous n’êtes plus membre votant de cette instance."
    return ""


@transaction.atomic
def donner_avis_par_lien(
    *, membre: MembreInstance, point: PointOrdreDuJour, avis: str, commentaire: str = ""
):
    """Record the opinion a member gives through their link, once."""
    point = PointOrdreDuJour.objects.select_for_update().get(pk=point.pk)
    if obstacle := obstacle_au_lien(membre, point):
        raise services.ActionImpossible(obstacle)
    return services.donner_avis(point=point, user=membre.utilisateur, avis=avis, commentaire=commentaire)


def membres_consultes(seance: Seance):
    """The voting members consulted: active on the consultation's day, with an email address."""
    return (
        seance.instance.membres.actifs(timezone.localtime(seance.date).date())
        .filter(voix_deliberative=True)
        .exclude(utilisateur__email="")
        .select_related("utilisateur__organisation")
        .order_by("utilisateur__last_name", "utilisateur__first_name")
    )


def obstacles_a_la_consultation(seance: Seance) -> list[str]:
    """Why the members cannot be consulted (an empty list: they can)."""
    obstacles = []
    if not seance.urgente:
        obstacles.append("Seule une consultation urgente se fait par courriel ; une séance a sa convocation.")
    if seance.close:
        obstacles.append(f"La consultation est {seance.get_statut_display().lower()}.")
    if not seance.points.a_decider().exists():
        obstacles.append("Aucun point n’attend de décision : ajoutez d’abord les dossiers à examiner.")
    if not membres_consultes(seance).exists():
        obstacles.append("Aucun membre votant n’a d’adresse électronique.")
    return obstacles


@transaction.atomic
def consulter_les_membres(*, seance: Seance, auteur) -> Seance:
    """Email each voting member a link per item awaiting a decision (in the background). Sent
    again, it writes to every member again, with fresh links; those who already answered an item
    are told so by its link."""
    from comites.tasks import envoyer_consultation

    seance = Seance.objects.select_for_update().select_related("instance").get(pk=seance.pk)
    if not permissions.can_run_seance(auteur, seance):
        raise services.ActionImpossible("Seuls le président et le secrétaire consultent les membres.")
    if obstacles := obstacles_a_la_consultation(seance):
        raise services.ActionImpossible(" ".join(obstacles))
    seance.statut = StatutSeance.CONVOQUEE
    seance.convocation_envoyee_le = timezone.now()
    seance.save(update_fields=["statut", "convocation_envoyee_le"])
    transaction.on_commit(lambda: enqueue(envoyer_consultation, seance.pk))
    return seance
