"""Retention (gallring): notices that never became a case are deleted after a configurable period.

Only anonymous counts per year and kind remain; each deletion is written to the audit log without
personal data. Rows are claimed FOR UPDATE SKIP LOCKED, so two schedulers never count one notice twice.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update

from outreach.notices.models import Attempt, Decision, Notice, NoticeAction, OutcomeChange, RetentionCount
from portal import audit
from portal.clock import local_today
from portal.db import db

log = logging.getLogger("outreach.retention")


def claim_expired(cutoff: date, limit: int) -> list[Notice]:
    """Notices received before the cutoff that ended without an investigation, locked for this process."""
    return list(db.session.scalars(
        select(Notice).where(Notice.received_date < cutoff, Notice.pipeline_due.is_(False),
                             or_(Notice.decision.in_((Decision.CONTACT_MADE, Decision.NO_ACTION)),
                                 Notice.superseded.is_(True)))
        .order_by(Notice.id).limit(limit).with_for_update(skip_locked=True)))


def _count(year: int, kind: str, decision: str) -> None:
    row = db.session.scalar(select(RetentionCount).where(RetentionCount.year == year, RetentionCount.kind == kind,
                                                         RetentionCount.decision == decision).with_for_update())
    if row is None:
        db.session.add(RetentionCount(year=year, kind=kind, decision=decision, count=1))
        db.session.flush()
    else:
        row.count += 1


def run_retention(*, today: date | None = None) -> int:
    """Delete expired notices in batches (each batch one transaction); returns how many were deleted."""
    days = int(current_app.config.get("NOTICE_RETENTION_DAYS", 365))
    cutoff = (today or local_today()) - timedelta(days=days)
    deleted = 0
    while True:
        notices = claim_expired(cutoff, 200)
        if not notices:
            break
        ids = [notice.id for notice in notices]
        for notice in notices:
            _count(notice.received_date.year, str(notice.kind),
                   str(notice.decision) if notice.decision else "superseded")
            audit.record("outreach.notice_deleted", object_type="notice", object_id=notice.id,
                         detail=f"gallrad efter {days} dagar")
        db.session.execute(update(Notice).where(Notice.corrects_id.in_(ids)).values(corrects_id=None))
        db.session.execute(delete(NoticeAction).where(NoticeAction.notice_id.in_(ids)))
        db.session.execute(delete(OutcomeChange).where(OutcomeChange.notice_id.in_(ids)))
        db.session.execute(delete(Attempt).where(Attempt.notice_id.in_(ids)))
        db.session.execute(delete(Notice).where(Notice.id.in_(ids)))
        db.session.commit()
        deleted += len(ids)
        log.info("retention deleted %s notices", len(ids))
    db.session.commit()
    return deleted
