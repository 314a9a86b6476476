import datetime

import factory
from django.utils import timezone

from accompagnement.enums import (
    Axe,
    Confidentialite,
    Rythme,
    SituationSortie,
    StatutObjectif,
    TypeContact,
)
from accompagnement.models import Accompagnement, Contact, Objectif
from comptes.enums import CodeNiveau
from menages.enums import MotifSortie
from menages.tests.factories import MenageFactory


class AccompagnementFactory(factory.django.DjangoModelFactory):
    """A support episode running for a month, at level 2 (traits: the other levels, closed)."""

    class Meta:
        model = Accompagnement

    menage = factory.SubFactory(MenageFactory, en_accompagnement=True)
    numero_parcours = 1
    niveau = CodeNiveau.NIVEAU_2
    date_debut = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    date_fin_prevue = factory.LazyAttribute(lambda a: a.date_debut + datetime.timedelta(days=300))
    rythme = Rythme.HEBDOMADAIRE

    class Params:
        niveau_1 = factory.Trait(niveau=CodeNiveau.NIVEAU_1)
        niveau_3 = factory.Trait(niveau=CodeNiveau.NIVEAU_3)
        relais_sortant = factory.Trait(niveau=CodeNiveau.RELAIS_SORTANT, menage__en_relais_sortant=True)
        clos = factory.Trait(
            date_fin=factory.LazyFunction(timezone.localdate),
            motif_sortie=MotifSortie.AUTONOMIE,
            situation_sortie=SituationSortie.MAINTIEN,
            menage__clos=True,
        )


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    menage = factory.SubFactory(MenageFactory)
    type = TypeContact.VAD
    date = factory.LazyFunction(timezone.now)
    note = "Visite à domicile : point sur le budget."

    class Params:
        reserve_travailleurs_sociaux = factory.Trait(confidentialite=Confidentialite.TRAVAILLEURS_SOCIAUX)


class ObjectifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objectif

    menage = factory.SubFactory(MenageFactory)
    axe = Axe.BUDGET
    libelle = "Payer le loyer courant"

    class Params:
        atteint = factory.Trait(statut=StatutObjectif.ATTEINT)
        abandonne = factory.Trait(statut=StatutObjectif.ABANDONNE)
