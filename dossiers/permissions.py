"""Who may do what with the household's right of access: its social worker (or an administrator)
prepares the export (`menages.exporter_dossier`); the data protection officer reviews and releases
it. An administrator imports an existing caseload (`dossiers.importation`)."""

import rules

from comptes.enums import Role
from comptes.permissions import has_role, is_administrateur

is_dpo = has_role(Role.DPO)

rules.add_perm("dossiers.relire_acces", is_dpo)

# Importing an existing caseload into a programme: its administrators.
rules.add_perm("dossiers.importer_existant", is_administrateur)
