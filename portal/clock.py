"""The one clock every rule reads: now (UTC), today and dates in Swedish local time.

Deadlines are counted in Swedish days, so "today" is always the date in Europe/Stockholm, never the server's
or UTC's (which differ in the first hour or two of every day). Tests and simulations move the clock with
`travel`, so no rule depends on the real date; time keeps running from the moment travelled to.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Stockholm")
_offset = timedelta(0)


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC) + _offset


def local_now() -> datetime:
    """The current time in Sweden."""
    return now().astimezone(LOCAL_TZ)


def local_today() -> date:
    """Today's date in Sweden."""
    return local_now().date()


def local_date(moment: datetime) -> date:
    """The Swedish calendar date of a timezone-aware timestamp."""
    return moment.astimezone(LOCAL_TZ).date()


def local_format(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A timestamp as Swedish local time for staff pages (a naive one is taken as UTC); "–" for none."""
    if moment is None:
        return "–"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LOCAL_TZ).strftime(fmt)


@contextmanager
def travel(to: datetime) -> Iterator[None]:
    """Run with the clock set to `to` (timezone-aware), moving on from there; restored afterwards."""
    global _offset
    if to.tzinfo is None:
        raise ValueError("travel needs a timezone-aware moment")
    previous = _offset
    _offset = to - datetime.now(UTC)
    try:
        yield
    finally:
        _offset = previous
