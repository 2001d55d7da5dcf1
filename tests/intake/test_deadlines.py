"""Deadline rules in working days, checked across Christmas and New Year 2026/27."""

from __future__ import annotations

from datetime import date

import pytest

from portal.intake.deadlines import (
    Clock,
    DeadlineState,
    compute,
    decision_deadline,
    overall_limit,
    state_on,
    warning_day,
)
from portal.intake.models import NO_DEADLINE, Source, Urgency


def test_decision_deadline_skips_christmas_eve_christmas_and_new_years_eve() -> None:
    # Complete on Tue 22 Dec: 23 Dec, 28, 29, 30 Dec (24-27 and 31 Dec, 1 Jan are not working days), 4 Jan.
    assert decision_deadline(date(2026, 12, 22), 5) == date(2027, 1, 4)


def test_overall_limit_skips_the_holidays_and_epiphany() -> None:
    # Submitted Fri 18 Dec; 15 working days later, with 6 Jan (trettondedag jul) off, is Fri 15 Jan.
    assert overall_limit(date(2026, 12, 18), 15) == date(2027, 1, 15)


def test_days_spent_waiting_for_the_resident_push_the_decision_deadline() -> None:
    assert decision_deadline(date(2026, 12, 22), 5, paused_working_days=2) == date(2027, 1, 7)


def test_warning_starts_when_three_quarters_of_the_working_days_are_used() -> None:
    # Five working days from 22 Dec: the fourth (30 Dec) is the first day with 75 % used.
    assert warning_day(date(2026, 12, 22), date(2027, 1, 4)) == date(2026, 12, 30)


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 12, 29), DeadlineState.ON_TRACK),
    (date(2026, 12, 30), DeadlineState.WARNING),
    (date(2027, 1, 4), DeadlineState.WARNING),
    (date(2027, 1, 5), DeadlineState.OVERDUE),
])
def test_states_across_new_year(today: date, expected: DeadlineState) -> None:
    result = compute(Clock(source=Source.E_APPLICATION, urgency=Urgency.NORMAL, submitted_on=date(2026, 12, 21),
                           documents_complete_on=date(2026, 12, 22)), decision_days=5, overall_days=15)
    assert result.decision_on == date(2027, 1, 4)
    assert result.due_on == date(2027, 1, 4)
    assert state_on(result.due_on, result.warn_on, today) == expected


def test_without_complete_documents_only_the_overall_limit_runs() -> None:
    result = compute(Clock(source=Source.E_APPLICATION, urgency=Urgency.NORMAL, submitted_on=date(2026, 12, 18)),
                     decision_days=5, overall_days=15)
    assert result.decision_on is None
    assert result.due_on == result.overall_on == date(2027, 1, 15)


def test_waiting_for_the_resident_stops_the_decision_clock_but_not_the_overall_limit() -> None:
    result = compute(Clock(source=Source.E_APPLICATION, urgency=Urgency.NORMAL, submitted_on=date(2026, 12, 18),
                           documents_complete_on=date(2026, 12, 22), waiting_since=date(2026, 12, 23)),
                     decision_days=5, overall_days=15)
    assert result.decision_on is None
    assert result.due_on == date(2027, 1, 15)


def test_the_overall_limit_wins_when_it_comes_first() -> None:
    result = compute(Clock(source=Source.PHONE, urgency=Urgency.NORMAL, submitted_on=date(2026, 12, 1),
                           documents_complete_on=date(2026, 12, 18), paused_working_days=0),
                     decision_days=5, overall_days=15)
    assert result.overall_on == date(2026, 12, 22)
    assert result.decision_on == date(2026, 12, 29)
    assert result.due_on == date(2026, 12, 22)


def test_configured_numbers_of_working_days_are_used() -> None:
    result = compute(Clock(source=Source.E_APPLICATION, urgency=Urgency.NORMAL, submitted_on=date(2026, 12, 21),
                           documents_complete_on=date(2026, 12, 22)), decision_days=10, overall_days=30)
    assert result.decision_on == date(2027, 1, 12)  # 6 Jan (trettondedag jul) is not a working day


def test_outreach_items_carry_the_notices_legal_deadline_instead() -> None:
    result = compute(Clock(source=Source.OUTREACH, urgency=Urgency.EVICTION_RISK, submitted_on=date(2026, 12, 1),
                           legal_deadline=date(2026, 12, 28)), decision_days=5, overall_days=15)
    assert result.overall_on is None and result.decision_on is None
    assert result.due_on == date(2026, 12, 28)
    assert state_on(result.due_on, result.warn_on, date(2026, 12, 2)) == DeadlineState.ON_TRACK
    assert state_on(result.due_on, result.warn_on, date(2026, 12, 29)) == DeadlineState.OVERDUE


def test_outreach_item_without_a_deadline_has_none() -> None:
    result = compute(Clock(source=Source.OUTREACH, urgency=Urgency.NORMAL, submitted_on=date(2026, 12, 1)),
                     decision_days=5, overall_days=15)
    assert result.due_on == NO_DEADLINE
    assert state_on(result.due_on, result.warn_on, date(2026, 12, 1)) == DeadlineState.NONE


def test_no_money_for_food_today_is_due_the_same_day() -> None:
    result = compute(Clock(source=Source.PHONE, urgency=Urgency.NO_MONEY_FOR_FOOD, submitted_on=date(2026, 12, 23)),
                     decision_days=5, overall_days=15)
    assert result.acute_on == result.due_on == date(2026, 12, 23)
    assert state_on(result.due_on, result.warn_on, date(2026, 12, 23)) == DeadlineState.WARNING
    assert state_on(result.due_on, result.warn_on, date(2026, 12, 24)) == DeadlineState.OVERDUE
