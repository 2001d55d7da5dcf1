"""What staff record on a notice: attempts, the decision, protected identity, children. Each commits once."""

from __future__ import annotations

from sqlalchemy import or_, select

from outreach.actions import add_action, finish, get_action
from outreach.notices.models import (
    ActionKind,
    ActionStatus,
    Attempt,
    AttemptChannel,
    AttemptResult,
    Children,
    Decision,
    Notice,
    Outcome,
    TenancyOutcome,
)
from outreach.notices.service import apply_rules
from portal import audit
from portal.db import db, utcnow
from portal.intake.service import local_today
from portal.letters.service import withdraw_letter


class CaseworkError(ValueError):
    """A staff action that cannot be done (message in Swedish)."""


def record_attempt(notice: Notice, *, channel: AttemptChannel, result: AttemptResult, note: str,
                   staff_id: int) -> Attempt:
    """Record one attempt to reach the household; a reached household closes the follow-up task."""
    attempt = Attempt(notice_id=notice.id, channel=channel, result=result, note=note[:2000], staff_id=staff_id,
                      at=utcnow())
    db.session.add(attempt)
    task = get_action(notice.id, ActionKind.FOLLOWUP_TASK)
    if task is not None and task.status == ActionStatus.PENDING and result == AttemptResult.REACHED:
        finish(task, detail=f"{task.detail} – kontakt fick")
    audit.record("outreach.attempt_recorded", person_id=notice.person_id, object_type="notice",
                 object_id=notice.id, detail=f"{channel.value}:{result.value}")
    db.session.commit()
    return attempt


def record_decision(notice: Notice, *, decision: Decision, reason: str, staff_id: int) -> None:
    """Record the notice's decision (JO 1683-2017); 'no action' needs a reason; a decision is final."""
    if notice.decision is not None:
        raise CaseworkError("Underrättelsen har redan ett beslut.")
    if decision == Decision.NO_ACTION and not reason.strip():
        raise CaseworkError("Skriv varför ingen åtgärd behövs.")
    notice.decision, notice.decision_reason = decision, reason.strip()[:4000] or None
    notice.decided_at, notice.decided_by_id = utcnow(), staff_id
    task = get_action(notice.id, ActionKind.FOLLOWUP_TASK)
    if task is not None and task.status == ActionStatus.PENDING:
        finish(task, detail=f"{task.detail} – avslutad med beslut")
    audit.record("outreach.decision_recorded", person_id=notice.person_id, object_type="notice",
                 object_id=notice.id, detail=decision.value)
    db.session.commit()


def record_tenancy_outcome(notice: Notice, *, outcome: TenancyOutcome, staff_id: int) -> None:
    """Record what became of the home; it may change later (an agreement that breaks), each change logged."""
    if notice.tenancy_outcome == outcome:
        return  # a resent form changes nothing
    notice.tenancy_outcome, notice.tenancy_outcome_at, notice.tenancy_outcome_by_id = outcome, utcnow(), staff_id
    audit.record("outreach.tenancy_outcome", person_id=notice.person_id, object_type="notice", object_id=notice.id,
                 detail=outcome.value)
    db.session.commit()


def mark_protected(notice: Notice) -> None:
    """Staff learnt of protected identity: no letter from now on, no address shown, manual handling."""
    notice.protected = True
    if notice.outcome in (Outcome.PENDING, Outcome.CONTACTED, Outcome.ESCALATED):
        notice.outcome = Outcome.MANUAL
    add_action(notice, ActionKind.MANUAL, detail="Skyddade personuppgifter (angivet av personal): hanteras manuellt")
    for kind in (ActionKind.LETTER_FIRST, ActionKind.LETTER_SECOND):
        step = get_action(notice.id, kind)
        if step is not None and step.status == ActionStatus.PENDING:
            finish(step, detail="stoppat: skyddade personuppgifter")
        elif step is not None and step.ref_id is not None:
            # A letter not yet printed must not go out with the address on it.
            step.detail = ("stoppat: skyddade personuppgifter" if withdraw_letter(step.ref_id)
                           else "skyddade personuppgifter: brevet var redan utskrivet")
    audit.record("outreach.protected_marked", person_id=notice.person_id, object_type="notice",
                 object_id=notice.id)
    db.session.commit()


def set_children(notice: Notice, children: Children) -> None:
    """Staff record whether children live in the household; the priority follows."""
    notice.children = children
    apply_rules(notice, today=local_today())
    audit.record("outreach.children_recorded", person_id=notice.person_id, object_type="notice",
                 object_id=notice.id, detail=children.value)
    db.session.commit()


def list_attempts(notice_id: int) -> list[Attempt]:
    """Attempts on a notice, oldest first."""
    return list(db.session.scalars(select(Attempt).where(Attempt.notice_id == notice_id).order_by(Attempt.id)))


def list_notices(*, limit: int = 200, offset: int = 0) -> list[Notice]:
    """Current notices, nearest deadline first, then the higher priority."""
    return list(db.session.scalars(select(Notice).where(Notice.superseded.is_(False))
                                   .order_by(Notice.deadline, Notice.priority.desc(), Notice.id)
                                   .limit(limit).offset(offset)))


def list_manual() -> list[Notice]:
    """Notices staff must handle by hand: protected identity, no personnummer, out of area, escalations."""
    return list(db.session.scalars(
        select(Notice).where(Notice.decision.is_(None), Notice.superseded.is_(False),
                             or_(Notice.outcome.in_((Outcome.MANUAL, Outcome.OUT_OF_AREA)),
                                 Notice.escalated_at.is_not(None)))
        .order_by(Notice.deadline, Notice.priority.desc(), Notice.id)))
