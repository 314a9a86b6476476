import factory

from comptes.tests.factories import CommuneFactory, DispositifFactory
from menages.enums import TypeIntervention
from menages.models import Intervenant, Menage


class MenageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Menage

    dispositif = factory.SubFactory(DispositifFactory)
    reference = factory.Sequence(lambda n: f"ASEA-2026-{n + 1:04d}")
    nom = factory.Sequence(lambda n: f"Ménage {n}")
    commune = factory.SubFactory(CommuneFactory)


class IntervenantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intervenant

    menage = factory.SubFactory(MenageFactory)
    type = TypeIntervention.REFERENT
    utilisateur = None
    organisation = factory.LazyAttribute(lambda i: i.utilisateur.organisation if i.utilisateur else None)
