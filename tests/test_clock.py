"""The one clock: Swedish dates from a moved clock, so no rule (and no test) depends on the real date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal import clock
from portal.applications.fields import parse_date
from portal.db import utcnow
from portal.intake.service import local_today


def test_just_after_midnight_in_sweden_is_already_the_next_day_everywhere() -> None:
    # 23:30 UTC on 30 November is 00:30 on 1 December in Stockholm: a new day and a new month.
    with clock.travel(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)):
        assert clock.local_today() == local_today() == date(2026, 12, 1)
        assert utcnow().date() == date(2026, 11, 30)
        assert parse_date("2026-12-01") == date(2026, 12, 1)  # "today" is not in the future
        with pytest.raises(OverflowError):
            parse_date("2026-12-02")
    assert abs((utcnow() - datetime.now(UTC)).total_seconds()) < 5  # back to the real clock


def test_the_clock_keeps_running_after_travelling() -> None:
    with clock.travel(datetime(2026, 12, 24, 8, 0, tzinfo=clock.LOCAL_TZ)):
        first = clock.now()
        second = clock.now()
        assert second >= first and first.astimezone(clock.LOCAL_TZ).date() == date(2026, 12, 24)
    with pytest.raises(ValueError, match="timezone-aware"), clock.travel(datetime(2026, 12, 24)):
        pass
