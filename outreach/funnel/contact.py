"""Contact with a household, read off what is already recorded: one SQL union of every contact event.

A household is in contact when it rebooked or cancelled its time online with the letter's code, came to the
reception (to a booked time or without one), phoned in, or when staff reached it by phone, text, letter or home
visit. Events belong to the case (every notice of the same household and tenancy), as in outreach.reports.statistics;
a notice counts only events on or after the day it arrived.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, String, cast, func, literal, select, union_all

from outreach.notices.models import Attempt, AttemptResult, Notice
from portal.booking.models import Booking, BookingEvent

# Only the rebooking page picks, moves or cancels a time online (portal.booking.views: move_booking and
# cancel_online have no staff route), so these events are the household itself using the letter's code.
ONLINE_KINDS = ("picked", "moved", "cancelled_online")
ONLINE = "online"
RECEPTION = "reception"

CHANNEL_LABELS = {
    ONLINE: "Bokade om eller avbokade på webben", RECEPTION: "Kom till den bokade tiden",
    "phoned_in": "Ringde själv", "walk_in": "Kom till receptionen utan tid", "call": "Nådd per telefon",
    "home_visit": "Nådd vid hembesök", "text": "Svarade på sms", "letter": "Svarade på brev",
}


def case_key(notice: type[Notice] | Any = Notice) -> Any:
    """The case a notice belongs to: its first notice's id (itself when it started the case)."""
    return func.coalesce(notice.case_id, notice.id)


def contact_events(case: int | None = None) -> Select[Any]:
    """(case_key, at, channel) of every contact event, or only those of one case."""
    attempts = (select(case_key().label("case_key"), Attempt.at.label("at"),
                       cast(Attempt.channel, String(20)).label("channel"))
                .join(Notice, Notice.id == Attempt.notice_id).where(Attempt.result == AttemptResult.REACHED))
    booked = (select(case_key().label("case_key"), BookingEvent.at.label("at"),
                     literal(ONLINE, String(20)).label("channel"))
              .join(Booking, Booking.id == BookingEvent.booking_id)
              .join(Notice, Notice.intake_item_id == Booking.intake_item_id)
              .where(BookingEvent.kind.in_(ONLINE_KINDS)))
    came = (select(case_key().label("case_key"), BookingEvent.at.label("at"),
                   literal(RECEPTION, String(20)).label("channel"))
            .join(Booking, Booking.id == BookingEvent.booking_id)
            .join(Notice, Notice.intake_item_id == Booking.intake_item_id)
            .where(BookingEvent.kind == "attended"))
    if case is not None:
        attempts, booked, came = (part.where(case_key() == case) for part in (attempts, booked, came))
    events = union_all(attempts, booked, came).subquery("contact_event")
    return select(events.c.case_key, events.c.at, events.c.channel)
