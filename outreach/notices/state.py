"""One owner for a notice's state: `Notice.outcome` moves only here, and every move is kept with why.

The pipeline, storing (corrections), protection and casework all move notices; each says why in words staff read
on the notice's timeline (outreach.casework.timeline). A test walks every module and fails when another one
assigns `outcome`. Nothing here commits: a move belongs to the transaction of the work that caused it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from outreach.notices.models import Notice, Outcome, OutcomeChange
from portal.db import db, utcnow


def start(notice: Notice) -> None:
    """A new notice waits for the pipeline. Not recorded as a move: its arrival is its timeline's first line."""
    notice.outcome = Outcome.PENDING


def set_outcome(notice: Notice, outcome: Outcome, why: str, *, at: datetime | None = None) -> bool:
    """Move the notice to `outcome` and record why (added, not committed); False, and nothing recorded, when it
    is there already. `at` is for generated history only; a real move happens now."""
    if notice.outcome == outcome:
        return False
    db.session.add(OutcomeChange(notice=notice, previous=notice.outcome, outcome=outcome, why=why,
                                 at=at or utcnow()))
    notice.outcome = outcome
    return True


def supersede_waiting(notice_id: int, why: str) -> bool:
    """A notice not loaded here is corrected: superseded if the pipeline has not reached it (still pending).

    One conditional UPDATE, so a pipeline that holds the row moves it first and this then changes nothing
    (PostgreSQL re-reads the row after the lock). Returns whether it moved.
    """
    result = db.session.execute(update(Notice).where(Notice.id == notice_id, Notice.outcome == Outcome.PENDING)
                                .values(pipeline_due=False, outcome=Outcome.SUPERSEDED))
    if not getattr(result, "rowcount", 0):
        return False
    db.session.add(OutcomeChange(notice_id=notice_id, previous=Outcome.PENDING, outcome=Outcome.SUPERSEDED,
                                 why=why, at=utcnow()))
    return True
