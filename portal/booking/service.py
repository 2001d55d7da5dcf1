"""Booking rules as plain functions: free slots, the earliest free place before a deadline, and status changes."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from blinker import Namespace
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal import audit
from portal.booking.models import (
    Booking,
    BookingEvent,
    BookingStatus,
    CalendarSettings,
    Purpose,
)
from portal.booking.opening_hours import (
    LOCAL,
    BookingError,
    day_bounds,
    extra_sessions,
    free_places,
    free_slots,
    get_settings,
    is_open_day,
    list_closed_days,
    places_of_day,
    remember_in_transaction,
    slot_places,
    taken_between,
    this_transaction,
)
from portal.db import db, utcnow
from portal.workdays import add_working_days

# No 0/O, 1/I/L: the code is read off paper and typed by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
# Without a deadline, look this many days ahead before giving up.
HORIZON_DAYS = 90
# book_earliest reads the taken places this many days at a time.
LOOKUP_DAYS = 7


_signals = Namespace()
# Sent inside the caller's transaction, before its commit, when a booking's status or time changes (attended,
# no-show, cancelled, a time picked or moved); receivers get `booking=`. Outreach works out the notice's next
# follow-up day from it, so the daily sweep never has to look at every notice to find what changed.
booking_changed = _signals.signal("booking-changed")


def new_code() -> str:
    """A rebooking code: 10 characters from an unambiguous alphabet (about 50 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """The code as stored: upper case, no spaces or dashes (people copy it with them)."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    """sha256 of the normalised code; only the hash is stored."""
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def candidate_days(first: date, deadline: date | None) -> Iterable[date]:
    """Local days from `first`, strictly before the deadline (or up to the horizon without one)."""
    last = deadline - timedelta(days=1) if deadline is not None else first + timedelta(days=HORIZON_DAYS)
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def add_event(booking: Booking, kind: str, *, actor: str) -> None:
    """Write a step of the booking's history (no commit), with the time it holds then."""
    db.session.add(BookingEvent(booking_id=booking.id, kind=kind, actor=actor[:100], at=utcnow(),
                                starts_at=booking.starts_at if booking.place > 0 else None))


def open_code(*, purpose: str, intake_item_id: int | None, expires_on: date, priority: int = 0
              ) -> tuple[Booking, str]:
    """A rebooking code with no time yet (adds, no commit): the person picks any free time with it on the
    rebooking page until the end of `expires_on`. Holds no place (place 0, status unscheduled)."""
    code = new_code()
    end_of_day = datetime.combine(expires_on + timedelta(days=1), time(0), tzinfo=LOCAL).astimezone(UTC)
    booking = Booking(starts_at=end_of_day, place=0, purpose=Purpose(purpose), status=BookingStatus.UNSCHEDULED,
                      intake_item_id=intake_item_id, priority=priority, code_hash=hash_code(code),
                      code_expires_at=end_of_day, created_at=utcnow())
    db.session.add(booking)
    db.session.flush()
    add_event(booking, "code_without_time", actor="uppsökande")
    return booking, code


def earliest_day(now: datetime, settings: CalendarSettings) -> date:
    """The first day a booking may be on: `lead` working days after today (letters take time to arrive)."""
    return add_working_days(now.astimezone(LOCAL).date(), settings.lead_working_days)


def _try_place(starts_at: datetime, place: int, *, purpose: str, intake_item_id: int | None, priority: int,
               settings: CalendarSettings) -> tuple[Booking, str] | None:
    """Claim one place inside a savepoint; None when another transaction holds it already."""
    code = new_code()
    booking = Booking(starts_at=starts_at, place=place, purpose=Purpose(purpose), status=BookingStatus.BOOKED,
                      intake_item_id=intake_item_id, priority=priority, code_hash=hash_code(code),
                      code_expires_at=starts_at + timedelta(minutes=settings.slot_minutes), created_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(booking)
    except IntegrityError:
        return None
    add_event(booking, "booked", actor="uppsökande" if purpose == Purpose.OUTREACH else "mottagningen")
    return booking, code


def book_earliest(*, purpose: str, intake_item_id: int | None, deadline: date | None, priority: int = 0,
                  now: datetime | None = None, first_day: date | None = None) -> tuple[Booking, str] | None:
    """Book the earliest free place at least `lead` working days ahead (or from `first_day`, for a letter: its
    print day + postal days + margin) and before the deadline (adds, no commit).

    Returns the booking and its plaintext rebooking code (shown once, in the letter), or None when every place
    before the deadline is taken. A place taken concurrently makes the insert fail in its savepoint; the next
    place is tried.
    """
    settings = get_settings()
    first = first_day if first_day is not None else earliest_day(now or utcnow(), settings)
    full_until = _full_until(first)
    days = [day for day in candidate_days(first, deadline) if day >= full_until]
    if not days:
        return None
    closed = list_closed_days(days[0], days[-1])
    extras = extra_sessions(days[0], days[-1])
    taken: set[tuple[datetime, int]] = set()
    fetched_until = days[0]
    for day in days:
        if not is_open_day(day, closed):
            continue
        if day >= fetched_until:
            # The places taken, a week at a time: when the next weeks are full (a landlord's yearly file), one
            # query per day was most of the pipeline's time.
            fetched_until = min(day + timedelta(days=LOOKUP_DAYS), days[-1] + timedelta(days=1))
            taken = taken_between(day_bounds(day)[0], day_bounds(fetched_until)[0])
        places = slot_places(day, settings, extras.get(day, ()))
        for starts_at in free_slots(day, settings, taken, closed, extras.get(day, ())):
            for place in free_places(starts_at, settings, taken, places[starts_at]):
                result = _try_place(starts_at, place, purpose=purpose, intake_item_id=intake_item_id,
                                    priority=priority, settings=settings)
                if result is not None:
                    _remember_full_until(first, day)
                    return result
    _remember_full_until(first, days[-1] + timedelta(days=1))
    return None


_FULL_UNTIL = "booking.full_until"


def _full_until(first: date) -> date:
    """The first day that may have a free place, as far as this transaction has seen: every day before it was
    full when book_earliest last looked, and within one transaction the pipeline only adds bookings. Without
    this, every notice of a large file walked the same full weeks again (once per notice, quadratic).
    A place another transaction frees meanwhile is found by the next transaction."""
    hint = this_transaction(_FULL_UNTIL)
    if hint is not None and hint[0] == first:
        return max(first, hint[1])
    return first


def _remember_full_until(first: date, day: date) -> None:
    remember_in_transaction(_FULL_UNTIL, (first, day))


def book_at(starts_at: datetime, *, purpose: str, intake_item_id: int | None, priority: int = 0,
            actor: str = "staff") -> tuple[Booking, str]:
    """Book a chosen slot by hand (first free place) and commit with an audit event; BookingError if full."""
    settings = get_settings()
    local_day = starts_at.astimezone(LOCAL).date()
    starts_at = starts_at.astimezone(UTC)
    places = places_of_day(local_day, settings)
    if starts_at not in places or not is_open_day(local_day, list_closed_days(local_day, local_day)):
        raise BookingError("tiden ligger utanför öppettiderna")
    taken = taken_between(*day_bounds(local_day))
    for place in free_places(starts_at, settings, taken, places[starts_at]):
        result = _try_place(starts_at, place, purpose=purpose, intake_item_id=intake_item_id, priority=priority,
                            settings=settings)
        if result is not None:
            booking = result[0]
            audit.record("booking.create", object_type="booking", object_id=booking.id, detail=actor)
            db.session.commit()
            return result
    raise BookingError("tiden är fullbokad")


def get_booking(booking_id: int) -> Booking | None:
    """The booking with this id, if any."""
    return db.session.get(Booking, booking_id)


def get_booking_by_code(code: str, *, now: datetime | None = None) -> Booking | None:
    """The active booking a rebooking code belongs to, or None when unknown or expired."""
    booking = db.session.scalar(select(Booking).where(Booking.code_hash == hash_code(code)))
    usable = (BookingStatus.BOOKED, BookingStatus.UNSCHEDULED)  # unscheduled: the code picks a time
    if booking is None or booking.status not in usable or booking.code_expires_at <= (now or utcnow()):
        return None
    return booking


def _change_status(booking_id: int, status: BookingStatus, *, actor: str, allowed: set[BookingStatus],
                   code_expires_at: datetime | None = None) -> Booking:
    booking = db.session.get(Booking, booking_id, with_for_update=True)
    if booking is None:
        raise BookingError("bokningen finns inte")
    if booking.status == status:
        return booking  # a double submit changes nothing
    if booking.status not in allowed:
        raise BookingError(f"bokningen är redan {booking.status}")
    booking.status = status
    if code_expires_at is not None:
        booking.code_expires_at = code_expires_at
    add_event(booking, "cancelled_online" if status == BookingStatus.UNSCHEDULED else str(status), actor=actor)
    booking_changed.send(None, booking=booking)
    audit.record(f"booking.{status}", object_type="booking", object_id=booking.id, detail=actor)
    db.session.commit()
    return booking


def cancel_booking(booking_id: int, *, actor: str) -> Booking:
    """Cancel a booking (frees the place) and commit with an audit event."""
    return _change_status(booking_id, BookingStatus.CANCELLED, actor=actor, allowed={BookingStatus.BOOKED})


def cancel_online(booking_id: int, *, actor: str) -> Booking:
    """The person cancels with the code from the letter: the place is freed, the code stays valid to pick a new
    time (until the horizon), and outreach follows up on a contact that needs a new time (commit, audit)."""
    return _change_status(booking_id, BookingStatus.UNSCHEDULED, actor=actor, allowed={BookingStatus.BOOKED},
                          code_expires_at=utcnow() + timedelta(days=HORIZON_DAYS))


class NotStartedYet(BookingError):
    """Attendance marked before the appointment has begun."""


def _started(booking_id: int, now: datetime | None) -> None:
    booking = db.session.get(Booking, booking_id)
    if booking is not None and booking.starts_at > (now or utcnow()):
        raise NotStartedYet("tiden har inte börjat än: kom eller uteblev kan markeras först från tidens början")


def mark_attended(booking_id: int, *, actor: str, now: datetime | None = None) -> Booking:
    """Record that the person came, with an audit event; only from the appointment's start on."""
    _started(booking_id, now)
    return _change_status(booking_id, BookingStatus.ATTENDED, actor=actor,
                          allowed={BookingStatus.BOOKED, BookingStatus.NO_SHOW})


def mark_no_show(booking_id: int, *, actor: str, now: datetime | None = None) -> Booking:
    """Record that the person did not come (outreach follows up), with an audit event; only from the
    appointment's start on (before it, the printed code must keep working)."""
    _started(booking_id, now)
    return _change_status(booking_id, BookingStatus.NO_SHOW, actor=actor,
                          allowed={BookingStatus.BOOKED, BookingStatus.ATTENDED})


def list_bookings(day: date) -> list[Booking]:
    """Every booking of a local day, in time and place order."""
    start, end = day_bounds(day)
    # Place 0 is a code without a time (open_code): it belongs to no day.
    return list(db.session.scalars(select(Booking).where(Booking.starts_at >= start, Booking.starts_at < end,
                                                         Booking.place > 0)
                                   .order_by(Booking.starts_at, Booking.place)))


def move_booking(booking_id: int, starts_at: datetime, *, actor: str) -> Booking:
    """Move a booking to another free slot (same code, same id) and commit with an audit event.

    Keeping the row keeps every reference to it (the intake item, the outreach steps) pointing at the new time.
    """
    settings = get_settings()
    booking = db.session.get(Booking, booking_id, with_for_update=True)
    if booking is None or booking.status not in (BookingStatus.BOOKED, BookingStatus.UNSCHEDULED):
        raise BookingError("bokningen finns inte")
    starts_at = starts_at.astimezone(UTC)
    if starts_at == booking.starts_at and booking.status == BookingStatus.BOOKED:
        return booking  # a resent form changes nothing
    picked = booking.status == BookingStatus.UNSCHEDULED
    local_day = starts_at.astimezone(LOCAL).date()
    places = places_of_day(local_day, settings)
    if (starts_at <= utcnow() or starts_at not in places
            or not is_open_day(local_day, list_closed_days(local_day, local_day))):
        raise BookingError("tiden ligger utanför öppettiderna")
    taken = taken_between(*day_bounds(local_day))
    for place in free_places(starts_at, settings, taken, places[starts_at]):
        try:
            with db.session.begin_nested():
                booking.starts_at, booking.place = starts_at, place
                booking.status = BookingStatus.BOOKED
                booking.code_expires_at = starts_at + timedelta(minutes=settings.slot_minutes)
        except IntegrityError:
            db.session.refresh(booking)
            continue
        add_event(booking, "picked" if picked else "moved", actor=actor)
        booking_changed.send(None, booking=booking)
        audit.record("booking.pick" if picked else "booking.move", object_type="booking", object_id=booking.id,
                     detail=actor)
        db.session.commit()
        return booking
    raise BookingError("tiden är fullbokad")


def booking_ics(booking: Booking, *, summary: str, location: str, uid_domain: str) -> bytes:
    """The booking as an iCalendar file: time and place only (the file may end up in a shared calendar)."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//portal//mottagningen//SV")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"booking-{booking.id}@{uid_domain}")
    event.add("dtstamp", booking.created_at)
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.code_expires_at)
    event.add("summary", summary)
    event.add("location", location)
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def bookings_for_item(intake_item_id: int) -> list[Booking]:
    """An intake item's bookings, newest first."""
    return list(db.session.scalars(select(Booking).where(Booking.intake_item_id == intake_item_id)
                                   .order_by(Booking.starts_at.desc())))


def upcoming_for_items(intake_item_ids: Iterable[int]) -> list[tuple[int, datetime]]:
    """(intake item id, start) of booked times still to come for these items: the resident's own page shows them."""
    ids = list(intake_item_ids)
    if not ids:
        return []
    rows = db.session.execute(select(Booking.intake_item_id, Booking.starts_at)
                              .where(Booking.intake_item_id.in_(ids), Booking.status == BookingStatus.BOOKED,
                                     Booking.starts_at >= utcnow())
                              .order_by(Booking.starts_at)).all()
    return [(int(item_id), starts_at) for item_id, starts_at in rows if item_id is not None]


def next_bookings(intake_item_ids: list[int]) -> dict[int, datetime]:
    """Each item's booked time still to come (the earliest), for the queue's column; one query for a page."""
    if not intake_item_ids:
        return {}
    rows = db.session.execute(
        select(Booking.intake_item_id, func.min(Booking.starts_at))
        .where(Booking.intake_item_id.in_(intake_item_ids), Booking.status == BookingStatus.BOOKED,
               Booking.starts_at >= utcnow())
        .group_by(Booking.intake_item_id)).all()
    return {int(item_id): starts_at for item_id, starts_at in rows if item_id is not None}
