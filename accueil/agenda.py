"""The diary of a professional: what is planned for her between two days, read from every app.

`entrees(user, debut, fin)` gathers, in a fixed number of queries whatever the number of rows:
- her contacts with households (the visits she logged or dated ahead),
- the dated next steps she takes on,
- the key moments of the households she follows,
- the objectives of those households due for review, and the housing situations due 6 and
  12 months after their exit,
- the committee sessions she may see.

"The households she follows" are those where she is an intervenant in person, among the households
she may see (`Menage.objects.visible_to`): the diary of a social worker is not her whole
organisation's caseload. Each entry carries the household's reference apart from its name, so
that the calendar feed (which names no one) is written from the same entries."""

import datetime
from dataclasses import dataclass
from functools import cached_property

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accompagnement.enums import StatutObjectif
from accompagnement.models import Accompagnement, Contact, Objectif, TempsFort
from comites.enums import StatutSeance
from comites.models import Seance
from comites.permissions import a_un_mandat
from comptes.confidentialite import lisibles
from menages.models import Intervenant, Menage

# The kinds of entries, their label (shown in the diary and used as the feed's summary).
CONTACT = "Contact"
PROCHAINE_ETAPE = "Prochaine étape"
TEMPS_FORT = "Temps fort"
OBJECTIF = "Objectif à revoir"
APRES_SORTIE = "Situation après la sortie"
SEANCE = "Séance de comité"

ECHEANCES_APRES_SORTIE = (6, 12)


@dataclass(frozen=True)
class Entree:
    """One line of the diary. `quand` is an aware datetime, or a date for the whole day.
    `reference` is the household's reference (empty for a session), `detail` what only the
    diary shows (the household's name, the step's text): never written to the feed."""

    uid: str
    quand: datetime.datetime | datetime.date
    type: str
    libelle: str
    lien: str
    reference: str = ""
    detail: str = ""
    duree_minutes: int = 60
    # The household the entry is about (None for a session): whose contact form the diary keeps
    # ready for the day without network.
    menage_id: int | None = None

    # Read by the sort, the grouping by day and the template: the local time is computed once.
    @cached_property
    def _local(self) -> datetime.datetime | None:
        return timezone.localtime(self.quand) if isinstance(self.quand, datetime.datetime) else None

    @cached_property
    def jour(self) -> datetime.date:
        return self.quand if self._local is None else self._local.date()

    @cached_property
    def heure(self) -> datetime.time | None:
        return None if self._local is None else self._local.time()

    @property
    def cle_tri(self):
        return (self.jour, self.heure or datetime.time.min, self.type, self.uid)


