"""The reception's calendar: opening hours, days closed by hand, slots and their free places.

Plain functions over the calendar settings; the booking rules in portal.booking.service build on them."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import select

from portal import audit
from portal.booking.models import (
    Booking,
    BookingStatus,
    CalendarSettings,
    ClosedDay,
    ExtraSession,
    default_settings,
)
from portal.clock import LOCAL_TZ
from portal.db import db, utcnow
from portal.workdays import is_working_day

LOCAL = LOCAL_TZ


class BookingError(ValueError):
    """A booking cannot be made or changed as asked."""


_SETTINGS = "booking.settings"


def this_transaction(key: str) -> Any:
    """What the current transaction remembered under `key`, or None: nothing yet, or another transaction's.

    Kept in the session's info, tagged with the transaction that made it, so a commit or rollback forgets it
    without a hook (the tag holds that transaction object, so a later one can never be mistaken for it)."""
    transaction = db.session().get_transaction()
    held = db.session.info.get(key)
    if transaction is None or held is None or held[0] is not transaction:
        return None
    return held[1]


def remember_in_transaction(key: str, value: object) -> None:
    """Remember `value` for the rest of the current transaction (call it after a query has begun one)."""
    db.session.info[key] = (db.session().get_transaction(), value)


def get_settings() -> CalendarSettings:
    """The calendar settings row, or the demo defaults (unsaved) while an administrator has not set any.

    Kept for the rest of the transaction: the pipeline books hundreds of times in one, and without a saved row
    every call asked the database again."""
    cached = this_transaction(_SETTINGS)
    if cached is not None:
        return cast(CalendarSettings, cached)
    settings = db.session.get(CalendarSettings, 1) or default_settings()
    remember_in_transaction(_SETTINGS, settings)
    return settings


def list_closed_days(start: date, end: date) -> set[date]:
    """Days closed by hand between start and end inclusive."""
    return set(db.session.scalars(select(ClosedDay.day).where(ClosedDay.day >= start, ClosedDay.day <= end)))


def closed_day(day: date) -> ClosedDay | None:
    """The day's closing by hand (with its reason), if it is closed."""
    return db.session.get(ClosedDay, day)


def closed_days_from(first: date) -> list[ClosedDay]:
    """Days closed by hand from `first` on, in order."""
    return list(db.session.scalars(select(ClosedDay).where(ClosedDay.day >= first).order_by(ClosedDay.day)))


def is_open_day(day: date, closed: Collection[date] = ()) -> bool:
    """True when the reception is open that day: a working day not closed by hand."""
    return is_working_day(day) and day not in closed


def _period_starts(day: date, opens: time, closes: time, step: timedelta) -> list[datetime]:
    starts: list[datetime] = []
    current = datetime.combine(day, opens, tzinfo=LOCAL)
    end = datetime.combine(day, closes, tzinfo=LOCAL)
    while current + step <= end:
        starts.append(current.astimezone(UTC))
        current += step
    return starts


def slot_places(day: date, settings: CalendarSettings, extras: Iterable[ExtraSession] = ()) -> dict[datetime, int]:
    """Every slot start of a day (UTC, in order) with its number of places: the usual hours' places per slot,
    plus the places of the day's extra times (numbered after the usual ones); closed days are not considered."""
    step = timedelta(minutes=settings.slot_minutes)
    places: dict[datetime, int] = {}
    for opens, closes in settings.periods(day.weekday()):
        for start in _period_starts(day, opens, closes, step):
            places[start] = settings.places_per_slot
    for extra in extras:
        for start in _period_starts(day, *extra.period, step):
            places[start] = places.get(start, 0) + extra.places
    return dict(sorted(places.items()))


def slot_starts(day: date, settings: CalendarSettings, extras: Iterable[ExtraSession] = ()) -> list[datetime]:
    """Every slot start of a day within opening hours and extra times (UTC), ignoring closed days."""
    return list(slot_places(day, settings, extras))


def free_places(starts_at: datetime, settings: CalendarSettings, taken: Collection[tuple[datetime, int]],
                places: int | None = None) -> list[int]:
    """The places (1..places, by default places_per_slot) of a slot not in `taken` ((starts_at, place) pairs)."""
    count = settings.places_per_slot if places is None else places
    return [place for place in range(1, count + 1) if (starts_at, place) not in taken]


def free_slots(day: date, settings: CalendarSettings, taken: Collection[tuple[datetime, int]],
               closed: Collection[date] = (), extras: Iterable[ExtraSession] = ()) -> list[datetime]:
    """Slot starts (UTC) of a local day with at least one free place; none on weekends, holidays, closed days."""
    if not is_open_day(day, closed):
        return []
    return [start for start, places in slot_places(day, settings, extras).items()
            if free_places(start, settings, taken, places)]


