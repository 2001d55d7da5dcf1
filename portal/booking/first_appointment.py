"""A first appointment (nybesök) for an intake item, booked by reception: the time, the confirmation e-mail, the
item's history. A first time the person chose online (portal.booking.first_visit) is moved instead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from portal.booking import first_visit
from portal.booking.models import Booking, Purpose
from portal.booking.notify import send_booking_confirmation
from portal.booking.opening_hours import LOCAL, BookingError
from portal.booking.service import book_at, move_booking
from portal.db import db
from portal.intake import service as intake_service


@dataclass(frozen=True)
class Booked:
    """What reception's booking did: the booking, whether it moved the person's own choice, whether the
    confirmation e-mail went."""

    booking: Booking
    moved: bool
    mailed: bool


def book_first_appointment(item_id: int, starts_at: datetime, *, actor: str) -> Booked:
    """Book `starts_at` for the item and note it on the item's history (commits); BookingError when the time
    cannot be had.

    A first time the person chose online is moved, not booked anew: the same code keeps working and the person
    sees the new time on their own page. A new booking is committed (with its audit event) before the
    confirmation e-mail is sent, so a confirmation never names a time that was not kept; the history entry then
    says whether the e-mail went."""
    item = intake_service.get_item(item_id)
    if item is None:
        raise BookingError("ärendet finns inte")
    chosen = first_visit.current(item.id)
    if chosen is not None:
        booking = move_booking(chosen.booking_id, starts_at, actor=actor)
        intake_service.add_event(item, actor, "booking",
                                 f"Nybesök flyttat till {booking.starts_at.astimezone(LOCAL):%Y-%m-%d %H:%M}")
        db.session.commit()
        return Booked(booking=booking, moved=True, mailed=False)
    booking, code = book_at(starts_at, purpose=Purpose.FIRST_APPOINTMENT, intake_item_id=item.id, actor=actor)
    mailed = send_booking_confirmation(item, booking, code)
    when = booking.starts_at.astimezone(LOCAL)
    intake_service.add_event(item, actor, "booking", f"Nybesök bokat {when:%Y-%m-%d %H:%M}"
                             + (", bekräftelse skickad med e-post" if mailed else ""))
    db.session.commit()
    return Booked(booking=booking, moved=False, mailed=mailed)
