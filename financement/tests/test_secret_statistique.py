import pytest

from financement.templatetags.financement import secret_statistique


@pytest.mark.parametrize(("value", "shown"), [(0, 0), (1, "< 3"), (2, "< 3"), (3, 3), (40, 40), ("x", "x")])
def test_small_counts_are_masked(value, shown):
    assert secret_statistique(value) == shown
