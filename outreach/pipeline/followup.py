"""Follow-up: a missed appointment or no contact leads to a task and (time allowing) a second letter;
a notice without a decision near its deadline is escalated.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from outreach.notices.actions import add_action, escalate, forget, get_action, preload
from outreach.notices.models import (
    ActionKind,
    ActionStatus,
    Attempt,
    AttemptResult,
    Notice,
    NoticeAction,
    Outcome,
)
from outreach.pipeline import delivery
from portal.booking.models import Booking, BookingStatus
from portal.booking.service import HORIZON_DAYS, open_code
from portal.clock import local_date
from portal.db import db
from portal.people import Person
from portal.workdays import working_days_between


def claim_open(limit: int = 500, after_id: int = 0, *, today: date | None = None) -> list[Notice]:
    """Undecided, current notices, locked for this process (another scheduler skips them); with `today`, only
    those the follow-up has not looked at yet that day."""
    query = select(Notice).where(Notice.decision.is_(None), Notice.superseded.is_(False),
                                 Notice.pipeline_due.is_(False), Notice.id > after_id)
    if today is not None:
        query = query.where(or_(Notice.followed_up_on.is_(None), Notice.followed_up_on < today))
    return list(db.session.scalars(query.order_by(Notice.id).limit(limit).with_for_update(skip_locked=True)))


def claim_missed_bookings(limit: int = 500) -> list[Notice]:
    """Open notices whose booked time was missed or cancelled and that have no follow-up task yet: staff mark
    these at any hour, so they are looked at on every pass (found through the few such bookings, not a scan)."""
    task = aliased(NoticeAction)
    has_task = select(task.id).where(task.notice_id == Notice.id, task.kind == ActionKind.FOLLOWUP_TASK).exists()
    was_reached = select(Attempt.id).where(Attempt.notice_id == Notice.id,
                                           Attempt.result == AttemptResult.REACHED).exists()
    return list(db.session.scalars(
        select(Notice).join(NoticeAction, (NoticeAction.notice_id == Notice.id)
                            & (NoticeAction.kind == ActionKind.BOOKING))
        .join(Booking, Booking.id == NoticeAction.ref_id)
        .where(Booking.status.in_((BookingStatus.NO_SHOW, BookingStatus.CANCELLED, BookingStatus.UNSCHEDULED)),
               Notice.outcome == Outcome.CONTACTED, Notice.decision.is_(None), Notice.superseded.is_(False),
               Notice.pipeline_due.is_(False), ~has_task, ~was_reached)
        .order_by(Notice.id).limit(limit).with_for_update(skip_locked=True, of=Notice)))


def reached(notice_id: int) -> bool:
    """True when an attempt reached the household."""
    return db.session.scalar(select(Attempt.id).where(Attempt.notice_id == notice_id,
                                                      Attempt.result == AttemptResult.REACHED).limit(1)) is not None


def booking_status(booking_id: int | None) -> BookingStatus | None:
    """Where the reception time booked for the notice stands (staff mark attended or no-show)."""
    booking = db.session.get(Booking, booking_id) if booking_id is not None else None
    return booking.status if booking is not None else None


URGENT = "Brådskande"


def urgent_reason(deadline: date | None, *, today: date, urgent_days: int) -> str | None:
    """The task text when the eviction date or recovery deadline is within `urgent_days` working days."""
    if deadline is None or working_days_between(today, deadline) > urgent_days:
        return None
    return f"{URGENT}: fristen {deadline.isoformat()} är om högst {urgent_days} arbetsdagar och ingen kontakt än"


def needs_task(notice: Notice, letter: NoticeAction | None, booking: NoticeAction | None, *, today: date,
               contact_days: int, urgent_days: int = 0) -> str | None:
    """Why an outreach worker should follow up now, or None (a plain rule the tests call directly)."""
    if notice.outcome != Outcome.CONTACTED or reached(notice.id):
        return None
    status = booking_status(booking.ref_id) if booking is not None else None
    if status == BookingStatus.ATTENDED:
        return None  # they came: the reception has them now
    if (urgent := urgent_reason(notice.deadline, today=today, urgent_days=urgent_days)) is not None:
        return urgent
    if status == BookingStatus.NO_SHOW:
        return "Uteblev från den bokade tiden"
    if status == BookingStatus.CANCELLED:
        return "Avbokade den bokade tiden"
    if status == BookingStatus.UNSCHEDULED:
        # Cancelling online is contact: the person needs a new time, not a letter saying we never heard from them.
        return "Avbokade tiden på webben och behöver en ny tid"
    if letter is not None and letter.done_at is not None and \
            working_days_between(local_date(letter.done_at), today) >= contact_days:
        return f"Ingen kontakt {contact_days} arbetsdagar efter brevet"
    return None


def follow_up(*, today: date) -> int:
    """Create follow-up tasks, second letters and deadline escalations; each at most once per notice."""
    config = current_app.config
    contact_days = int(config.get("OUTREACH_CONTACT_WORKING_DAYS", 5))
    escalate_days = int(config.get("OUTREACH_ESCALATE_WORKING_DAYS", 3))
    second_min = int(config.get("OUTREACH_SECOND_LETTER_MIN_DAYS", 5))
    urgent_days = int(config.get("OUTREACH_URGENT_WORKING_DAYS", 5))
    changed = 0
    after = 0
    while True:  # once a day for each open notice: the rules that depend on the date
        notices = claim_open(after_id=after, today=today)
        if not notices:
            break
        preload([notice.id for notice in notices])
        for notice in notices:
            after = notice.id
            changed += _follow_one(notice, today=today, contact_days=contact_days, escalate_days=escalate_days,
                                   second_min=second_min, urgent_days=urgent_days)
            notice.followed_up_on = today
        db.session.commit()
        forget()
    while True:  # on every pass: times missed or cancelled since (each gets its task, so the loop ends)
        notices = claim_missed_bookings()
        preload([notice.id for notice in notices])
        added = sum(_follow_one(notice, today=today, contact_days=contact_days, escalate_days=escalate_days,
                                second_min=second_min, urgent_days=urgent_days) for notice in notices)
        db.session.commit()
        forget()
        changed += added
        if not added:
            break
    return changed


def _follow_one(notice: Notice, *, today: date, contact_days: int, escalate_days: int, second_min: int,
                urgent_days: int = 0) -> int:
    changed = 0
    if notice.deadline is not None and get_action(notice.id, ActionKind.DEADLINE_ESCALATION) is None and \
            working_days_between(today, notice.deadline) <= escalate_days:
        escalate(notice, f"Inget beslut {escalate_days} arbetsdagar före fristen",
                 kind=ActionKind.DEADLINE_ESCALATION)
        changed += 1
    if get_action(notice.id, ActionKind.FOLLOWUP_TASK) is not None:
        return changed
    booking = get_action(notice.id, ActionKind.BOOKING)
    reason = needs_task(notice, get_action(notice.id, ActionKind.LETTER_FIRST), booking, today=today,
                        contact_days=contact_days, urgent_days=urgent_days)
    if reason is None:
        return changed
    add_action(notice, ActionKind.FOLLOWUP_TASK, detail=f"{reason}: ring, skicka sms eller gör hembesök",
               status=ActionStatus.PENDING)
    person = db.session.get(Person, notice.person_id) if notice.person_id else None
    if reason.startswith(URGENT):
        return changed + 1  # too near for the post: a call or a home visit
    if person is not None and notice.deadline is not None and (notice.deadline - today).days >= second_min:
        second_letter(notice, person, status=booking_status(booking.ref_id) if booking is not None else None)
    return changed + 1


SECOND_LETTER_REASONS = {BookingStatus.NO_SHOW: "missed", BookingStatus.CANCELLED: "cancelled",
                         BookingStatus.UNSCHEDULED: "cancelled"}


def second_letter(notice: Notice, person: Person, *, status: BookingStatus | None) -> None:
    """The follow-up letter says what happened: a missed time or a cancelled one comes with a code to pick a
    new time on the rebooking page; no answer at all asks them to phone."""
    reason = SECOND_LETTER_REASONS.get(status) if status is not None else None
    code = None
    if reason is not None and get_action(notice.id, ActionKind.LETTER_SECOND) is None:
        print_day, _first = delivery.letter_days()
        _booking, code = open_code(purpose="outreach", intake_item_id=notice.intake_item_id,
                                   priority=notice.priority, expires_on=print_day + timedelta(days=HORIZON_DAYS))
    delivery.write_letter(notice, person, kind="outreach_second", action=ActionKind.LETTER_SECOND, code=code,
                          reason=reason or "no_answer")


def list_open_tasks() -> list[tuple[NoticeAction, Notice]]:
    """Open follow-up tasks for outreach workers, nearest deadline first."""
    rows = db.session.execute(
        select(NoticeAction, Notice).join(Notice, Notice.id == NoticeAction.notice_id)
        .where(NoticeAction.kind == ActionKind.FOLLOWUP_TASK, NoticeAction.status == ActionStatus.PENDING)
        .order_by(Notice.deadline, Notice.id)).all()
    return [(row[0], row[1]) for row in rows]


def open_task_count() -> int:
    """Open follow-up tasks (each is due as soon as it is made: the staff navigation's count)."""
    return int(db.session.scalar(
        select(func.count(NoticeAction.id))
        .where(NoticeAction.kind == ActionKind.FOLLOWUP_TASK, NoticeAction.status == ActionStatus.PENDING)) or 0)
