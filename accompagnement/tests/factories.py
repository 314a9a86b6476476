import datetime

import factory
from django.utils import timezone

from accompagnement.models import Accompagnement, Contact, Objectif
from menages.tests.factories import MenageFactory


class AccompagnementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accompagnement

    menage = factory.SubFactory(MenageFactory, etat="accompagnement")
    numero_parcours = 1
    niveau = "niveau_2"
    date_debut = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    date_fin_prevue = factory.LazyAttribute(lambda a: a.date_debut + datetime.timedelta(days=300))
    rythme = "hebdomadaire"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    menage = factory.SubFactory(MenageFactory)
    type = "vad"
    date = factory.LazyFunction(timezone.now)
    note = "Visite à domicile : point sur le budget."


class ObjectifFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objectif

    menage = factory.SubFactory(MenageFactory)
    axe = "budget"
    libelle = "Payer le loyer courant"
