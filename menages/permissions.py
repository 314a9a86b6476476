"""Who may do what with households. Which households: MenageQuerySet.visible_to."""

import rules

from comptes.permissions import is_administrateur, is_intervenant

# Only people who work on files reach the household pages; funders and committee members see
# figures and committee summaries instead.
rules.add_perm("menages.voir_menages", is_intervenant | is_administrateur)
