"""Bookings' answer to the staff search: a booking by the code printed in its letter (only the code's hash is
stored, so the code is hashed and looked up), or the bookings of the person's intake items."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import or_, select
from sqlalchemy.sql.elements import ColumnElement

from portal.booking.labels import PURPOSE_LABELS, STATUS_LABELS
from portal.booking.models import Booking
from portal.booking.opening_hours import LOCAL
from portal.booking.service import CODE_ALPHABET, CODE_LENGTH, hash_code, normalise_code
from portal.db import db
from portal.intake.models import IntakeItem
from portal.people import Person
from portal.roles import Role
from portal.search import MAX_HITS, Hit, Query, matches_name, person_ids
from portal.staff.models import StaffUser

ROLES = frozenset({Role.RECEPTION, Role.OUTREACH})


def _may_be_code(text: str) -> bool:
    code = normalise_code(text)
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


def find_bookings(query: Query, _staff: StaffUser) -> list[Hit]:
    """Bookings the query names, latest time first."""
    conditions: list[ColumnElement[bool]] = []
    if _may_be_code(query.reference):
        conditions.append(Booking.code_hash == hash_code(query.reference))
    people = person_ids(query)
    if people is not None:
        items = select(IntakeItem.id).where(IntakeItem.person_id.in_(people))
        if query.name_key:
            items = select(IntakeItem.id).where(or_(IntakeItem.person_id.in_(people), matches_name(IntakeItem, query)))
        conditions.append(Booking.intake_item_id.in_(items))
    if not conditions:
        return []
    rows = db.session.execute(
        select(Booking, IntakeItem.contact_name, Person.name, IntakeItem.person_id)
        .outerjoin(IntakeItem, IntakeItem.id == Booking.intake_item_id)
        .outerjoin(Person, Person.id == IntakeItem.person_id)
        .where(or_(*conditions)).order_by(Booking.starts_at.desc()).limit(MAX_HITS)).all()
    hits = []
    for booking, contact_name, person_name, person_id in rows:
        local = booking.starts_at.astimezone(LOCAL)
        hits.append(Hit(area="booking", reference=f"Bokning {local:%Y-%m-%d %H:%M}",
                        name=person_name or contact_name or "", when=local,
                        url=url_for("staff_booking.day_page", dag=local.date().isoformat()), person_id=person_id,
                        detail=f"{PURPOSE_LABELS.get(booking.purpose, booking.purpose)}, "
                               f"{STATUS_LABELS.get(booking.status, booking.status)}"))
    return hits
