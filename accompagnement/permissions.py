"""Who may do what in the support of a household (which households: MenageQuerySet.visible_to)."""

import rules

from comptes.permissions import is_administrateur, is_tisf
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
