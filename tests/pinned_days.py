"""The days the date-sensitive tests run on, so `make test` passes on any real date.

`@ON_PINNED_DAYS` (or `pytestmark = ON_PINNED_DAYS`) runs a test once on each, through the `clock_at` fixture
(tests/conftest.py), which pins portal.clock; time runs on from there:
- an ordinary Tuesday morning;
- Friday 24 December, Christmas Eve: the office is closed, and a weekend follows;
- the first half hour of a month and a year in Sweden (New Year's Day, a Friday and closed), when UTC is still
  in the previous month and year: a test that mixes the UTC date with the Swedish one fails here.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from portal.clock import LOCAL_TZ

PINNED_DAYS = (datetime(2026, 12, 8, 10, 0, tzinfo=LOCAL_TZ), datetime(2027, 12, 24, 9, 0, tzinfo=LOCAL_TZ),
               datetime(2027, 1, 1, 0, 30, tzinfo=LOCAL_TZ))
ON_PINNED_DAYS = pytest.mark.parametrize("clock_at", PINNED_DAYS, indirect=True,
                                         ids=["tuesday", "christmas-eve-friday", "first-hour-of-month"])
