"""Who may do what with households. Which households: MenageQuerySet.visible_to (always applied
first, by loading the household through comptes.access.get_visible_or_404)."""

import rules
from django.db.models import prefetch_related_objects
from django.utils import timezone

from comptes.enums import Role
from comptes.permissions import has_role, is_administrateur, is_intervenant, is_personnel_bailleur
from menages import workflow
from menages.enums import EtatParcours, TypeIntervention
from menages.models import partenaire_de

# Landlord staff who handle files (the caretaker reports, but does not run files).
is_gestionnaire_bailleur = is_personnel_bailleur & has_role(Role.CESF, Role.CHARGE_ATTRIBUTION)
is_travailleur_social = has_role(Role.TRAVAILLEUR_SOCIAL)

# Only people who work on files reach the household pages; funders and committee members see
# figures and committee summaries instead.
rules.add_perm("menages.voir_menages", is_intervenant | is_administrateur)
rules.add_perm("menages.creer_menage", is_travailleur_social | is_gestionnaire_bailleur | is_administrateur)
rules.add_perm(
    "menages.modifier_menage", is_travailleur_social | is_gestionnaire_bailleur | is_administrateur
)
rules.add_perm("menages.pre_diagnostic", is_travailleur_social | is_gestionnaire_bailleur | is_administrateur)
rules.add_perm("menages.diagnostic", is_travailleur_social | is_administrateur)
rules.add_perm("menages.saisir_validation", is_travailleur_social | is_administrateur)
# Confidential information (health, addiction) is for social workers only: the same rule as
# comptes.voir_confidentiel, which comptes.confidentialite applies everywhere.
rules.add_perm("menages.voir_confidentiel", is_travailleur_social)


def suit_comme_referent(user, menage) -> bool:
    """The user's organisation holds the household's active referent intervention, or the
    household has no active referent yet (any social worker who may open it may take it on). A
    worker of another organisation (HDM for its IML, the TISF) acts on their own part only."""
    today = timezone.localdate()
    prefetch_related_objects([menage], "intervenants")
    referents = [
        i
        for i in menage.intervenants.all()
        if i.type == TypeIntervention.REFERENT
        and i.date_debut <= today
        and (i.date_fin is None or i.date_fin >= today)
    ]
    return not referents or any(i.organisation_id == user.organisation_id for i in referents)


def can_transition(user, menage, vers) -> bool:
    """Whether `user` may ask to move `menage` (already known visible to them) to step `vers`: an
    administrator; a social worker of the referent organisation; landlord staff for the first
    steps. The steps with their own checked service (submission to the funders, the steps that
    follow a committee decision) are offered here but taken only through that service
    (menages.services.changer_etat refuses them otherwise, whatever the page)."""
    if not workflow.is_allowed(menage.etat, vers):
        return False
    if user.est_administrateur:
        return True
    if user.has_role(Role.TRAVAILLEUR_SOCIAL) and suit_comme_referent(user, menage):
        return True
    return vers in workflow.ETATS_BAILLEUR and is_gestionnaire_bailleur(user)


@rules.predicate
def is_association(user) -> bool:
    """A member of the association that runs the support: not a partner the file is shared with."""
    return user.organisation is not None and partenaire_de(user.organisation) is None


# The household's consent to sharing with each partner is recorded, and withdrawn, by the
# association's social workers, who give the information notice.
rules.add_perm("menages.gerer_consentements", is_travailleur_social & is_association)

# The household's own file, for its right of access (CNIL), is produced by its social worker.
rules.add_perm("menages.exporter_dossier", is_travailleur_social | is_administrateur)


def can_add_pre_diagnostic(user, menage) -> bool:
    """A pre-diagnostic is added at the referral, before the funders' validation."""
    return user.has_perm("menages.pre_diagnostic") and menage.etat in {
        EtatParcours.SAISINE,
        EtatParcours.PRE_DIAGNOSTIC,
    }


def can_enter_diagnostic(user, menage, diagnostic=None) -> bool:
    """The in-depth diagnostic is entered at its step, and corrected afterwards."""
    return user.has_perm("menages.diagnostic") and (
        diagnostic is not None or menage.etat == EtatParcours.DIAGNOSTIC
    )


def can_enter_exit_diagnostic(user, menage) -> bool:
    """The exit diagnostic is entered at the exit relay or at closure."""
    return user.has_perm("menages.diagnostic") and menage.etat in {
        EtatParcours.RELAIS_SORTANT,
        EtatParcours.CLOS,
    }
