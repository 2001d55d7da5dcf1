"""Steps on notices: each (notice, kind) exists once, so a repeated or concurrent pass changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from outreach.notices.models import ActionKind, ActionStatus, Notice, NoticeAction
from portal.db import db, utcnow

_CACHE = "outreach_actions"


def preload(notice_ids: list[int]) -> None:
    """Load the steps of claimed notices in one query; get_action and add_action then answer from memory.

    Only for notices this transaction has locked (claimed), so no other process can add steps meanwhile.
    """
    cache: dict[int, dict[str, NoticeAction]] = db.session.info.setdefault(_CACHE, {})
    for notice_id in notice_ids:
        cache[notice_id] = {}
    for action in db.session.scalars(select(NoticeAction).where(NoticeAction.notice_id.in_(notice_ids))):
        cache[action.notice_id][str(action.kind)] = action


def forget() -> None:
    """Drop the preloaded steps (at the end of the transaction that claimed the notices)."""
    db.session.info.pop(_CACHE, None)


def get_action(notice_id: int, kind: ActionKind) -> NoticeAction | None:
    """The step of this kind on this notice, if it was taken."""
    cached = db.session.info.get(_CACHE, {}).get(notice_id)
    if cached is not None:
        return cached.get(str(kind))
    return db.session.scalar(select(NoticeAction).where(NoticeAction.notice_id == notice_id,
                                                        NoticeAction.kind == kind))


def add_action(notice: Notice, kind: ActionKind, *, detail: str = "", ref_id: int | None = None,
               status: ActionStatus = ActionStatus.DONE) -> NoticeAction:
    """Add (not commit) a step, or return the one already there; the unique constraint guards races."""
    cached = db.session.info.get(_CACHE, {}).get(notice.id)
    if cached is None:
        # Without a preload (and with autoflush off) a step added earlier may still be only pending.
        for pending in db.session.new:
            if isinstance(pending, NoticeAction) and pending.notice_id == notice.id and pending.kind == kind:
                return pending
    existing = get_action(notice.id, kind)
    if existing is not None:
        return existing
    action = NoticeAction(notice_id=notice.id, kind=kind, detail=detail, ref_id=ref_id, status=status,
                          done_at=utcnow() if status == ActionStatus.DONE else None)
    db.session.add(action)
    if cached is not None:
        cached[str(kind)] = action
    return action


def finish(action: NoticeAction, *, detail: str | None = None, ref_id: int | None = None) -> None:
    """Mark a pending step done."""
    action.status, action.done_at = ActionStatus.DONE, utcnow()
    if detail is not None:
        action.detail = detail
    if ref_id is not None:
        action.ref_id = ref_id


def list_actions(notice_id: int) -> list[NoticeAction]:
    """Every step on a notice, oldest first."""
    return list(db.session.scalars(select(NoticeAction).where(NoticeAction.notice_id == notice_id)
                                   .order_by(NoticeAction.id)))


def escalate(notice: Notice, reason: str, kind: ActionKind = ActionKind.ESCALATION) -> None:
    """Put the notice in front of staff at once (it shows on the manual-handling list until decided)."""
    if notice.escalated_at is None:
        notice.escalated_at = utcnow()
        notice.escalation_reason = reason
    elif reason not in (notice.escalation_reason or ""):
        notice.escalation_reason = f"{notice.escalation_reason}; {reason}"
    add_action(notice, kind, detail=reason)
