"""Booking a first appointment (nybesök) for an intake item: the time, the confirmation e-mail, the item's history."""

from __future__ import annotations

from datetime import datetime

from portal.booking.models import Booking, Purpose
from portal.booking.notify import send_booking_confirmation
from portal.booking.opening_hours import LOCAL, BookingError
from portal.booking.service import book_at
from portal.db import db
from portal.intake import service as intake_service


def book_first_appointment(item_id: int, starts_at: datetime, *, actor: str) -> tuple[Booking, bool]:
    """Book `starts_at` for the item, e-mail the confirmation where the person gave an address, and note both on
    the item's history; the booking and whether the e-mail went. BookingError when the time cannot be had.

    The time is committed (with its audit event) before the e-mail is sent, so a confirmation never names a time
    that was not kept; the history entry then says whether the e-mail went."""
    item = intake_service.get_item(item_id)
    if item is None:
        raise BookingError("ärendet finns inte")
    booking, code = book_at(starts_at, purpose=Purpose.FIRST_APPOINTMENT, intake_item_id=item.id, actor=actor)
    mailed = send_booking_confirmation(item, booking, code)
    when = booking.starts_at.astimezone(LOCAL)
    intake_service.add_event(item, actor, "booking", f"Nybesök bokat {when:%Y-%m-%d %H:%M}"
                             + (", bekräftelse skickad med e-post" if mailed else ""))
    db.session.commit()
    return booking, mailed
