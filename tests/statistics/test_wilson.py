"""The interval arithmetic against published values: Newcombe (1998), Statistics in Medicine 17, 857-872 (Wilson
score intervals, table II, method 3) and 873-890 (difference of proportions, method 10)."""

from __future__ import annotations

import pytest

from portal.statistics.wilson import difference, percent, wilson


@pytest.mark.parametrize(("successes", "n", "low", "high"), [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (5, 10, 0.2366, 0.7634),
    (10, 10, 0.7225, 1.0),
])
def test_wilson_matches_newcombes_table(successes: int, n: int, low: float, high: float) -> None:
    found = wilson(successes, n)
    assert found == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_the_interval_is_symmetric_about_a_half_and_narrows_with_more_notices() -> None:
    low, high = wilson(30, 60)
    assert low == pytest.approx(1 - high)
    assert wilson(300, 600)[1] - wilson(300, 600)[0] < high - low


@pytest.mark.parametrize(("x1", "n1", "x2", "n2", "low", "high"), [
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (5, 56, 0, 29, -0.0381, 0.1926),
])
def test_the_difference_matches_newcombes_method_10(x1: int, n1: int, x2: int, n2: int, low: float,
                                                    high: float) -> None:
    d, found_low, found_high = difference(x1, n1, x2, n2)
    assert d == pytest.approx(x1 / n1 - x2 / n2)
    assert (found_low, found_high) == (pytest.approx(low, abs=5e-5), pytest.approx(high, abs=5e-5))


def test_no_observations_or_impossible_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        wilson(0, 0)
    with pytest.raises(ValueError, match="between 0 and n"):
        wilson(11, 10)


def test_percent_rounds_to_one_decimal() -> None:
    assert percent(0.25531) == 25.5
