"""The intake meeting (intake-möte): the coordinator assigns ready items to caseworkers, seeing each one's load."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit
from portal.db import db, utcnow
from portal.intake.models import IntakeItem, IntakeMeeting, MeetingDecision, State
from portal.intake.queue import COUNT_CAP
from portal.intake.service import (
    IntakeError,
    StaleItem,
    add_event,
    commit_or_stale,
    local_today,
    set_state,
    staff_label,
)
from portal.roles import Role
from portal.staff.models import StaffUser

# The board shows the 50 most urgent; as they are assigned the next ones come up (a meeting handles ~20-50).
BOARD_LIMIT = 50


RECENT_DAYS = 30


@dataclass(frozen=True)
class CaseworkerLoad:
    """A caseworker's load: items assigned and not yet handed over, and everything assigned in 30 days.

    The portal does not learn when the case system closes a case, so the recent count stands in for the
    caseworker's current new cases alongside those still waiting in the queue.
    """

    user: StaffUser
    open_cases: int
    recent: int = 0


@dataclass
class Board:
    """What the coordinator sees at the meeting."""

    items: list[IntakeItem]
    ready_count: int
    caseworkers: list[CaseworkerLoad]
    meeting: IntakeMeeting | None


@dataclass(frozen=True)
class Assignment:
    """One line of the board's form: this item (as loaded at `version`) to this caseworker."""

    item_id: int
    version: int
    caseworker_id: int


def list_caseworkers() -> list[CaseworkerLoad]:
    """Active caseworkers with their open case counts (one grouped query on the assignment index)."""
    rows = db.session.execute(
        select(IntakeItem.assigned_to_id, func.count())
        .where(IntakeItem.assigned_to_id.is_not(None), IntakeItem.state == State.ASSIGNED)
        .group_by(IntakeItem.assigned_to_id)).all()
    counts = {row[0]: int(row[1]) for row in rows}
    since = utcnow() - timedelta(days=RECENT_DAYS)
    # Grouping by an expression (+ 0) keeps SQLite from walking the whole (assigned_to_id, state) index to
    # avoid a sort; it then reads only the last 30 days from the (assigned_at, caseworker) index, nothing else.
    caseworker = (IntakeItem.assigned_to_id + 0).label("caseworker")
    recent_rows = db.session.execute(
        select(caseworker, func.count()).where(IntakeItem.assigned_at >= since).group_by(caseworker)).all()
    recent = {row[0]: int(row[1]) for row in recent_rows}
    users = db.session.scalars(select(StaffUser).where(StaffUser.role == Role.CASEWORKER,
                                                       StaffUser.active.is_(True)).order_by(StaffUser.name))
    return [CaseworkerLoad(user=user, open_cases=counts.get(user.id, 0), recent=recent.get(user.id, 0))
            for user in users]


def get_meeting_on(day: date) -> IntakeMeeting | None:
    """The meeting held on this day, if one has started."""
    return db.session.scalar(select(IntakeMeeting).where(IntakeMeeting.held_on == day))


def get_board(*, today: date | None = None) -> Board:
    """Items ready for assignment (earliest deadline first), the caseworkers' loads and today's meeting."""
    day = today or local_today()
    query = (select(IntakeItem).options(joinedload(IntakeItem.person))
             .where(IntakeItem.state == State.READY_FOR_ASSIGNMENT)
             .order_by(IntakeItem.due_on, IntakeItem.id))
    items = list(db.session.scalars(query.limit(BOARD_LIMIT)))
    inner = select(IntakeItem.id).where(IntakeItem.state == State.READY_FOR_ASSIGNMENT).limit(COUNT_CAP + 1)
    ready = db.session.scalar(select(func.count()).select_from(inner.subquery())) or 0
    return Board(items=items, ready_count=ready, caseworkers=list_caseworkers(), meeting=get_meeting_on(day))


