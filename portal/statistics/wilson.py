"""95 % intervals for shares: Wilson's score interval for one proportion, and Newcombe's hybrid score interval
for the difference of two (method 10 of Newcombe 1998), both without continuity correction.

Wilson's interval stays inside 0-100 % and keeps its coverage for small counts and shares near 0 or 1, where
the textbook p ± 1.96·√(p(1−p)/n) gives nonsense (an interval of width zero at 0 of 10). Plain functions on
counts, so a test can hold them to published values.
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054  # the standard normal's 97.5th percentile


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """(low, high) of the Wilson score interval for successes out of n, as proportions; ValueError for n = 0."""
    if n <= 0:
        raise ValueError("an interval needs at least one observation")
    if not 0 <= successes <= n:
        raise ValueError("successes must lie between 0 and n")
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    # At 0 and n the bound is exactly 0 or 1; rounding must not leave it a hair outside.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def difference(x1: int, n1: int, x2: int, n2: int, z: float = Z95) -> tuple[float, float, float]:
    """(p1 − p2, low, high): Newcombe's hybrid score interval for the difference of two proportions."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    d = p1 - p2
    return d, d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def percent(value: float) -> float:
    """A proportion as a percentage with one decimal, as the statistics tables print shares."""
    return round(100.0 * value, 1)
