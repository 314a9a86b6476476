import rules

from comptes.permissions import is_administrateur, is_membre_comite
from menages.permissions import is_travailleur_social


@rules.predicate
def a_un_mandat(user):
    """Sits on a body (comité de suivi, follow-up meetings, working group) of a programme."""
    from comites.models import MembreInstance

    return user.is_authenticated and MembreInstance.objects.actifs().filter(utilisateur=user).exists()


# Which sessions: Seance.objects.visible_to (membership). This only opens the section.
rules.add_perm("comites.voir", is_membre_comite | is_administrateur | a_un_mandat)
rules.add_perm("comites.demander", is_travailleur_social | is_administrateur)
