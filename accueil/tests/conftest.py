"""The diary's week: a household followed in person by ADAFF's worker, with one row of each kind."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from accompagnement.models import TempsFort
from accompagnement.tests.factories import AccompagnementFactory, ContactFactory, ObjectifFactory
from comites.tests.factories import InstanceFactory, MembreInstanceFactory, SeanceFactory
from menages.tests.factories import IntervenantFactory, MenageFactory

# A Wednesday; its week runs from Monday 7 to Sunday 13 December 2026.
NOW = datetime.datetime(2026, 12, 9, 9, 0, tzinfo=datetime.UTC)


def paris(jour, heure):
    return timezone.make_aware(datetime.datetime.combine(jour, heure))


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def semaine(programme, frozen):
    """ADAFF's worker follows one household in person; a session of her committee on Tuesday."""
    ts = programme.ts_adaff
    menage = MenageFactory(
        dispositif=programme.dispositif,
        bailleur=programme.habitat,
        etat="accompagnement",
        nom="Famille Agenda",
    )
    IntervenantFactory(menage=menage, utilisateur=ts, date_debut=datetime.date(2026, 1, 1))
    ajouter_une_ligne_de_chaque(programme, menage, 0)
    instance = InstanceFactory(dispositif=programme.dispositif, nom="Comité de suivi de l’Aude")
    MembreInstanceFactory(instance=instance, utilisateur=ts)
    SeanceFactory(instance=instance, date=paris(datetime.date(2026, 12, 8), datetime.time(14, 0)))
    return menage


def ajouter_une_ligne_de_chaque(programme, menage, i, ts=None):
    ts = ts or programme.ts_adaff
    ContactFactory(menage=menage, auteur=ts, date=paris(datetime.date(2026, 12, 7), datetime.time(10, i)))
    ContactFactory(
        menage=menage,
        auteur=ts,
        date=paris(datetime.date(2026, 12, 1), datetime.time(10, 0)),
        prochaine_etape=f"Rendez-vous CAF {i}",
        prochaine_etape_le=datetime.date(2026, 12, 9),
        prochaine_etape_par=ts,
    )
    TempsFort.objects.create(
        menage=menage,
        type="signature_bail",
        date_prevue=paris(datetime.date(2026, 12, 10), datetime.time(14, i)),
        modalite="avec_association",
    )
    ObjectifFactory(menage=menage, date_revision=datetime.date(2026, 12, 11))
    AccompagnementFactory(
        menage=menage,
        numero_parcours=100 + i,
        date_debut=datetime.date(2025, 6, 10),
        date_fin=datetime.date(2026, 6, 12),
        date_fin_prevue=datetime.date(2026, 6, 12),
    )
