"""Who may do what with the stock. Which dwellings: LogementQuerySet.visible_to."""

import rules

from comptes.enums import Role
from comptes.permissions import has_role, is_administrateur, is_personnel_bailleur, is_travailleur_social
from logements.models import ROLES_DOSSIER_LOCATIF, ROLES_GESTION_STOCK

# The landlord's staff who manage its stock and look for dwellings: the CESF and the chargé
# d'attribution (not the gardien), in a landlord organisation.
is_gestionnaire_stock = is_personnel_bailleur & has_role(*ROLES_GESTION_STOCK)


@rules.predicate
def works_for_bailleur(user, bailleur):
    """`bailleur` is an Organisation; None asks "for some landlord" (to show a link or a page)."""
    return bailleur is None or user.organisation_id == bailleur.pk


@rules.predicate
def works_for_logements_bailleur(user, logement):
    return logement is None or user.organisation_id == logement.bailleur_id


# Funders and committee members see figures, never a list of dwellings; neither a TISF nor a
# gardien looks for dwellings.
rules.add_perm("logements.voir_logements", is_gestionnaire_stock | is_travailleur_social | is_administrateur)
rules.add_perm(
    "logements.importer_logements", is_administrateur | (is_gestionnaire_stock & works_for_bailleur)
)
rules.add_perm(
    "logements.mobiliser_logement", is_administrateur | (is_gestionnaire_stock & works_for_logements_bailleur)
)

# The tenant file is the landlord CESF's (which households: DossierLocatifQuerySet.visible_to).
is_cesf_bailleur = is_personnel_bailleur & has_role(*ROLES_DOSSIER_LOCATIF)
rules.add_perm("logements.voir_dossier_locatif", is_cesf_bailleur | is_administrateur)
rules.add_perm("logements.modifier_dossier_locatif", is_cesf_bailleur | is_administrateur)


@rules.predicate
def works_for_a_bailleur(user):
    return bool(user.organisation_id and user.organisation.est_bailleur)


# The caretaker reports what he sees about his landlord's tenants, without reading their file.
is_gardien_bailleur = has_role(Role.GARDIEN) & works_for_a_bailleur
rules.add_perm("logements.signaler_locataire", is_gardien_bailleur | is_administrateur)

# Proposing a dwelling and following the attribution: the landlords' staff who manage the stock,
# the social workers, the administrators (which households and dwellings: their visible_to).
rules.add_perm("logements.attribuer", is_gestionnaire_stock | is_travailleur_social | is_administrateur)

# The IML glide (the sub-let becoming the household's direct lease): the same people, on the
# households they may open (charger_menage).
rules.add_perm("logements.glisser_bail", is_gestionnaire_stock | is_travailleur_social | is_administrateur)

# The attribution pipeline board (which attributions: AttributionQuerySet.visible_to): the
# landlords' staff who place households (CESF, chargé d'attribution) and the administrators.
rules.add_perm("logements.voir_attributions", is_gestionnaire_stock | is_administrateur)
