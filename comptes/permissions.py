"""The shared access mechanism: role predicates (django-rules) that every app composes.

Which records a user may see is answered by each model's QuerySet `visible_to(user)`; whether a user
may do something to one record by a `can_<verb>_<object>` predicate here or in the app's own
permissions.py. Views use both through `comptes.access`; nothing is hidden only by removing a link.
See docs/architecture.md.
"""

import rules

from comptes.enums import Role


def has_role(*roles):
    name = "has_role:" + ",".join(roles)

    @rules.predicate(name=name)
    def predicate(user):
        return bool(user and user.is_authenticated and user.has_role(*roles))

    return predicate


@rules.predicate
def is_administrateur(user):
    return bool(user and user.is_authenticated and user.est_administrateur)


@rules.predicate
def is_personnel_bailleur(user):
    return bool(user and user.is_authenticated and user.est_personnel_bailleur)


is_travailleur_social = has_role(Role.TRAVAILLEUR_SOCIAL)
is_tisf = has_role(Role.TISF)
is_financeur = has_role(Role.FINANCEUR)
is_financeur_national = has_role(Role.FINANCEUR_NATIONAL)
is_membre_comite = has_role(Role.MEMBRE_COMITE)

# People who work on households' files (as opposed to funders and committee members, who see
# figures and committee summaries only).
is_intervenant = is_travailleur_social | is_tisf | is_personnel_bailleur

rules.add_perm("comptes.voir_journal_audit", is_administrateur)
# Content classified "social workers only" (health, addiction; comptes.confidentialite): not the
# administrator's, who manages users and settings.
rules.add_perm("comptes.voir_confidentiel", is_travailleur_social)
rules.add_perm("comptes.voir_indicateurs", is_financeur | is_membre_comite | is_administrateur)
# The administration pages in the app: the hub, and the users of the administrator's programmes
# (which users: comptes.selectors.utilisateurs_administrables).
rules.add_perm("comptes.acceder_administration", is_administrateur)
rules.add_perm("comptes.administrer_utilisateurs", is_administrateur)
# The French administration pages (organisations, programme settings, convention): the programme's
# administrators, within the programmes their organisation takes part in (Dispositif.visible_to).
rules.add_perm("comptes.administrer_dispositif", is_administrateur)
