"""A first time at the reception (nybesök), chosen online by a person new to the unit when they send an
application.

Before, reception booked every new applicant's first visit by hand after reading the application. Now a person
the unit does not know yet is offered the reception's free times right after sending: the same calendar the
outreach letters book from (opening hours, places per slot, closed days and public holidays), so nothing is
double-booked. They pick one or take the first proposed; reception sees it on the day list with the person's
language and can still move it.

The time's rebooking code is shown to the person on the receipt and the status page, for as long as the time
stands. Codes are stored only as hashes; this one is derived from the booking's id with the secret key (HMAC),
so the logged-in owner can be shown it again while the database alone never reveals it. A time booked or moved
by staff under another code simply shows without one.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask import Flask, current_app
from sqlalchemy import select

from portal.booking import opening_hours, service
from portal.booking.models import Booking, BookingStatus, Purpose
from portal.clock import LOCAL_TZ
from portal.db import db, utcnow
from portal.intake.models import IntakeItem
from portal.people import Person

KNOWN_SOURCES = "portal.booking.first_visit.known_sources"
ACTOR = "e-ansökan"
# Days of free times offered: enough to choose from, short enough for a phone screen.
OFFER_DAYS = 5

# (personnummer) -> True when another register (outreach's known-client register) knows the person.
KnownSource = Callable[[str], bool]


class TimeTaken(opening_hours.BookingError):
    """The chosen time was taken meanwhile, or is no longer offered."""


class AlreadyBooked(opening_hours.BookingError):
    """Reception has booked (or the person has had) a time for this application already."""


@dataclass(frozen=True)
class FirstVisit:
    """The booked first time as the resident sees it: when, and the code to move it (None when staff moved
    it under another code)."""

    booking_id: int
    starts_at: datetime
    code: str | None


def add_known_source(app: Flask, source: KnownSource) -> None:
    """Let another area say that it knows a person already (portal never imports outreach)."""
    app.extensions.setdefault(KNOWN_SOURCES, []).append(source)


def is_new_to_unit(person_id: int, intake_item_id: int) -> bool:
    """True when the unit knows nothing else about the person: no other intake item (an earlier application,
    an outreach notice's item) and no row in a register of current clients."""
    person = db.session.get(Person, person_id)
    if person is None:
        return False
    other = db.session.scalar(select(IntakeItem.id).where(IntakeItem.person_id == person_id,
                                                          IntakeItem.id != intake_item_id).limit(1))
    if other is not None:
        return False
    sources: list[KnownSource] = current_app.extensions.get(KNOWN_SOURCES, [])
    return not any(source(person.personnummer) for source in sources)


def has_booking(intake_item_id: int) -> bool:
    """True when the item has any booking at all (booked, attended, moved by staff): then nothing is offered."""
    return db.session.scalar(select(Booking.id).where(Booking.intake_item_id == intake_item_id,
                                                      Booking.status != BookingStatus.CANCELLED).limit(1)) is not None


def may_choose(person_id: int, intake_item_id: int | None) -> bool:
    """Whether to offer the person a first time for this sent application."""
    return (intake_item_id is not None and not has_booking(intake_item_id)
            and is_new_to_unit(person_id, intake_item_id))


def free_times(*, now: datetime | None = None) -> list[tuple[date, list[datetime]]]:
    """The free times offered, grouped by day, from tomorrow; the first one is the one proposed."""
    return opening_hours.offered_times(now=now, days=OFFER_DAYS)


def _derived(booking_id: int) -> str:
    digest = hmac.new(str(current_app.config["SECRET_KEY"]).encode(), f"first-visit:{booking_id}".encode(),
                      hashlib.sha256).digest()
    alphabet = service.CODE_ALPHABET
    return "".join(alphabet[byte % len(alphabet)] for byte in digest[:service.CODE_LENGTH])


def resident_code(booking: Booking) -> str | None:
    """The booking's code derived from its id and the secret key, or None when the stored hash is another
    code's (booked by staff, or the secret key changed)."""
    code = _derived(booking.id)
    return code if hmac.compare_digest(service.hash_code(code), booking.code_hash) else None


def book(person_id: int, intake_item_id: int, starts_at: datetime) -> FirstVisit:
    """Book the chosen free time for the application's intake item (commits, audit-logged).

    Choosing twice (a resent form, a second tab) keeps the first time. TimeTaken when the time is no longer
    free or not offered (outside opening hours, a closed day, in the past): the person chooses again.
    """
    item = db.session.get(IntakeItem, intake_item_id, with_for_update=True)
    if item is None or item.person_id != person_id:
        raise LookupError(intake_item_id)
    if has_booking(intake_item_id):
        existing = current(intake_item_id)
        if existing is None:
            raise AlreadyBooked(intake_item_id)
        return existing
    if starts_at.astimezone(LOCAL_TZ).date() <= utcnow().astimezone(LOCAL_TZ).date():
        raise TimeTaken("only times from tomorrow on are offered")
    try:
        booking, _ = service.book_at(starts_at, purpose=Purpose.FIRST_APPOINTMENT, intake_item_id=intake_item_id,
                                     actor=ACTOR)
    except opening_hours.BookingError as error:
        raise TimeTaken(str(error)) from error
    # The random code book_at made was never shown: replace it with the one the owner can be shown again.
    booking.code_hash = service.hash_code(_derived(booking.id))
    db.session.commit()
    return FirstVisit(booking.id, booking.starts_at, resident_code(booking))


def current(intake_item_id: int | None) -> FirstVisit | None:
    """The item's booked first time still to come, as the resident sees it (also after reception moved it)."""
    if intake_item_id is None:
        return None
    booking = db.session.scalar(select(Booking).where(
        Booking.intake_item_id == intake_item_id, Booking.purpose == Purpose.FIRST_APPOINTMENT,
        Booking.status == BookingStatus.BOOKED, Booking.starts_at >= utcnow()).order_by(Booking.starts_at).limit(1))
    if booking is None:
        return None
    return FirstVisit(booking.id, booking.starts_at, resident_code(booking))
