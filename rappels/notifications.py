"""Notifications sent as things happen (the scheduled reminders are in `rappels.generation`): a
caretaker's report, a new complaint or an eviction step in a tenant file reach the landlord's CESF
and the household's referent worker, each only if the household is in their scope
(Menage.objects.visible_to). A notification names no household and shows no amount: the
household's reference and a link to a page that requires login and checks access again.

logements sits below rappels: it sends `logements.signaux.evenement_dossier_locatif`, connected
here."""

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, Q, Value, When, Window
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from comptes.memo import memoriser
from comptes.models import Utilisateur
from logements import signaux
from menages.enums import TypeIntervention
from menages.models import Intervenant, Menage
from rappels.enums import TypeRappel
from rappels.models import Rappel, VisiteTableauDeBord

# Reloading the dashboard within this time is the same visit: the news stay shown.
DUREE_VISITE = datetime.timedelta(minutes=30)
# The dashboard lists the latest news; the notification centre has them all.
NOUVEAUTES_AFFICHEES = 8


def _cesf_du_bailleur(menage, bailleur_id) -> list[Utilisateur]:
    """The household's CESF (as an intervenant) or else every active CESF of its landlord."""
    if menage is not None:
        ids = Intervenant.objects.actifs().filter(
            menage=menage, type=TypeIntervention.CESF, utilisateur__isnull=False
        )
        cesf = list(
            Utilisateur.objects.filter(
                pk__in=ids.values("utilisateur_id"), is_active=True, attributions_roles__role=Role.CESF
            )
        )
        if cesf:
            return cesf
    return list(
        Utilisateur.objects.filter(
            organisation_id=bailleur_id, is_active=True, attributions_roles__role=Role.CESF
        ).distinct()
    )


def _referents(menage) -> list[Utilisateur]:
    ids = Intervenant.objects.actifs().filter(
        menage=menage, type=TypeIntervention.REFERENT, utilisateur__isnull=False
    )
    return list(Utilisateur.objects.filter(pk__in=ids.values("utilisateur_id"), is_active=True))


def _dans_son_perimetre(user, menage) -> bool:
    return Menage.objects.visible_to(user).filter(pk=menage.pk).exists()


def destinataires(menage, logement, objet) -> list[tuple[Utilisateur, str]]:
    """(person, link) for each person to tell: the CESF to the tenant file, the referent worker to
    the household file (she does not read the tenant file itself, only its summary there). A report
    on a dwelling where no household of the programme lives goes to the landlord's CESF, linked to
    the page where she reads and closes it."""
    if menage is None:
        return [
            (user, reverse("logements:clore", args=["signalement", objet.pk]))
            for user in _cesf_du_bailleur(None, logement.bailleur_id)
        ]
    result = []
    for user in _cesf_du_bailleur(menage, menage.bailleur_id):
        if user.has_perm("logements.voir_dossier_locatif") and _dans_son_perimetre(user, menage):
            result.append((user, reverse("logements:dossier_locatif", args=[menage.pk])))
    for user in _referents(menage):
        if _dans_son_perimetre(user, menage):
            result.append((user, reverse("dossiers:detail", args=[menage.pk])))
    return result


def _titre(nature, objet, menage, logement) -> str:
    libelle = signaux.NATURES[nature]
    if nature == signaux.ETAPE_EXPULSION:
        libelle = f"Procédure d’expulsion\u00a0: {objet.get_etape_display().lower()}"
    if menage is None:
        return f"{libelle} – logement {logement.reference_bailleur}"
    return f"{libelle} – dossier {menage.reference}"


def notifier_dossier_locatif(sender, *, nature, objet, menage, logement=None, auteur=None, **kwargs):
    """Create the in-app notifications (sent by email as each person prefers, by rappels.services)."""
    maintenant = timezone.now()
    vus = set()
    rappels = []
    for user, lien in destinataires(menage, logement, objet):
        if user.pk in vus or (auteur is not None and user.pk == auteur.pk):
            continue
        vus.add(user.pk)
        rappels.append(
            Rappel(
                cle=f"dossier_locatif:{nature}:{objet.pk}:{user.pk}",
                type=TypeRappel.DOSSIER_LOCATIF,
                destinataire=user,
                menage=menage,
                titre=_titre(nature, objet, menage, logement)[:250],
                lien=lien,
                du_le=maintenant,
            )
        )
    Rappel.objects.bulk_create(rappels, ignore_conflicts=True)


