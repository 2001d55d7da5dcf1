"""Deadlines in Swedish working days for intake items (plain functions; tests call them directly).

- Decision deadline (beslutsfrist): documents complete + N working days (PORTAL_DECISION_WORKING_DAYS, 5).
  The clock waits while the resident is asked for something: while waiting it shows no decision deadline,
  and the working days spent waiting are added when the clock starts again.
- Overall limit: submitted + M working days (PORTAL_OVERALL_LIMIT_WORKING_DAYS, 15); runs regardless.
- Outreach items carry the notice's legal deadline instead (the recovery deadline or eviction date).
- Acute needs (no money for food today, no place to sleep tonight) are due the day they arrive.
States: on track, warning (75 % of the time used), overdue (the deadline has passed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from portal.intake.models import NO_DEADLINE, Source, State, Urgency
from portal.workdays import add_working_days, working_days_before, working_days_between

WARNING_SHARE = 0.75
ACUTE = frozenset({Urgency.NO_MONEY_FOR_FOOD, Urgency.NO_PLACE_TO_SLEEP})


class DeadlineState(StrEnum):
    """How an item stands against its deadline."""

    ON_TRACK = "on_track"
    WARNING = "warning"
    OVERDUE = "overdue"
    NONE = "none"


DEADLINE_LABELS = {
    DeadlineState.ON_TRACK: "I tid",
    DeadlineState.WARNING: "Varning",
    DeadlineState.OVERDUE: "Försenad",
    DeadlineState.NONE: "Ingen frist",
}


@dataclass(frozen=True)
class Clock:
    """The inputs of an item's deadlines."""

    source: Source
    urgency: Urgency
    submitted_on: date
    documents_complete_on: date | None = None
    waiting_since: date | None = None
    paused_working_days: int = 0
    legal_deadline: date | None = None


@dataclass(frozen=True)
class Deadlines:
    """An item's deadlines; `due_on` is the one that matters (the earliest), `warn_on` when 75 % is used."""

    decision_on: date | None
    overall_on: date | None
    legal_on: date | None
    acute_on: date | None
    due_on: date
    warn_on: date

    @property
    def has_deadline(self) -> bool:
        """False when nothing is due (the clock has not started)."""
        return self.due_on != NO_DEADLINE


def decision_deadline(documents_complete_on: date, working_days: int, paused_working_days: int = 0) -> date:
    """The decision deadline: N working days after the documents were complete, plus the days spent waiting."""
    return add_working_days(documents_complete_on, working_days + paused_working_days)


def overall_limit(submitted_on: date, working_days: int) -> date:
    """The overall limit: M working days after submission, whatever happens in between."""
    return add_working_days(submitted_on, working_days)


def warning_day(start: date, deadline: date) -> date:
    """The first working day on which at least 75 % of the working days from start to deadline are used."""
    total = working_days_between(start, deadline)
    if total <= 0:
        return start
    return add_working_days(start, max(1, math.ceil(total * WARNING_SHARE)))


# Nobody at the reception has had the person yet: the item has not moved past review.
NOT_CONTACTED = frozenset({State.NEW, State.IN_REVIEW})


def legal_warning_day(start: date, deadline: date, urgent_days: int) -> date:
    """When a recovery deadline or eviction date starts warning: at 75 % of its time, and at the latest
    `urgent_days` working days before it (an eviction two days away is never "on track")."""
    return min(warning_day(start, deadline), working_days_before(deadline, urgent_days))


def is_urgent(*, legal_deadline: date | None, state: State, today: date, urgent_days: int) -> bool:
    """An eviction date or recovery deadline within `urgent_days` working days (or passed), no contact yet:
    red in the queue, first in the notice list, and an immediate outreach task."""
    return (legal_deadline is not None and state in NOT_CONTACTED
            and working_days_between(today, legal_deadline) <= urgent_days)


def compute(clock: Clock, *, decision_days: int, overall_days: int, urgent_days: int = 0) -> Deadlines:
    """Every deadline of an item and the one that counts."""
    candidates: list[tuple[date, date]] = []  # (deadline, the day it starts warning)
    legal_on = acute_on = decision_on = overall_on = None
    if clock.source == Source.OUTREACH:
        # The notice's legal deadline replaces the reception's own promises.
        if clock.legal_deadline is not None:
            legal_on = clock.legal_deadline
            candidates.append((legal_on, legal_warning_day(clock.submitted_on, legal_on, urgent_days)))
    else:
        overall_on = overall_limit(clock.submitted_on, overall_days)
        candidates.append((overall_on, warning_day(clock.submitted_on, overall_on)))
        if clock.documents_complete_on is not None and clock.waiting_since is None:
            decision_on = decision_deadline(clock.documents_complete_on, decision_days, clock.paused_working_days)
            candidates.append((decision_on, warning_day(clock.documents_complete_on, decision_on)))
        if clock.legal_deadline is not None:
            legal_on = clock.legal_deadline
            candidates.append((legal_on, legal_warning_day(clock.submitted_on, legal_on, urgent_days)))
    if clock.urgency in ACUTE:
        acute_on = clock.submitted_on
        candidates.append((acute_on, acute_on))
    if not candidates:
        return Deadlines(None, None, None, None, NO_DEADLINE, NO_DEADLINE)
    due_on = min(day for day, _ in candidates)
    warn_on = min(warn for _, warn in candidates)
    return Deadlines(decision_on, overall_on, legal_on, acute_on, due_on, min(warn_on, due_on))


def state_on(due_on: date, warn_on: date, today: date) -> DeadlineState:
    """On track, warning or overdue on `today` (the same rule the queue's SQL filter uses)."""
    if due_on == NO_DEADLINE:
        return DeadlineState.NONE
    if today > due_on:
        return DeadlineState.OVERDUE
    if today >= warn_on:
        return DeadlineState.WARNING
    return DeadlineState.ON_TRACK


def _working_days(count: int) -> str:
    return f"{count} arbetsdag" if count == 1 else f"{count} arbetsdagar"


def time_left(due_on: date, today: date) -> str:
    """The deadline as something to act on: "3 arbetsdagar kvar", "Sista dagen i dag", "2 arbetsdagar försenad"."""
    if due_on == NO_DEADLINE:
        return DEADLINE_LABELS[DeadlineState.NONE]
    if today > due_on:
        late = working_days_between(due_on, today)
        return f"{_working_days(late)} försenad" if late > 0 else "Försenad"
    left = working_days_between(today, due_on)
    return "Sista dagen i dag" if left == 0 else f"{_working_days(left)} kvar"
