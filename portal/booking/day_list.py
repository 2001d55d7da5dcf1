"""The reception's day list: one day's bookings and the intake items of who is coming.

Reading the list shows staff the names of everyone booked that day, so the read is audit-logged here, once per
list, with every person on it (a day without bookings shows no one and logs nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal import audit
from portal.booking import service
from portal.booking.models import Booking
from portal.intake import service as intake_service
from portal.intake.models import IntakeItem


@dataclass(frozen=True)
class DayList:
    """One day's bookings in time and place order, and the intake item of each (None when it is gone)."""

    bookings: list[Booking]
    items: dict[int, IntakeItem | None]


def read_day(day: date) -> DayList:
    """The day's bookings with their items; the read of who is coming is audit-logged."""
    bookings = service.list_bookings(day)
    found = intake_service.get_items(b.intake_item_id for b in bookings if b.intake_item_id)
    items = {b.intake_item_id: found.get(b.intake_item_id) for b in bookings if b.intake_item_id}
    if bookings:
        audit.record_list_read("booking.day_view", object_type="booking_day", object_id=day.isoformat(),
                               person_ids={item.person_id for item in items.values()
                                           if item is not None and item.person_id is not None})
    return DayList(bookings=bookings, items=items)
