"""The queue page's query: filters, deadline order, keyset pagination and counts that stay cheap at scale.

Every filter combination walks one of the (column, due_on, id) indexes in order and stops after a page, so
the page costs the same with 50,000 items as with 50. Counts are capped (COUNT over a LIMITed subquery):
the page says "more than 1,000" rather than scanning everything to say 41,213.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from portal.db import db
from portal.intake.deadlines import DeadlineState
from portal.intake.models import NO_DEADLINE, IntakeItem, Source, State, Urgency

PAGE_SIZE = 25
COUNT_CAP = 1000


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows: empty means any; state "open" (the default) means every state still worked on."""

    source: Source | None = None
    state: State | None = None
    include_closed: bool = False
    urgency: Urgency | None = None
    deadline: DeadlineState | None = None
    mine_id: int | None = None


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: the last row's deadline and id."""

    due_on: date
    item_id: int

    def encode(self) -> str:
        """A short opaque token for the URL."""
        return f"{self.due_on.isoformat()}_{self.item_id}"

    @staticmethod
    def decode(token: str | None) -> Cursor | None:
        """The cursor in a URL token, or None for a broken one (then the first page is shown)."""
        if not token:
            return None
        try:
            day, _, ident = token.partition("_")
            return Cursor(date.fromisoformat(day), int(ident))
        except ValueError:
            return None


@dataclass
class QueuePage:
    """One page of the queue and what the page needs to link on."""

    items: list[IntakeItem]
    count: int
    count_capped: bool
    next_cursor: Cursor | None
    filters: QueueFilter = field(default_factory=QueueFilter)


def _filtered(query: Select[Any], filters: QueueFilter, today: date) -> Select[Any]:
    if filters.state is not None:
        query = query.where(IntakeItem.state == filters.state)
    elif not filters.include_closed:
        query = query.where(IntakeItem.is_open.is_(True))
    if filters.source is not None:
        query = query.where(IntakeItem.source == filters.source)
    if filters.urgency is not None:
        query = query.where(IntakeItem.urgency == filters.urgency)
    if filters.mine_id is not None:
        query = query.where(IntakeItem.claimed_by_id == filters.mine_id)
    # The same rule as deadlines.state_on, written as ranges on the stored dates.
    if filters.deadline == DeadlineState.OVERDUE:
        query = query.where(IntakeItem.due_on < today)
    elif filters.deadline == DeadlineState.WARNING:
        query = query.where(IntakeItem.due_on >= today, IntakeItem.due_on != NO_DEADLINE,
                            IntakeItem.warn_on <= today)
    elif filters.deadline == DeadlineState.ON_TRACK:
        query = query.where(IntakeItem.due_on != NO_DEADLINE, IntakeItem.warn_on > today)
    elif filters.deadline == DeadlineState.NONE:
        query = query.where(IntakeItem.due_on == NO_DEADLINE)
    return query


def list_queue(filters: QueueFilter, *, today: date, cursor: Cursor | None = None,
               page_size: int = PAGE_SIZE) -> QueuePage:
    """One page of items matching the filters, earliest deadline first, and a capped count of all matches."""
    base = _filtered(select(IntakeItem), filters, today)
    query = base.options(joinedload(IntakeItem.person)).order_by(IntakeItem.due_on, IntakeItem.id)
    if cursor is not None:
        query = query.where(or_(IntakeItem.due_on > cursor.due_on,
                                and_(IntakeItem.due_on == cursor.due_on, IntakeItem.id > cursor.item_id)))
    rows: list[IntakeItem] = list(db.session.execute(query.limit(page_size + 1)).unique().scalars())
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        next_cursor = Cursor(rows[-1].due_on, rows[-1].id)
    count, capped = count_matching(filters, today=today)
    return QueuePage(items=rows, count=count, count_capped=capped, next_cursor=next_cursor, filters=filters)


def count_matching(filters: QueueFilter, *, today: date, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many items match, counting at most `cap` + 1 rows; True as second value when there are more."""
    inner = _filtered(select(IntakeItem.id), filters, today).limit(cap + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(inner)) or 0
    return min(total, cap), total > cap
