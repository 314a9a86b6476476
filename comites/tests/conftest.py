import datetime

import pytest
from django.utils import timezone

from comites.enums import TypeInstance
from comites.models import Instance, MembreInstance, Seance
from comptes.models import NiveauAccompagnement
from comptes.tests.niveaux import NIVEAUX


@pytest.fixture
def comite(programme):
    for niveau in NIVEAUX:
        NiveauAccompagnement.objects.create(dispositif=programme.dispositif, **niveau)
    instance = Instance.objects.create(
        dispositif=programme.dispositif,
        type=TypeInstance.COMITE_SUIVI,
        nom="Comité de suivi ASEA",
        quorum_pourcentage=50,
    )
    debut = datetime.date(2026, 1, 1)
    for user, role in [
        (programme.comite, "president"),
        (programme.ts_adaff, "secretaire"),
        (programme.financeur, "membre"),
        (programme.cesf_habitat, "membre"),
    ]:
        MembreInstance.objects.create(instance=instance, utilisateur=user, role=role, date_debut=debut)
    return instance


@pytest.fixture
def seance(comite):
    return Seance.objects.create(
        instance=comite, date=timezone.now() + datetime.timedelta(days=10), lieu="Carcassonne"
    )
