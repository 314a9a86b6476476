"""Who may do what with the household's right of access: its social worker (or an administrator)
prepares the export (`menages.exporter_dossier`); the data protection officer reviews and releases
it."""

import rules

from comptes.enums import Role
from comptes.permissions import has_role

is_dpo = has_role(Role.DPO)

rules.add_perm("dossiers.relire_acces", is_dpo)
