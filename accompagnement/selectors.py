"""Reads on support: lateness against the rythme, progress between diagnostics, TISF hours."""

import datetime

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum, Window
from django.utils import timezone

from accompagnement.enums import CONTACTS_AVEC_LE_MENAGE, DELAI_RYTHME_JOURS, TypeContact
from accompagnement.models import Accompagnement, Contact, Objectif
from comptes.lecture import Gabarit
from comptes.models import Utilisateur
from menages.models import Intervenant

# A household's records as its pages read them, each a `Gabarit` (comptes.lecture): compiled once,
# read with the household's id and, for records that carry their own confidentiality, whether the
# reader may read the notes reserved to social workers (comptes.confidentialite.lit_reserve).
OBJECTIFS = Gabarit(lambda pk, lit_reserve: Objectif.objects.du_menage(pk, lit_reserve))
# The support in progress, if any (one at most).
ACCOMPAGNEMENT_EN_COURS = Gabarit(
    lambda pk: Accompagnement.objects.en_cours().filter(menage=pk).order_by("-date_debut", "-pk")[:1]
)


def annoter_suivi(menages):
    """Add `dernier_contact` (datetime) and `rythme_actuel` to each household, in the same query."""
    dernier = (
        Contact.objects.filter(menage=OuterRef("pk"), type__in=CONTACTS_AVEC_LE_MENAGE)
        .order_by("-date")
        .values("date")[:1]
    )
    rythme = (
        Accompagnement.objects.en_cours()
        .filter(menage=OuterRef("pk"))
        .order_by("-date_debut")
        .values("rythme")[:1]
    )
    debut = (
        Accompagnement.objects.en_cours()
        .filter(menage=OuterRef("pk"))
        .order_by("-date_debut")
        .values("date_debut")[:1]
    )
    return menages.annotate(
        dernier_contact=Subquery(dernier),
        rythme_actuel=Subquery(rythme),
        debut_accompagnement=Subquery(debut),
    )


def en_retard(
    rythme: str | None, dernier_contact: datetime.datetime | None, debut: datetime.date | None, le=None
) -> bool:
    """A household in support is late when its last contact (or, with none yet, the start of its
    support) is older than its rythme allows."""
    if not rythme:
        return False
    le = le or timezone.localdate()
    reference = timezone.localtime(dernier_contact).date() if dernier_contact else debut
    if reference is None:
        return False
    return (le - reference).days > DELAI_RYTHME_JOURS[rythme]


def derniers_contacts(contacts, nombre: int) -> tuple[list[Contact], dict]:
    """The `nombre` newest of `contacts`, and what is known of all of them: how many there are,
    the hours of TISF interventions and the date of the last contact with the household (None if
    there is none). One query: the totals are window aggregates, computed over every contact before
    the limit and repeated on each row."""
    return resume_contacts(list(contacts_resumes(contacts, nombre)))


def contacts_resumes(contacts, nombre: int):
    """The query of `derniers_contacts`, to read with others (comptes.lecture): its rows go to
    `resume_contacts`."""
    return contacts.annotate(
        total=Window(Count("pk")),
        total_minutes_tisf=Window(Sum("duree_minutes", filter=Q(type=TypeContact.TISF))),
        dernier_avec_le_menage=Window(Max("date", filter=Q(type__in=CONTACTS_AVEC_LE_MENAGE))),
    )[:nombre]


def resume_contacts(rows: list[Contact]) -> tuple[list[Contact], dict]:
    """The rows of `contacts_resumes`, and the totals they carry."""
    premier = rows[0] if rows else None
    resume = {
        "nombre": premier.total if premier else 0,
        "heures_tisf": ((premier.total_minutes_tisf or 0) if premier else 0) / 60,
        "dernier": premier.dernier_avec_le_menage if premier else None,
    }
    return rows, resume


def responsables_prochaine_etape(menage, auteur):
    """Who may take on a contact's next step: the professionals intervening on the household today,
    and the contact's author."""
    intervenants = Intervenant.objects.actifs().filter(menage=menage, utilisateur__isnull=False)
    condition = Q(pk__in=intervenants.values("utilisateur_id"))
    if auteur is not None:
        condition |= Q(pk=auteur.pk)
    return Utilisateur.objects.filter(condition, is_active=True).select_related("organisation")


def contact_envoye(*, auteur, cle):
    """The contact a draft with this key already made for this author, if any (a replayed send)."""
    return Contact.objects.filter(auteur=auteur, cle_envoi=cle).only("pk", "menage_id").first()
