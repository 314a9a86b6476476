import pytest

from comptes.templatetags.asea import secret_statistique


@pytest.mark.parametrize(("value", "shown"), [(0, 0), (1, "< 3"), (2, "< 3"), (3, 3), (40, 40), ("x", "x")])
def test_small_counts_are_masked(value, shown):
    assert secret_statistique(value) == shown


@pytest.mark.parametrize(
    ("value", "suffixes", "shown"),
    [(0, "s", ""), (1, "s", ""), (2, "s", "s"), ([1, 2], "s", "s"), (3, ",ent", "ent"), (1, ",ent", "")],
)
def test_french_plural_keeps_zero_and_one_singular(value, suffixes, shown):
    from comptes.templatetags.asea import pluriel

    assert pluriel(value, suffixes) == shown
