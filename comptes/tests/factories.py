import datetime

import factory

from comptes.enums import Role, TypeOrganisation
from comptes.models import AttributionRole, Commune, Dispositif, Organisation, Utilisateur


class DispositifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispositif
        django_get_or_create = ["code"]

    nom = "ASEA Aude"
    code = "asea-aude"
    # The default programme numbers its households ASEA-…; another one gets a prefix derived from its
    # code when it is saved.
    prefixe_reference = factory.LazyAttribute(lambda o: "ASEA" if o.code == "asea-aude" else "")
    territoire = "Aude"
    date_debut = datetime.date(2026, 1, 1)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["nom"]
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Organisation {n}")
    type = TypeOrganisation.ASSOCIATION

    class Params:
        bailleur = factory.Trait(type=TypeOrganisation.BAILLEUR)
        financeur = factory.Trait(type=TypeOrganisation.FINANCEUR)
        iml = factory.Trait(type=TypeOrganisation.PARTENAIRE_IML)
        tisf = factory.Trait(type=TypeOrganisation.SERVICE_TISF)

    @factory.post_generation
    def dispositifs(self, create, extracted, **kwargs):
        if create:
            self.dispositifs.add(*(extracted if extracted is not None else [DispositifFactory()]))


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code_insee"]

    nom = "Carcassonne"
    code_insee = "11069"
    code_postal = "11000"


class UtilisateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Utilisateur
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Test{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@exemple.invalid")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("Mot-de-passe-solide-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create:
            for role in extracted or []:
                AttributionRole.objects.create(utilisateur=self, role=role)
            self.__dict__.pop("roles", None)  # forget a cached value computed before the roles


def user_with_role(role: Role, organisation: Organisation, **kwargs) -> Utilisateur:
    return UtilisateurFactory(organisation=organisation, roles=[role], **kwargs)
