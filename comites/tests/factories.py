import datetime

import factory
from django.utils import timezone

from comites.enums import Decision, RoleMembre, StatutSeance, TypeInstance, TypePoint
from comites.models import Instance, MembreInstance, PointOrdreDuJour, Seance
from comptes.tests.factories import DispositifFactory, UtilisateurFactory
from menages.tests.factories import MenageFactory


class InstanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Instance

    dispositif = factory.SubFactory(DispositifFactory)
    type = TypeInstance.COMITE_SUIVI
    nom = "Comité de suivi ASEA"
    quorum_pourcentage = 50


class MembreInstanceFactory(factory.django.DjangoModelFactory):
    """A voting member of a body since the programme's start (traits: the chair, the secretary)."""

    class Meta:
        model = MembreInstance

    instance = factory.SubFactory(InstanceFactory)
    utilisateur = factory.SubFactory(UtilisateurFactory)
    role = RoleMembre.MEMBRE
    date_debut = datetime.date(2026, 1, 1)

    class Params:
        president = factory.Trait(role=RoleMembre.PRESIDENT)
        secretaire = factory.Trait(role=RoleMembre.SECRETAIRE)
        sans_vote = factory.Trait(voix_deliberative=False)


class SeanceFactory(factory.django.DjangoModelFactory):
    """A session planned in ten days (traits: convened, past (held yesterday, not recorded yet),
    held, an urgent consultation now)."""

    class Meta:
        model = Seance

    instance = factory.SubFactory(InstanceFactory)
    date = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=10))
    lieu = "Carcassonne"

    class Params:
        convoquee = factory.Trait(
            statut=StatutSeance.CONVOQUEE, convocation_envoyee_le=factory.LazyFunction(timezone.now)
        )
        passee = factory.Trait(date=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)))
        tenue = factory.Trait(statut=StatutSeance.TENUE, close_le=factory.LazyFunction(timezone.now))
        consultation_urgente = factory.Trait(urgente=True, date=factory.LazyFunction(timezone.now))


class PointOrdreDuJourFactory(factory.django.DjangoModelFactory):
    """An item awaiting the committee's decision. The traits record a decision on the item only;
    comites.services.decider also applies it to the household's file."""

    class Meta:
        model = PointOrdreDuJour

    seance = factory.SubFactory(SeanceFactory)
    menage = factory.SubFactory(
        MenageFactory, dispositif=factory.SelfAttribute("..seance.instance.dispositif")
    )
    type = TypePoint.AUTRE
    ordre = factory.Sequence(lambda n: n + 1)

    class Params:
        ajourne = factory.Trait(decision=Decision.AJOURNER, decide_le=factory.LazyFunction(timezone.now))
        refuse = factory.Trait(decision=Decision.REFUSER, decide_le=factory.LazyFunction(timezone.now))
