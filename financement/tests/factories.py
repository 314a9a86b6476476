import datetime
from decimal import Decimal

import factory

from comptes.tests.factories import DispositifFactory, OrganisationFactory
from financement.enums import StatutPart, TypeLigne
from financement.models import (
    Convention,
    LigneBudgetaire,
    MontantAnnuel,
    PartFinanceur,
    RapportFinanceur,
    Versement,
)


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention
        django_get_or_create = ["dispositif"]

    dispositif = factory.SubFactory(DispositifFactory)
    intitule = "Convention ASEA Aude 2026-2028"
    date_debut = factory.LazyAttribute(lambda c: c.dispositif.date_debut)
    duree_mois = 36


class PartFinanceurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartFinanceur

    convention = factory.SubFactory(ConventionFactory)
    financeur = factory.SubFactory(OrganisationFactory, financeur=True)
    libelle = "Appel à projets (FNAVDL)"
    pourcentage = Decimal("50")
    statut = StatutPart.CONFIRMEE


class LigneBudgetaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LigneBudgetaire

    convention = factory.SubFactory(ConventionFactory)
    type = TypeLigne.POSTE_ADAFF
    libelle = "Travailleur social ADAFF (1 ETP)"


class MontantAnnuelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MontantAnnuel

    ligne = factory.SubFactory(LigneBudgetaireFactory)
    annee = 2026
    prevu = Decimal("48000")
    realise = Decimal("0")


class VersementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Versement

    part = factory.SubFactory(PartFinanceurFactory)
    date = datetime.date(2026, 3, 15)
    montant = Decimal("10000")


class RapportFinanceurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RapportFinanceur

    dispositif = factory.SubFactory(DispositifFactory)
    financeur = factory.SubFactory(OrganisationFactory, financeur=True)
    date_debut = datetime.date(2026, 1, 1)
    date_fin = factory.Sequence(lambda n: datetime.date(2026, 3, 31) + datetime.timedelta(days=n))