def connecter():
    signaux.evenement_dossier_locatif.connect(
        notifier_dossier_locatif, dispatch_uid="rappels_dossier_locatif"
    )


def _enregistrer_visite(user, now):
    """Record this visit to the dashboard and return the previous one (None on a first visit), on
    the table of rappels.models.VisiteTableauDeBord. On PostgreSQL in one statement whatever the
    case (first visit, new visit, reload within the same visit); elsewhere (SQLite, `make run`'s
    default) with the ORM, the row locked in a transaction."""
    if connection.vendor != "postgresql":
        return _enregistrer_visite_orm(user, now)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO rappels_visitetableaudebord AS v (utilisateur_id, derniere, precedente) VALUES (%s, %s, NULL)
            ON CONFLICT (utilisateur_id) DO UPDATE SET
                precedente = CASE WHEN EXCLUDED.derniere - v.derniere > %s THEN v.derniere ELSE v.precedente END,
                derniere = CASE WHEN EXCLUDED.derniere - v.derniere > %s THEN EXCLUDED.derniere ELSE v.derniere END
            RETURNING precedente
            """,
            [user.pk, now, DUREE_VISITE, DUREE_VISITE],
        )
        return cursor.fetchone()[0]


def _enregistrer_visite_orm(user, now, deja_essaye=False):
    """`_enregistrer_visite` with the ORM: the same rule, and the same queries whatever the case
    (the row is written on every visit). Two first visits at once: the second, refused, reads
    again and finds the row (once: any other refusal is raised)."""
    try:
        with transaction.atomic():
            visite = VisiteTableauDeBord.objects.select_for_update().filter(utilisateur=user).first()
            if visite is None:
                VisiteTableauDeBord.objects.create(utilisateur=user, derniere=now)
                return None
            if now - visite.derniere > DUREE_VISITE:
                visite.precedente, visite.derniere = visite.derniere, now
            visite.save(update_fields=["precedente", "derniere"])
            return visite.precedente
    except IntegrityError:
        if deja_essaye:
            raise
        return _enregistrer_visite_orm(user, now, deja_essaye=True)


def cle_non_lues(user):
    """The request memo's key (`comptes.memo`) of the number of `user`'s unread notifications,
    shown in the menu (rappels.context_processors): the dashboard counts them with its news."""
    return ("notifications_non_lues", user.pk)


def nouveautes_dossier_locatif(user, now=None) -> dict:
    """The tenant-file notifications of `user` new since her previous visit to the dashboard, or
    not read yet, latest first; records this visit. Two queries: the visit, then the news with the
    number of all her unread notifications, which the menu shows (kept in the request's memo)."""
    now = now or timezone.now()
    depuis = _enregistrer_visite(user, now)
    condition = Q(lu_le__isnull=True)
    if depuis is not None:
        condition |= Q(du_le__gt=depuis)
    nouveaute = condition & Q(type=TypeRappel.DOSSIER_LOCATIF)
    # Every unread notification and the tenant-file news, the news first: the first rows are the
    # news to show, and a window over all of them, computed before the limit, counts the unread.
    lignes = list(
        Rappel.objects.pour(user)
        .filter(Q(lu_le__isnull=True) | nouveaute)
        .annotate(
            est_nouveaute=Case(When(nouveaute, then=Value(True)), default=Value(False)),
            non_lues=Window(Count("pk", filter=Q(lu_le__isnull=True))),
        )
        .only("titre", "lien", "du_le", "lu_le")
        .order_by("-est_nouveaute", "-du_le", "-pk")[:NOUVEAUTES_AFFICHEES]
    )
    memoriser(cle_non_lues(user), lambda: lignes[0].non_lues if lignes else 0)
    rappels = [rappel for rappel in lignes if rappel.est_nouveaute]
    for rappel in rappels:
        rappel.nouveau = depuis is None or rappel.du_le > depuis
    return {"depuis": depuis, "rappels": rappels}
