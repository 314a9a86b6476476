"""The demo's national or regional funder: a funder organisation taking part in every programme
present when seed_demo reaches it (the demo's second programme included), and one account that
reads their consolidated figures only. Called last by seed_demo; idempotent."""

from comptes.enums import Role, TypeOrganisation
from comptes.models import AttributionRole, Dispositif, Organisation, Utilisateur
from demo.comptes import DEMO_PASSWORD

ORGANISATION = ("Direction régionale de l’hébergement et du logement (Occitanie)", "DRHL Occitanie")
# (username, first name, last name, description for the README)
COMPTE = ("financeur.national", "Bernard", "Estève", "financeur national ou régional (chiffres consolidés)")


def seed_financeur_national() -> Utilisateur:
    nom, sigle = ORGANISATION
    organisation, _ = Organisation.objects.update_or_create(
        nom=nom, defaults={"sigle": sigle, "type": TypeOrganisation.FINANCEUR}
    )
    organisation.dispositifs.add(*Dispositif.objects.all())
    username, first, last, _description = COMPTE
    user, created = Utilisateur.objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.asea.invalid",
            "organisation": organisation,
            "est_demo": True,
            "is_active": True,
            "is_staff": False,
        },
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    AttributionRole.objects.get_or_create(utilisateur=user, role=Role.FINANCEUR_NATIONAL)
    return user
