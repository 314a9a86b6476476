"""A programme's reference prefix: validated, unique, derived from its code when none is given."""

import pytest
from django.core.exceptions import ValidationError

from comptes.models import prefixe_depuis_code
from comptes.tests.factories import DispositifFactory


@pytest.mark.parametrize("prefixe", ["ASEA", "A1", "ASEA-34", "ABCDEFGHIJKL"])
@pytest.mark.django_db
def test_a_valid_prefix_is_accepted(prefixe):
    dispositif = DispositifFactory(code="autre", prefixe_reference=prefixe)
    dispositif.full_clean()


@pytest.mark.parametrize(
    "prefixe", ["asea", "A", "ABCDEFGHIJKLM", "-ASEA", "ASEA-", "ASÉA", "AS EA", "AS_EA"]
)
@pytest.mark.django_db
def test_an_invalid_prefix_is_refused_with_a_french_message(prefixe):
    dispositif = DispositifFactory.build(code="autre", prefixe_reference=prefixe)
    with pytest.raises(ValidationError) as exc:
        dispositif.full_clean()
    assert "lettres majuscules sans accent" in " ".join(exc.value.message_dict["prefixe_reference"])


@pytest.mark.django_db
def test_two_programmes_cannot_share_a_prefix():
    DispositifFactory()
    autre = DispositifFactory.build(code="autre", prefixe_reference="ASEA")
    with pytest.raises(ValidationError) as exc:
        autre.full_clean()
    assert "prefixe_reference" in exc.value.message_dict


def test_prefix_derived_from_the_code():
    assert prefixe_depuis_code("asea-hérault") == "ASEA-HERAULT"
    assert prefixe_depuis_code("asea_gard  2026") == "ASEA-GARD-20"
    assert prefixe_depuis_code("x") == "PX"
    assert prefixe_depuis_code("asea", pris={"ASEA"}) == "ASEA-2"
    assert prefixe_depuis_code("asea-herault-x", pris={"ASEA-HERAULT"}) == "ASEA-HERAU-2"


@pytest.mark.django_db
def test_a_programme_saved_without_prefix_gets_a_unique_one_from_its_code():
    DispositifFactory()  # ASEA
    assert DispositifFactory(code="asea").prefixe_reference == "ASEA-2"
    assert DispositifFactory(code="gard").prefixe_reference == "GARD"