def _meeting_for(day: date, staff: StaffUser) -> IntakeMeeting:
    """Today's meeting, started by the first assignment of the day (two coordinators at once share it)."""
    meeting = get_meeting_on(day)
    if meeting is not None:
        return meeting
    try:
        with db.session.begin_nested():
            meeting = IntakeMeeting(held_on=day, started_by_id=staff.id)
            db.session.add(meeting)
    except IntegrityError:
        meeting = get_meeting_on(day)
        if meeting is None:
            raise
    return meeting


def assign_items(assignments: list[Assignment], *, staff: StaffUser, today: date | None = None) -> IntakeMeeting:
    """Assign each item to its caseworker at today's meeting, all or nothing, and commit it with the record."""
    if not assignments:
        raise IntakeError("Välj en handläggare för minst ett ärende.")
    day = today or local_today()
    caseworkers = {load.user.id: load.user for load in list_caseworkers()}
    items = []
    for line in assignments:
        item = db.session.get(IntakeItem, line.item_id)
        if item is None:
            raise IntakeError(f"Ärende {line.item_id} finns inte.")
        if item.version != line.version:
            raise StaleItem()
        if item.state != State.READY_FOR_ASSIGNMENT:
            raise IntakeError(f"Ärende {item.id} är inte klart för fördelning.")
        if line.caseworker_id not in caseworkers:
            raise IntakeError("Välj en handläggare ur listan.")
        items.append((item, caseworkers[line.caseworker_id]))
    meeting = _meeting_for(day, staff)
    for item, caseworker in items:
        item.assigned_to_id, item.assigned_at = caseworker.id, utcnow()
        item.claimed_by_id = None
        set_state(item, State.ASSIGNED)
        add_event(item, staff_label(staff), "assigned", f"till {caseworker.name} vid intagsmötet {day.isoformat()}")
        db.session.add(MeetingDecision(meeting_id=meeting.id, item_id=item.id, caseworker_id=caseworker.id,
                                       decided_by_id=staff.id))
        audit.record("intake.assign", person_id=item.person_id, object_type="intake_item", object_id=item.id,
                     detail=f"caseworker={caseworker.id}")
    commit_or_stale()
    return meeting


def list_meetings(limit: int = 50) -> list[tuple[IntakeMeeting, int]]:
    """The latest meetings with their number of decisions."""
    rows = db.session.execute(
        select(IntakeMeeting, func.count(MeetingDecision.id))
        .outerjoin(MeetingDecision, MeetingDecision.meeting_id == IntakeMeeting.id)
        .group_by(IntakeMeeting.id).order_by(IntakeMeeting.held_on.desc()).limit(limit)).all()
    return [(row[0], int(row[1])) for row in rows]


@dataclass(frozen=True)
class DecisionRow:
    """One decision as the meeting record shows it."""

    decision: MeetingDecision
    item: IntakeItem
    caseworker: StaffUser
    decided_by: StaffUser


def get_meeting_record(meeting_id: int) -> tuple[IntakeMeeting, list[DecisionRow]] | None:
    """A meeting and who decided what at it."""
    meeting = db.session.get(IntakeMeeting, meeting_id)
    if meeting is None:
        return None
    rows = []
    for decision in meeting.decisions:
        item = db.session.get(IntakeItem, decision.item_id)
        cw = db.session.get(StaffUser, decision.caseworker_id)
        by = db.session.get(StaffUser, decision.decided_by_id)
        if item is not None and cw is not None and by is not None:
            rows.append(DecisionRow(decision, item, cw, by))
    return meeting, rows


def list_assigned_to(staff_id: int, limit: int = 200) -> list[IntakeItem]:
    """Items assigned to a caseworker that are still open or handed over, earliest deadline first."""
    return list(db.session.scalars(
        select(IntakeItem).options(joinedload(IntakeItem.person))
        .where(IntakeItem.assigned_to_id == staff_id, IntakeItem.state.in_([State.ASSIGNED, State.HANDED_OVER]))
        .order_by(IntakeItem.due_on, IntakeItem.id).limit(limit)))
