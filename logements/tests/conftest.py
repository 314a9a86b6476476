import pytest

from comptes.tests.factories import CommuneFactory


@pytest.fixture
def communes_aude(db):
    return {
        "carcassonne": CommuneFactory(),
        "lezignan": CommuneFactory(nom="Lézignan-Corbières", code_insee="11203", code_postal="11200"),
        "narbonne": CommuneFactory(nom="Narbonne", code_insee="11262", code_postal="11100"),
    }
