"""Letters' answer to the staff search: letters by their reference (the notice's) or by the person's
personnummer or name. As on the letters list, a hit shows the reference, kind and date, not the name."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import or_, select
from sqlalchemy.sql.elements import ColumnElement

from portal.clock import LOCAL_TZ
from portal.db import db
from portal.letters.labels import KIND_LABELS, STATUS_LABELS
from portal.letters.models import Letter
from portal.roles import Role
from portal.search import MAX_HITS, Hit, Query, person_ids
from portal.staff.models import StaffUser

ROLES = frozenset({Role.RECEPTION, Role.OUTREACH})


def find_letters(query: Query, _staff: StaffUser) -> list[Hit]:
    """Letters the query names, newest first."""
    conditions: list[ColumnElement[bool]] = []
    if query.reference:
        conditions.append(Letter.reference == query.reference)
    people = person_ids(query)
    if people is not None:
        conditions.append(Letter.person_id.in_(people))
    letters = db.session.scalars(select(Letter).where(or_(*conditions)).order_by(Letter.id.desc())
                                 .limit(MAX_HITS)).all()
    return [Hit(area="letter", reference=letter.reference or f"Brev {letter.id}", name="",
                when=letter.created_at.astimezone(LOCAL_TZ), url=url_for("staff_letters.preview", letter_id=letter.id),
                person_id=letter.person_id,
                detail=f"{KIND_LABELS.get(letter.kind, letter.kind)}, "
                       f"{STATUS_LABELS.get(letter.status, letter.status)}")
            for letter in letters]