def extra_sessions(start: date, end: date) -> dict[date, list[ExtraSession]]:
    """The extra times between start and end inclusive, by day."""
    found: dict[date, list[ExtraSession]] = {}
    for extra in db.session.scalars(select(ExtraSession).where(ExtraSession.day >= start, ExtraSession.day <= end)
                                    .order_by(ExtraSession.day, ExtraSession.starts, ExtraSession.id)):
        found.setdefault(extra.day, []).append(extra)
    return found


def places_of_day(day: date, settings: CalendarSettings) -> dict[datetime, int]:
    """A day's slot starts with their places, extra times included."""
    return slot_places(day, settings, extra_sessions(day, day).get(day, ()))


def taken_between(start: datetime, end: datetime) -> set[tuple[datetime, int]]:
    rows = db.session.execute(select(Booking.starts_at, Booking.place).where(
        Booking.status == BookingStatus.BOOKED, Booking.starts_at >= start, Booking.starts_at < end))
    return {(row.starts_at, row.place) for row in rows}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=LOCAL)
    return start.astimezone(UTC), (start + timedelta(days=1)).astimezone(UTC)


def offered_times(*, now: datetime | None = None, days: int = 10, exclude: int | None = None
                  ) -> list[tuple[date, list[datetime]]]:
    """Free slot starts for someone choosing a new time: the next `days` open days, from tomorrow.

    No lead time here: the person chooses, so the letter's travel time does not matter.
    """
    settings = get_settings()
    today = (now or utcnow()).astimezone(LOCAL).date()
    first = today + timedelta(days=1)
    last = first + timedelta(days=days * 3)
    closed = list_closed_days(first, last)
    extras = extra_sessions(first, last)
    taken = set(taken_between(day_bounds(first)[0], day_bounds(last)[1]))
    if exclude is not None:
        own = db.session.get(Booking, exclude)
        if own is not None and own.status == BookingStatus.BOOKED:
            taken.discard((own.starts_at, own.place))
    offered: list[tuple[date, list[datetime]]] = []
    day = first
    while day <= last and len(offered) < days:
        if is_open_day(day, closed):
            offered.append((day, free_slots(day, settings, taken, closed, extras.get(day, ()))))
        day += timedelta(days=1)
    return [(day, starts) for day, starts in offered if starts]


def parse_hours(text_value: str) -> list[list[str]]:
    """Opening periods typed as `09:00-12:00, 13:00-15:00` (empty: closed); BookingError with the reason."""
    periods: list[list[str]] = []
    for part in filter(None, (p.strip() for p in text_value.replace("–", "-").split(","))):
        try:
            start_text, end_text = (s.strip() for s in part.split("-"))
            start, end = (datetime.strptime(t.replace(".", ":"), "%H:%M").time()  # noqa: DTZ007 - a clock time
                          for t in (start_text, end_text))
        except ValueError as error:
            raise BookingError(f"”{part}” är inte en tid som 09:00-12:00") from error
        if start >= end:
            raise BookingError(f"”{part}”: sluttiden måste vara efter starttiden")
        if periods and time.fromisoformat(periods[-1][1]) > start:
            raise BookingError(f"”{part}” överlappar tiden före")
        periods.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
    return periods


def format_hours(periods: list[list[str]]) -> str:
    """Opening periods as staff type them."""
    return ", ".join(f"{start}-{end}" for start, end in periods)


def save_settings(*, hours: dict[str, list[list[str]]], slot_minutes: int, places_per_slot: int,
                  lead_working_days: int, actor: str) -> CalendarSettings:
    """Store the calendar rules (commit, audit). Existing bookings keep their times."""
    settings = db.session.get(CalendarSettings, 1)
    if settings is None:
        settings = default_settings()
        db.session.add(settings)
    settings.hours = hours
    settings.slot_minutes = slot_minutes
    settings.places_per_slot = places_per_slot
    settings.lead_working_days = lead_working_days
    audit.record("booking.settings", object_type="booking_settings", object_id=1, detail=actor)
    db.session.commit()
    return settings


def close_day(day: date, *, reason: str, actor: str) -> None:
    """Close the reception on a day by hand (commit, audit); closing twice changes nothing."""
    if db.session.get(ClosedDay, day) is None:
        db.session.add(ClosedDay(day=day, reason=reason))
        audit.record("booking.close_day", object_type="booking_closed_day", detail=f"{day.isoformat()} {actor}")
        db.session.commit()


def reopen_day(day: date, *, actor: str) -> None:
    """Open a day that was closed by hand (commit, audit)."""
    closed = db.session.get(ClosedDay, day)
    if closed is not None:
        db.session.delete(closed)
        audit.record("booking.reopen_day", object_type="booking_closed_day", detail=f"{day.isoformat()} {actor}")
        db.session.commit()
