"""The notices that still need a reception time, by deadline: what the reception's capacity outlook weighs its
free places against (portal.booking.capacity; registered by outreach's init_app, so booking never imports us)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from outreach.notices.models import ActionKind, Notice, NoticeAction, Outcome
from portal.booking.models import Booking, BookingStatus
from portal.db import db


def notices_needing_a_time(first: date, last: date) -> dict[date, int]:
    """Open notices (waiting for the pipeline, or contacted) with their deadline between first and last and no
    time held for them: none booked yet, only a code, or a time missed or cancelled. Read from the deadline
    index, so it costs the notices near in time, not every open one."""
    has_time = (select(NoticeAction.id).join(Booking, Booking.id == NoticeAction.ref_id)
                .where(NoticeAction.notice_id == Notice.id, NoticeAction.kind == ActionKind.BOOKING,
                       Booking.place > 0, Booking.status.in_((BookingStatus.BOOKED, BookingStatus.ATTENDED))))
    rows = db.session.execute(
        select(Notice.deadline, func.count(Notice.id))
        .where(Notice.superseded.is_(False), Notice.deadline >= first, Notice.deadline <= last,
               Notice.decision.is_(None), Notice.protected.is_(False),
               Notice.outcome.in_((Outcome.PENDING, Outcome.CONTACTED)), ~has_time.exists())
        .group_by(Notice.deadline)).all()
    return {deadline: int(count) for deadline, count in rows if deadline is not None}
