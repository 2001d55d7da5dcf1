"""Follow-up: a missed appointment or no contact leads to a task and (time allowing) a second letter;
a notice without a decision near its deadline is escalated.

The daily sweep costs what is due, not what is open: each undecided notice carries `next_check_on`, the first
day one of its date rules (escalation before the deadline, urgency, no contact after the letter) can fire,
computed by `next_check` whenever the notice's state changes (the pipeline moved it, the sweep looked at it,
staff changed its deadline). The sweep reads only the notices whose day has come, from the index on that date;
a decision or a superseding correction clears the date, so decided notices never weigh on it.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select
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
from portal.booking.service import HORIZON_DAYS, booking_changed, open_code
from portal.clock import local_date, local_today
from portal.db import db
from portal.people import Person
from portal.workdays import add_working_days, working_days_before, working_days_between


def claim_open(*, today: date, limit: int = 500) -> list[Notice]:
    """The notices due for the follow-up's look today, locked for this process (another scheduler skips them).

    Read on the next-check index alone: the date is cleared whenever a notice leaves the follow-up (decided,
    superseded, back to the pipeline), so no other condition is needed to find them, and any other condition in
    the query let SQLite's planner prefer an index that reads every current notice."""
    return list(db.session.scalars(select(Notice).where(Notice.next_check_on <= today)
                                   .order_by(Notice.next_check_on, Notice.id).limit(limit)
                                   .with_for_update(skip_locked=True)))


def first_day_within(deadline: date, working_days: int) -> date:
    """The first day from which the deadline is at most `working_days` working days away (the day a rule
    counted as `working_days_between(today, deadline) <= working_days` starts to hold)."""
    day = working_days_before(deadline, working_days)
    # Days off just before it are as near in working days (a deadline on a Sunday, a holiday week).
    while working_days_between(day - timedelta(days=1), deadline) <= working_days:
        day -= timedelta(days=1)
    return day


def next_check(notice: Notice, *, today: date, contact_days: int, escalate_days: int,
               urgent_days: int, is_reached: bool | None = None) -> date | None:
    """The first day the follow-up's date rules can act on the notice, as it stands (None: no date rule left;
    a time missed or cancelled is found on every pass anyway). A plain rule: `_follow_one` on any earlier day
    changes nothing, and on this day it acts, unless staff acted first."""
    if notice.decision is not None or notice.superseded:
        return None
    days: list[date] = []
    if notice.deadline is not None and get_action(notice.id, ActionKind.DEADLINE_ESCALATION) is None:
        days.append(first_day_within(notice.deadline, escalate_days))
    if get_action(notice.id, ActionKind.FOLLOWUP_TASK) is None and notice.outcome == Outcome.CONTACTED \
            and not (reached(notice.id) if is_reached is None else is_reached):
        booking = get_action(notice.id, ActionKind.BOOKING)
        status = booking_status(booking.ref_id) if booking is not None else None
        if status in (BookingStatus.NO_SHOW, BookingStatus.CANCELLED, BookingStatus.UNSCHEDULED):
            days.append(today)
        elif status != BookingStatus.ATTENDED:
            if notice.deadline is not None:
                days.append(first_day_within(notice.deadline, urgent_days))
            letter = get_action(notice.id, ActionKind.LETTER_FIRST)
            if letter is not None and letter.done_at is not None:
                days.append(add_working_days(local_date(letter.done_at), contact_days))
    return min(days) if days else None


def _settings() -> dict[str, int]:
    config = current_app.config
    return {"contact_days": int(config.get("OUTREACH_CONTACT_WORKING_DAYS", 5)),
            "escalate_days": int(config.get("OUTREACH_ESCALATE_WORKING_DAYS", 3)),
            "urgent_days": int(config.get("OUTREACH_URGENT_WORKING_DAYS", 5))}


def schedule(notice: Notice, *, today: date, looked: bool = False, is_reached: bool | None = None) -> None:
    """Store the notice's next day for the sweep (after the pipeline or the sweep changed it). After a look
    it is at least tomorrow: whatever was due today has been done. `is_reached`: known already (the pipeline
    reads it for its whole batch), else asked."""
    day = next_check(notice, today=today, is_reached=is_reached, **_settings())
    if day is not None and looked and day <= today:
        day = today + timedelta(days=1)
    notice.next_check_on = day


def _on_booking_changed(_sender: object, *, booking: Booking, **_: object) -> None:
    """A time attended, missed, cancelled, picked or moved: the notice it was booked for gets its next day again."""
    notices = db.session.scalars(select(Notice).join(NoticeAction, NoticeAction.notice_id == Notice.id)
                                 .where(NoticeAction.kind == ActionKind.BOOKING, NoticeAction.ref_id == booking.id))
    for notice in notices:
        schedule(notice, today=local_today())


def init_app() -> None:
    """Listen for booking changes (connected by outreach's init_app, once per process)."""
    booking_changed.connect(_on_booking_changed)


def check_soon(notice: Notice, *, today: date) -> None:
    """Something about the notice changed outside the pipeline (its deadline moved): the next sweep looks at it
    and works out its date again."""
    if notice.decision is None and not notice.superseded and (
            notice.next_check_on is None or notice.next_check_on > today):
        notice.next_check_on = today


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
    seen: set[int] = set()
    while True:  # the notices whose date rules are due today (next_check_on), not every open one
        notices = claim_open(today=today)
        if not notices or all(notice.id in seen for notice in notices):
            db.session.rollback()
            break
        preload([notice.id for notice in notices])
        for notice in notices:
            seen.add(notice.id)
            if notice.decision is not None or notice.superseded or notice.pipeline_due:
                notice.next_check_on = None  # not the follow-up's (any more): the pipeline or nobody sets it
                continue
            changed += _follow_one(notice, today=today, contact_days=contact_days, escalate_days=escalate_days,
                                   second_min=second_min, urgent_days=urgent_days)
            schedule(notice, today=today, looked=True)
        db.session.commit()
        forget()
    while True:  # on every pass: times missed or cancelled since (each gets its task, so the loop ends)
        notices = claim_missed_bookings()
        preload([notice.id for notice in notices])
        added = 0
        for notice in notices:
            added += _follow_one(notice, today=today, contact_days=contact_days, escalate_days=escalate_days,
                                 second_min=second_min, urgent_days=urgent_days)
            schedule(notice, today=today)
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
