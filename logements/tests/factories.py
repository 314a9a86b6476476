from decimal import Decimal

import factory

from comptes.tests.factories import CommuneFactory, DispositifFactory, OrganisationFactory
from logements.enums import ModeMobilisation, StatutLogement, Typologie
from logements.models import Logement, MobilisationLogement


class LogementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Logement

    bailleur = factory.SubFactory(OrganisationFactory, nom="Habitat Audois", bailleur=True)
    reference_bailleur = factory.Sequence(lambda n: f"REF-{n:05d}")
    adresse = factory.Sequence(lambda n: f"{n + 1} rue des Lavandières")
    commune = factory.SubFactory(CommuneFactory)
    typologie = Typologie.T3
    surface = Decimal("65.50")
    loyer = Decimal("420.00")
    charges = Decimal("60.00")
    etage = 1
    statut = StatutLogement.OCCUPE

    class Params:
        vacant = factory.Trait(statut=StatutLogement.VACANT)
        en_rotation = factory.Trait(statut=StatutLogement.EN_ROTATION)


class MobilisationLogementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MobilisationLogement

    dispositif = factory.SubFactory(DispositifFactory)
    logement = factory.SubFactory(LogementFactory, vacant=True)
    mode = ModeMobilisation.SANS_AMENAGEMENT


def logements_en_masse(bailleur, commune, n, **kwargs):
    """`n` dwellings written in one bulk insert (for the tests at the scale of the real stock)."""
    return Logement.objects.bulk_create(
        [
            Logement(
                bailleur=bailleur,
                reference_bailleur=f"MASSE-{i:05d}",
                adresse=f"{i} rue du Moulin",
                commune=commune,
                typologie=Typologie.T2,
                surface=Decimal("45"),
                loyer=Decimal("350"),
                charges=Decimal("40"),
                statut=kwargs.get("statut", StatutLogement.OCCUPE),
            )
            for i in range(n)
        ],
        batch_size=1000,
    )