def _bornes(debut: datetime.date, fin: datetime.date):
    """Aware datetimes of the first day's midnight and the midnight after the last day."""
    return (
        timezone.make_aware(datetime.datetime.combine(debut, datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(fin + datetime.timedelta(days=1), datetime.time.min)),
    )


# An id no record has: reversed once, then replaced by each row's id (one `reverse` per kind of
# link rather than one per row).
_JOKER = 2147483647


def _lien(nom):
    """The address `nom` of any record, as a function of its id."""
    avant, _, apres = reverse(nom, args=[_JOKER]).partition(str(_JOKER))
    return lambda pk: f"{avant}{pk}{apres}"


def _libelles(model, champ="type"):
    """A field's labels by value, as `get_<champ>_display` shows them."""
    return {valeur: str(libelle) for valeur, libelle in model._meta.get_field(champ).flatchoices}


def _contacts(user, debut, fin, de, a):
    """Her contacts between `de` and `a`, and the next steps she takes on from `debut` to `fin`:
    one query for both, each row giving one entry or two."""
    # Their confidentiality here (a contact reserved to social workers is left out for the
    # others); the household rule in `entrees`, once for every kind.
    contacts = (
        lisibles(Contact.objects.all(), user)
        .filter(
            Q(auteur=user, date__gte=de, date__lt=a)
            | Q(prochaine_etape_par=user, prochaine_etape_le__gte=debut, prochaine_etape_le__lte=fin)
        )
        .order_by()
        .values_list(
            "pk",
            "menage_id",
            "type",
            "date",
            "duree_minutes",
            "auteur_id",
            "prochaine_etape",
            "prochaine_etape_le",
            "prochaine_etape_par_id",
            "menage__reference",
            "menage__nom",
        )
    )
    lien = _lien("accompagnement:contacts")
    types = _libelles(Contact)
    for pk, menage_id, type_, date, duree, auteur_id, etape, etape_le, etape_par_id, ref, nom in contacts:
        if auteur_id == user.pk and de <= date < a:
            yield Entree(
                f"contact-{pk}",
                date,
                CONTACT,
                types.get(type_, type_),
                lien(menage_id),
                ref,
                nom,
                duree,
                menage_id=menage_id,
            )
        if etape_par_id == user.pk and etape_le is not None and debut <= etape_le <= fin:
            yield Entree(
                f"prochaine-etape-{pk}",
                etape_le,
                PROCHAINE_ETAPE,
                PROCHAINE_ETAPE,
                lien(menage_id),
                ref,
                f"{nom} : {etape}",
                menage_id=menage_id,
            )


def _temps_forts(suivis, de, a, fiche):
    temps = (
        TempsFort.objects.filter(menage_id__in=suivis, date_prevue__gte=de, date_prevue__lt=a)
        .order_by()
        .values_list("pk", "menage_id", "type", "date_prevue", "realise", "menage__reference", "menage__nom")
    )
    types = _libelles(TempsFort)
    for pk, menage_id, type_, date, realise, ref, nom in temps:
        yield Entree(
            f"temps-fort-{pk}",
            date,
            TEMPS_FORT,
            types.get(type_, type_) + (" (réalisé)" if realise else ""),
            fiche(menage_id),
            ref,
            nom,
            menage_id=menage_id,
        )


def _objectifs(user, suivis, debut, fin, fiche):
    # An objective reserved to social workers is not in the diary of those who may not read it.
    objectifs = (
        lisibles(Objectif.objects.all(), user)
        .filter(
            menage_id__in=suivis,
            statut=StatutObjectif.EN_COURS,
            date_revision__gte=debut,
            date_revision__lte=fin,
        )
        .order_by()
        .values_list("pk", "menage_id", "date_revision", "libelle", "menage__reference", "menage__nom")
    )
    for pk, menage_id, date, libelle, ref, nom in objectifs:
        yield Entree(
            f"objectif-{pk}",
            date,
            OBJECTIF,
            OBJECTIF,
            fiche(menage_id),
            ref,
            f"{nom} : {libelle[:80]}",
            menage_id=menage_id,
        )


def _apres_sortie(user, suivis, debut, fin, fiche):
    """Housing situations due 6 or 12 months after the exit, not recorded yet. The entry opens
    the form for those who may record it (as `accompagnement.views.suivi_post_sortie` decides),
    the household's file for the others."""
    # A month-end exit moves its due day by a few days: read a little wider, keep the exact days.
    marge = datetime.timedelta(days=4)
    condition = Q(pk__in=[])
    for mois in ECHEANCES_APRES_SORTIE:
        condition |= Q(
            date_fin__gte=debut - relativedelta(months=mois) - marge,
            date_fin__lte=fin - relativedelta(months=mois) + marge,
        )
    # One row per situation recorded (its due month), or one row with None when none is.
    lignes = (
        Accompagnement.objects.filter(condition, menage_id__in=suivis, date_fin__isnull=False)
        .order_by()
        .values_list(
            "pk",
            "menage_id",
            "date_fin",
            "menage__reference",
            "menage__nom",
            "suivis_post_sortie__echeance_mois",
        )
    )
    accompagnements, faits = {}, set()
    for pk, menage_id, date_fin, ref, nom, fait in lignes:
        accompagnements[pk] = (menage_id, date_fin, ref, nom)
        faits.add((pk, fait))
    lien = _lien("accompagnement:suivi_post_sortie") if user.has_perm("accompagnement.gerer") else fiche
    for pk, (menage_id, date_fin, ref, nom) in accompagnements.items():
        for mois in ECHEANCES_APRES_SORTIE:
            le = date_fin + relativedelta(months=mois)
            if (pk, mois) in faits or not debut <= le <= fin:
                continue
            yield Entree(
                f"apres-sortie-{pk}-{mois}",
                le,
                APRES_SORTIE,
                f"{APRES_SORTIE} ({mois} mois)",
                lien(menage_id),
                ref,
                nom,
                menage_id=menage_id,
            )


def _seances(user, de, a):
    # Apart from administrators, only members of a body see sessions: whether she sits on one is
    # asked once per request (the menu asks it too).
    if not user.est_administrateur and not a_un_mandat(user):
        return
    seances = (
        Seance.objects.visible_to(user)
        .filter(date__gte=de, date__lt=a)
        .exclude(statut=StatutSeance.ANNULEE)
        .order_by()
        .values_list("pk", "date", "instance__nom")
    )
    lien = _lien("comites:seance")
    for pk, date, instance in seances:
        yield Entree(f"seance-{pk}", date, SEANCE, instance, lien(pk), duree_minutes=120)


def entrees(user, debut: datetime.date, fin: datetime.date) -> list[Entree]:
    """Every entry of `user`'s diary from `debut` to `fin` (both included), in time order."""
    de, a = _bornes(debut, fin)
    # The rows about households are read by the user alone: her contacts and next steps, and
    # the key moments, objectives and post-exit situations of the households where she has an
    # active intervention (a simple subquery each). The household rule is then applied once, to
    # the few households they name: a row of a household she may not see is dropped.
    suivis = Intervenant.objects.actifs().filter(utilisateur=user).values("menage_id")
    fiche = _lien("dossiers:detail")
    candidates = [
        *_contacts(user, debut, fin, de, a),
        *_temps_forts(suivis, de, a, fiche),
        *_objectifs(user, suivis, debut, fin, fiche),
        *_apres_sortie(user, suivis, debut, fin, fiche),
    ]
    lignes = list(_seances(user, de, a))
    if candidates:
        visibles = set(
            Menage.objects.visible_to(user)
            .filter(pk__in={e.menage_id for e in candidates})
            .values_list("pk", flat=True)
        )
        lignes += [e for e in candidates if e.menage_id in visibles]
    return sorted(lignes, key=lambda e: e.cle_tri)


def lundi(jour: datetime.date) -> datetime.date:
    return jour - datetime.timedelta(days=jour.weekday())


def semaine(user, jour: datetime.date) -> list[tuple[datetime.date, list[Entree]]]:
    """The seven days of the week of `jour`, Monday first, each with its entries."""
    debut = lundi(jour)
    jours = [debut + datetime.timedelta(days=i) for i in range(7)]
    par_jour = {j: [] for j in jours}
    for e in entrees(user, jours[0], jours[-1]):
        par_jour[e.jour].append(e)
    return list(par_jour.items())
