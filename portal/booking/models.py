"""Calendar settings, closed days and bookings."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow

WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")

# Demo defaults: weekdays 09:00–12:00 and 13:00–15:00 (keys are Python weekday numbers, 0 = Monday).
DEFAULT_HOURS: dict[str, list[list[str]]] = {
    str(day): [["09:00", "12:00"], ["13:00", "15:00"]] for day in range(5)
}


class Purpose(StrEnum):
    """Why the time is booked."""

    FIRST_APPOINTMENT = "first_appointment"
    OUTREACH = "outreach"


class BookingStatus(StrEnum):
    """Where a booking stands; only `booked` holds a place.

    `unscheduled`: no time held, but the rebooking code can pick one (an outreach letter when no time fitted
    before the deadline, with place 0; or a time the person cancelled online, keeping its old time and place
    for the record). Cancelling online is contact that needs a new time, not silence.
    """

    BOOKED = "booked"
    UNSCHEDULED = "unscheduled"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class CalendarSettings(Base):
    """The reception's calendar rules (one row, id 1)."""

    __tablename__ = "booking_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    hours: Mapped[dict[str, Any]] = mapped_column(JSON, default=lambda: dict(DEFAULT_HOURS))
    slot_minutes: Mapped[int] = mapped_column(default=30)
    places_per_slot: Mapped[int] = mapped_column(default=2)
    lead_working_days: Mapped[int] = mapped_column(default=2)

    def periods(self, weekday: int) -> list[tuple[time, time]]:
        """The opening periods of a weekday (0 = Monday) as (start, end) local times."""
        hours = self.hours if self.hours is not None else DEFAULT_HOURS
        return [(time.fromisoformat(start), time.fromisoformat(end)) for start, end in hours.get(str(weekday), [])]


def default_settings() -> CalendarSettings:
    """The demo defaults, as an unsaved row."""
    return CalendarSettings(id=1, hours={k: [list(p) for p in v] for k, v in DEFAULT_HOURS.items()},
                            slot_minutes=30, places_per_slot=2, lead_working_days=2)


class ClosedDay(Base):
    """A day staff closed the reception by hand (public holidays and eves come from portal.workdays)."""

    __tablename__ = "booking_closed_day"

    day: Mapped[date] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(String(200), default="")


class Booking(Base):
    """One person's time at one place of one slot.

    The partial unique index makes the database refuse a second *active* booking of the same place, so two
    schedulers or two staff members booking at once can never double-book; cancelled rows free the place.
    """

    __tablename__ = "booking"
    __table_args__ = (
        Index("uq_booking_active_place", "starts_at", "place", unique=True,
              postgresql_where=text("status = 'booked'"), sqlite_where=text("status = 'booked'")),
        Index("ix_booking_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[int]
    purpose: Mapped[Purpose] = mapped_column(String(30))
    status: Mapped[BookingStatus] = mapped_column(String(20), default=BookingStatus.BOOKED)
    intake_item_id: Mapped[int | None] = mapped_column(ForeignKey("intake_item.id"), index=True)
    priority: Mapped[int] = mapped_column(default=0)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class BookingEvent(Base):
    """One step in a booking's history, for the notice's timeline: booked (with its time), a time picked with
    the code, moved, cancelled (by staff or online), attended, no-show."""

    __tablename__ = "booking_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(100), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExtraSession(Base):
    """Extra reception times on one day, added by an administrator in one step when capacity runs short: extra
    places in the day's usual hours, or an extra session (from-to) with its own places per slot. Its places are
    numbered after the usual ones, so the unique active-place index still guards every place."""

    __tablename__ = "booking_extra_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(index=True)
    starts: Mapped[str] = mapped_column(String(5))
    ends: Mapped[str] = mapped_column(String(5))
    places: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def period(self) -> tuple[time, time]:
        """(start, end) local times."""
        return time.fromisoformat(self.starts), time.fromisoformat(self.ends)


class CapacityWarningSent(Base):
    """A day the capacity warning was e-mailed to the administrators: once a day, however many scheduler passes
    or processes see it (the primary key decides)."""

    __tablename__ = "booking_capacity_warning"

    day: Mapped[date] = mapped_column(primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recipients: Mapped[int] = mapped_column(default=0)
