"""Need to know: which notices a caseworker may open (DESIGN.md: need-to-know belongs to the person).

Outreach staff work every notice. A caseworker sees a notice only when its person is their own client, by the
known-client register's caseworker (name or mailbox) or unit, or when the person's intake item was assigned to
them; any other notice answers as if it did not exist.
"""

from __future__ import annotations

from sqlalchemy import func, or_, select

from outreach.notices.known_clients import KnownClient
from outreach.notices.models import Notice
from portal.db import db
from portal.intake.models import IntakeItem
from portal.staff.models import Role, StaffUser


def may_see_notice(notice: Notice, staff: StaffUser) -> bool:
    """True when this staff member may open this notice."""
    if staff.role != Role.CASEWORKER:
        return True
    if notice.personnummer:
        mine = [func.lower(KnownClient.email) == staff.email.lower(),
                func.lower(KnownClient.caseworker) == staff.name.lower()]
        if staff.unit:
            mine.append(func.lower(KnownClient.unit) == staff.unit.lower())
        if db.session.scalar(select(KnownClient.id).where(KnownClient.personnummer == notice.personnummer,
                                                          or_(*mine))) is not None:
            return True
    assigned = [IntakeItem.id == notice.intake_item_id] if notice.intake_item_id else []
    if notice.person_id:
        assigned.append(IntakeItem.person_id == notice.person_id)
    return bool(assigned) and db.session.scalar(
        select(IntakeItem.id).where(IntakeItem.assigned_to_id == staff.id, or_(*assigned)).limit(1)) is not None
