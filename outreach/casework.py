"""What staff record on a notice: attempts, the decision, protected identity, children. Each commits once."""

from __future__ import annotations

from sqlalchemy import or_, select

from outreach.actions import finish, get_action
from outreach.notices.models import (
    ActionKind,
    ActionStatus,
    Attempt,
    AttemptChannel,
    AttemptResult,
    Children,
    Decision,
    NameCheck,
    Notice,
    Outcome,
    TenancyOutcome,
)
from outreach.notices.service import apply_rules
from outreach.protection import protect_notice
from portal import audit
from portal.clock import local_today
from portal.db import db, utcnow
from portal.people import Person


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
    """Staff learnt of protected identity: the person, every notice of theirs and of the flat, from now on."""
    protect_notice(notice, source="personal")
    audit.record("outreach.protected_marked", person_id=notice.person_id, object_type="notice",
                 object_id=notice.id)
    db.session.commit()


def confirm_name(notice: Notice, *, choice: str, staff_id: int) -> None:
    """Staff settle a name that differs from the one held for the personnummer (commits).

    `notice`: the notice's name is right (the name held changes); `held`: the name held is right (a typo on the
    notice); `wrong_number`: the personnummer belongs to someone else, so the notice loses it and is matched by
    hand. Either of the first two lets the pipeline write the letter, in the confirmed name.
    """
    if notice.name_check != NameCheck.MISMATCH:
        raise CaseworkError("Namnet behöver inte bekräftas.")
    person = db.session.get(Person, notice.person_id) if notice.person_id else None
    if choice in ("notice", "held") and person is None:
        raise CaseworkError("Underrättelsen har ingen person att bekräfta.")
    if choice == "notice" and person is not None:
        person.name = notice.tenant_name
    elif choice == "wrong_number":
        notice.personnummer, notice.person_id = None, None
    elif choice != "held":
        raise CaseworkError("Välj vilket namn som stämmer.")
    notice.name_check = NameCheck.CONFIRMED
    if notice.decision is None and notice.outcome in (Outcome.MANUAL, Outcome.PENDING) and choice != "wrong_number":
        notice.outcome = Outcome.PENDING
        notice.pipeline_due = True
    audit.record("outreach.name_confirmed", person_id=person.id if person else None, object_type="notice",
                 object_id=notice.id, detail=choice)
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
                                 Notice.escalated_at.is_not(None), Notice.name_check == NameCheck.MISMATCH))
        .order_by(Notice.deadline, Notice.priority.desc(), Notice.id)))
