"""Who may do what in the support of a household (which households: MenageQuerySet.visible_to)."""

import rules
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from comptes.permissions import is_administrateur, is_tisf
from menages.enums import TypeIntervention
from menages.models import Intervenant
from menages.permissions import is_gestionnaire_bailleur, is_travailleur_social

is_ts_ou_admin = is_travailleur_social | is_administrateur

rules.add_perm("accompagnement.gerer", is_ts_ou_admin)
rules.add_perm("accompagnement.saisir_contact", is_travailleur_social | is_tisf | is_gestionnaire_bailleur)
rules.add_perm(
    "accompagnement.temps_forts", is_travailleur_social | is_gestionnaire_bailleur | is_administrateur
)
rules.add_perm("accompagnement.deposer_document", is_travailleur_social | is_tisf | is_gestionnaire_bailleur)
rules.add_perm("accompagnement.intervenants", is_ts_ou_admin)


@rules.predicate
def is_contact_author(user, contact):
    return contact is not None and contact.auteur_id == user.pk


rules.add_perm("accompagnement.modifier_contact", is_travailleur_social | is_contact_author)


@rules.predicate
def is_document_author(user, document):
    return document is not None and document.auteur_id == user.pk


# A document is deleted or replaced by the person who deposited it, or by an administrator.
rules.add_perm("accompagnement.modifier_document", is_document_author | is_administrateur)


def can_change_document(user, document) -> bool:
    return user.is_authenticated and user.has_perm("accompagnement.modifier_document", document)


def est_organisation_referente(user, menage) -> bool:
    """The user's organisation holds the household's active referent (ADAFF for its households):
    it proposes the level; HDM and the TISF act on their own part (IML, interventions)."""
    if user.organisation_id is None:
        return False
    # The same prefetch as the file's intervenants section: one query for the whole page.
    prefetch_related_objects(
        [menage], Prefetch("intervenants", queryset=Intervenant.objects.select_related("organisation"))
    )
    today = timezone.localdate()
    return any(
        i.type == TypeIntervention.REFERENT
        and i.organisation_id == user.organisation_id
        and i.date_debut <= today
        and (i.date_fin is None or i.date_fin >= today)
        for i in menage.intervenants.all()
    )


def can_correct_level(user, menage) -> bool:
    """Outside a committee decision, only an administrator gives or corrects a level, with a
    written reason (accompagnement.services enforces it too)."""
    return user.is_authenticated and user.est_administrateur


def can_propose_level(user, menage) -> bool:
    """A social worker of the referent organisation asks the committee to start, change or renew
    the household's level."""
    return user.is_authenticated and is_travailleur_social(user) and est_organisation_referente(user, menage)
