"""Who may see funding pages. Which programmes: financement.selectors.dispositifs_finances; which
reports: RapportFinanceur.objects.visible_to. Funders see figures, never a household.

A national or regional funder sees only the consolidated figures of the programmes it funds
(financement.selectors.dispositifs_consolides): not a single programme's pages, which are the
local funders' (their convention, their reports)."""

import rules

from comptes.permissions import is_administrateur, is_financeur, is_financeur_national

rules.add_perm("financement.voir", is_financeur | is_administrateur)
rules.add_perm("financement.demander_rapport", is_financeur | is_administrateur)
rules.add_perm("financement.voir_consolide", is_financeur_national | is_administrateur)
# The convention, its financing plan and budget lines: the programme's administrators, for the
# programmes their organisation takes part in (Dispositif.objects.visible_to).
rules.add_perm("financement.modifier_convention", is_administrateur)
