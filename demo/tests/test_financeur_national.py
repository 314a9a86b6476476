from comptes.enums import Role, TypeOrganisation
from comptes.tests.factories import DispositifFactory
from demo.comptes import DEMO_PASSWORD
from demo.financeur_national import seed_financeur_national
from financement.selectors import dispositifs_consolides


def test_the_demo_national_funder_takes_part_in_every_programme_present(db):
    aude = DispositifFactory(code="asea-aude")
    user = seed_financeur_national()
    # A programme added later (another module of seed_demo) is picked up on the next run.
    herault = DispositifFactory(code="asea-herault", nom="ASEA Hérault")
    assert seed_financeur_national() == user
    assert user.organisation.type == TypeOrganisation.FINANCEUR
    assert set(user.organisation.dispositifs.all()) == {aude, herault}
    assert user.roles == {Role.FINANCEUR_NATIONAL}
    assert user.est_demo and user.check_password(DEMO_PASSWORD)
    assert set(dispositifs_consolides(user)) == {aude, herault}
