import pytest

from comites.tests.factories import InstanceFactory, MembreInstanceFactory, SeanceFactory
from comptes.models import NiveauAccompagnement
from comptes.tests.niveaux import NIVEAUX


@pytest.fixture
def comite(programme):
    for niveau in NIVEAUX:
        NiveauAccompagnement.objects.create(dispositif=programme.dispositif, **niveau)
    instance = InstanceFactory(dispositif=programme.dispositif)
    MembreInstanceFactory(instance=instance, utilisateur=programme.comite, president=True)
    MembreInstanceFactory(instance=instance, utilisateur=programme.ts_adaff, secretaire=True)
    MembreInstanceFactory(instance=instance, utilisateur=programme.financeur)
    MembreInstanceFactory(instance=instance, utilisateur=programme.cesf_habitat)
    return instance


@pytest.fixture
def seance(comite):
    return SeanceFactory(instance=comite)
