"""The diary of a professional: what is planned for her between two days, read from every app.

`entrees(user, debut, fin)` gathers, in one query per kind whatever the number of rows:
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

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accompagnement.enums import StatutObjectif
from accompagnement.models import Accompagnement, Contact, Objectif, TempsFort
from comites.enums import StatutSeance
from comites.models import Seance
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

    @property
    def jour(self) -> datetime.date:
        if isinstance(self.quand, datetime.datetime):
            return timezone.localtime(self.quand).date()
        return self.quand

    @property
    def heure(self) -> datetime.time | None:
        if isinstance(self.quand, datetime.datetime):
            return timezone.localtime(self.quand).time()
        return None

    @property
    def cle_tri(self):
        return (self.jour, self.heure or datetime.time.min, self.type, self.uid)


def mes_menages(user):
    """The households `user` follows in person, among those she may see."""
    suivis = Intervenant.objects.actifs().filter(utilisateur=user).values("menage_id")
    return Menage.objects.visible_to(user).filter(pk__in=suivis)


def _bornes(debut: datetime.date, fin: datetime.date):
    """Aware datetimes of the first day's midnight and the midnight after the last day."""
    return (
        timezone.make_aware(datetime.datetime.combine(debut, datetime.time.min)),
        timezone.make_aware(datetime.datetime.combine(fin + datetime.timedelta(days=1), datetime.time.min)),
    )


def _fiche(menage_id):
    return reverse("dossiers:detail", args=[menage_id])


def _contacts(user, de, a):
    contacts = (
        Contact.objects.visible_to(user)
        .filter(auteur=user, date__gte=de, date__lt=a)
        .select_related("menage")
    )
    for c in contacts:
        yield Entree(
            f"contact-{c.pk}",
            c.date,
            CONTACT,
            c.get_type_display(),
            reverse("accompagnement:contacts", args=[c.menage_id]),
            c.menage.reference,
            c.menage.nom,
            c.duree_minutes,
            menage_id=c.menage_id,
        )


def _prochaines_etapes(user, debut, fin):
    contacts = (
        Contact.objects.visible_to(user)
        .filter(prochaine_etape_par=user, prochaine_etape_le__gte=debut, prochaine_etape_le__lte=fin)
        .select_related("menage")
    )
    for c in contacts:
        yield Entree(
            f"prochaine-etape-{c.pk}",
            c.prochaine_etape_le,
            PROCHAINE_ETAPE,
            PROCHAINE_ETAPE,
            reverse("accompagnement:contacts", args=[c.menage_id]),
            c.menage.reference,
            f"{c.menage.nom} : {c.prochaine_etape}",
            menage_id=c.menage_id,
        )


def _temps_forts(user, de, a):
    temps = TempsFort.objects.filter(
        menage__in=mes_menages(user), date_prevue__gte=de, date_prevue__lt=a
    ).select_related("menage")
    for t in temps:
        yield Entree(
            f"temps-fort-{t.pk}",
            t.date_prevue,
            TEMPS_FORT,
            t.get_type_display() + (" (réalisé)" if t.realise else ""),
            _fiche(t.menage_id),
            t.menage.reference,
            t.menage.nom,
            menage_id=t.menage_id,
        )


def _objectifs(user, debut, fin):
    # An objective reserved to social workers is not in the diary of those who may not read it.
    objectifs = (
        lisibles(Objectif.objects.all(), user)
        .filter(
            menage__in=mes_menages(user),
            statut=StatutObjectif.EN_COURS,
            date_revision__gte=debut,
            date_revision__lte=fin,
        )
        .select_related("menage")
    )
    for o in objectifs:
        yield Entree(
            f"objectif-{o.pk}",
            o.date_revision,
            OBJECTIF,
            OBJECTIF,
            _fiche(o.menage_id),
            o.menage.reference,
            f"{o.menage.nom} : {o.libelle[:80]}",
            menage_id=o.menage_id,
        )


def _apres_sortie(user, debut, fin):
    """Housing situations due 6 or 12 months after the exit, not recorded yet."""
    # A month-end exit moves its due day by a few days: read a little wider, keep the exact days.
    marge = datetime.timedelta(days=4)
    condition = Q(pk__in=[])
    for mois in ECHEANCES_APRES_SORTIE:
        condition |= Q(
            date_fin__gte=debut - relativedelta(months=mois) - marge,
            date_fin__lte=fin - relativedelta(months=mois) + marge,
        )
    accompagnements = (
        Accompagnement.objects.filter(condition, menage__in=mes_menages(user), date_fin__isnull=False)
        .select_related("menage")
        .prefetch_related("suivis_post_sortie")
    )
    for acc in accompagnements:
        faits = {s.echeance_mois for s in acc.suivis_post_sortie.all()}
        for mois in ECHEANCES_APRES_SORTIE:
            le = acc.date_fin + relativedelta(months=mois)
            if mois in faits or not debut <= le <= fin:
                continue
            yield Entree(
                f"apres-sortie-{acc.pk}-{mois}",
                le,
                APRES_SORTIE,
                f"{APRES_SORTIE} ({mois} mois)",
                reverse("accompagnement:suivi_post_sortie", args=[acc.menage_id]),
                acc.menage.reference,
                acc.menage.nom,
                menage_id=acc.menage_id,
            )


def _seances(user, de, a):
    seances = (
        Seance.objects.visible_to(user)
        .filter(date__gte=de, date__lt=a)
        .exclude(statut=StatutSeance.ANNULEE)
        .select_related("instance")
    )
    for s in seances:
        yield Entree(
            f"seance-{s.pk}",
            s.date,
            SEANCE,
            str(s.instance),
            s.get_absolute_url(),
            duree_minutes=120,
        )


def entrees(user, debut: datetime.date, fin: datetime.date) -> list[Entree]:
    """Every entry of `user`'s diary from `debut` to `fin` (both included), in time order."""
    de, a = _bornes(debut, fin)
    lignes = [
        *_contacts(user, de, a),
        *_prochaines_etapes(user, debut, fin),
        *_temps_forts(user, de, a),
        *_objectifs(user, debut, fin),
        *_apres_sortie(user, debut, fin),
        *_seances(user, de, a),
    ]
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
