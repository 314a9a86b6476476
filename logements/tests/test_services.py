from logements import services
from logements.enums import ModeMobilisation
from logements.tests.factories import LogementFactory


def test_mobilising_a_dwelling_twice_for_a_programme_updates_it(programme):
    logement = LogementFactory(bailleur=programme.habitat, vacant=True)
    services.mobiliser_logement(
        logement=logement, dispositif=programme.dispositif, mode=ModeMobilisation.SANS_AMENAGEMENT
    )
    services.mobiliser_logement(
        logement=logement, dispositif=programme.dispositif, mode=ModeMobilisation.AMENAGEMENT
    )
    assert list(logement.mobilisations.values_list("mode", flat=True)) == [ModeMobilisation.AMENAGEMENT]
