"""Swedish working days (arbetsdagar): Monday to Friday except public holidays and the de facto eves.

`holidays.Sweden()` by default leaves out Midsummer Eve, Christmas Eve and New Year's Eve and counts
every Sunday as a holiday; the "de_facto" category adds the eves, and weekends are handled here.
Deadlines that fall on a non-working day move to the next working day (lag 1930:173).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _holidays_for(year: int) -> frozenset[date]:
    calendar = holidays.country_holidays("SE", years=year, categories=("public", "de_facto"), language="sv")
    # Some versions list every Sunday as a Swedish holiday; weekends are decided by weekday() instead.
    return frozenset(day for day in calendar if day.weekday() < 5)


def holiday_name(day: date) -> str | None:
    """The Swedish name of the weekday holiday or eve on this day, or None."""
    if day.weekday() >= 5:
        return None
    calendar = holidays.country_holidays("SE", years=day.year, categories=("public", "de_facto"), language="sv")
    return calendar.get(day)


def is_working_day(day: date) -> bool:
    """True on Monday to Friday unless a public holiday or Midsummer, Christmas or New Year's Eve."""
    return day.weekday() < 5 and day not in _holidays_for(day.year)


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, otherwise the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, count: int) -> date:
    """The date `count` working days after `start` (start itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_before(end: date, count: int) -> date:
    """The date `count` working days before `end` (end itself is not counted)."""
    day = end
    remaining = count
    while remaining > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def legal_deadline(start: date, *, weeks: int = 0, days: int = 0) -> date:
    """A period counted in calendar time whose last day rolls forward to a working day."""
    return next_working_day(start + timedelta(weeks=weeks, days=days))
