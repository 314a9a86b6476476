import pytest

from comptes.models import NiveauAccompagnement
from comptes.tests.niveaux import NIVEAUX
from menages.tests.factories import IntervenantFactory, MembreFactory, MenageFactory


@pytest.fixture
def niveaux(programme):
    for niveau in NIVEAUX:
        NiveauAccompagnement.objects.create(dispositif=programme.dispositif, **niveau)
    return programme


@pytest.fixture
def menage(niveaux):
    programme = niveaux
    menage = MenageFactory(
        dispositif=programme.dispositif,
        bailleur=programme.habitat,
        propose_au_comite=True,
        nom="Durand Hélène",
    )
    MembreFactory(menage=menage, nom="Durand", prenom="Hélène")
    IntervenantFactory(menage=menage, utilisateur=programme.ts_adaff)
    IntervenantFactory(menage=menage, type="tisf", utilisateur=programme.tisf_afc)
    return menage
