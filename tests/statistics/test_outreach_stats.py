"""Outreach statistics checked against counts made by hand from the rows the test itself wrote."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Flask

from outreach.notices.models import (
    AttemptChannel,
    AttemptResult,
    Children,
    Decision,
    Notice,
    NoticeKind,
    Outcome,
)
from outreach.reports import statistics as stats
from portal.db import db
from portal.statistics.tables import Period
from tests.statistics.factories import add_attempt, add_notice

PERIOD = Period(date(2026, 5, 1), date(2026, 8, 31))
KINDS = list(NoticeKind)


@dataclass
class Spec:
    """One notice as the test means it, with its attempts as (day, channel, result)."""

    reference: str
    kind: NoticeKind
    received: date
    deadline: date
    children: Children
    decision: Decision | None
    outcome: Outcome
    attempts: list[tuple[date, AttemptChannel, AttemptResult]] = field(default_factory=list)
    case: str | None = None  # reference of the first notice of the case
    superseded: bool = False


def _specs(seed: int = 7, count: int = 60) -> list[Spec]:
    rng = random.Random(seed)
    specs = []
    for index in range(count):
        kind = rng.choice(KINDS)
        received = date(2026, 4, 20) + timedelta(days=rng.randrange(0, 140))  # some before the period
        attempts = []
        for _ in range(rng.randrange(0, 4)):
            attempts.append((received + timedelta(days=rng.randrange(-2, 30)), rng.choice(list(AttemptChannel)),
                             rng.choice(list(AttemptResult))))
        specs.append(Spec(reference=f"S-{index}", kind=kind, received=received,
                          deadline=received + timedelta(days=14 if kind == NoticeKind.EVICTION else 21),
                          children=rng.choice(list(Children)), decision=rng.choice([*Decision, None]),
                          outcome=rng.choice([o for o in Outcome if o != Outcome.SUPERSEDED]), attempts=attempts))
    # A correction: the first notice is replaced; an attempt on it still counts for the case.
    june = date(2026, 6, 10)
    specs.append(Spec("C-1", NoticeKind.TERMINATION, june, june + timedelta(days=21), Children.YES, None,
                      Outcome.SUPERSEDED, [(june + timedelta(days=3), AttemptChannel.CALL, AttemptResult.REACHED)],
                      superseded=True))
    specs.append(Spec("C-1-B", NoticeKind.TERMINATION, june + timedelta(days=1), june + timedelta(days=22),
                      Children.YES, Decision.CONTACT_MADE, Outcome.CONTACTED, case="C-1"))
    # Kronofogden on the same tenancy later: the earlier contact (before it came in) does not count for it.
    specs.append(Spec("C-1-K", NoticeKind.EVICTION, june + timedelta(days=5), june + timedelta(days=19),
                      Children.YES, None, Outcome.ESCALATED,
                      [(june + timedelta(days=9), AttemptChannel.HOME_VISIT, AttemptResult.REACHED)], case="C-1"))
    return specs


def _write(specs: list[Spec]) -> None:
    made: dict[str, Notice] = {}
    for spec in specs:
        notice = add_notice(reference=spec.reference, kind=spec.kind, received=spec.received,
                            deadline=spec.deadline, children=spec.children, decision=spec.decision,
                            outcome=spec.outcome, superseded=spec.superseded,
                            case_of=made[spec.case] if spec.case else None)
        made[spec.reference] = notice
        for day, channel, result in spec.attempts:
            add_attempt(notice, on=day, channel=channel, result=result)
    db.session.commit()


def _current(specs: list[Spec]) -> list[Spec]:
    return [s for s in specs if PERIOD.contains(s.received) and not s.superseded]


def _worked(specs: list[Spec]) -> list[Spec]:
    """The notices outreach itself contacts: not known clients, not outside the area."""
    return [s for s in _current(specs) if s.outcome not in (Outcome.KNOWN_CLIENT, Outcome.OUT_OF_AREA)]


def _root(spec: Spec) -> str:
    return spec.case or spec.reference


def _first_contact(spec: Spec, specs: list[Spec]) -> date | None:
    days = [day for other in specs if _root(other) == _root(spec)
            for day, _, result in other.attempts if result == AttemptResult.REACHED and day >= spec.received]
    return min(days, default=None)


def _nearest_rank(values: list[int], pct: int) -> float:
    ordered = sorted(values)
    rank = -(-pct * len(ordered) // 100)  # ceiling, in integers
    return float(ordered[max(rank, 1) - 1])


def test_notices_per_month_by_kind_and_households_with_children(app: Flask) -> None:
    specs = _specs()
    _write(specs)
    table = stats.notices_by_month(PERIOD)
    by_month = Counter((f"{s.received:%Y-%m}", s.kind) for s in _current(specs))
    households = Counter()
    for month in {m for m, _ in by_month}:
        households[month] = len({_root(s) for s in _current(specs)
                                 if f"{s.received:%Y-%m}" == month and s.children == Children.YES})
    assert [row[0] for row in table.rows] == sorted({m for m, _ in by_month})
    for row in table.rows:
        month = str(row[0])
        assert row[1:5] == [by_month[(month, kind)] for kind in stats.KIND_LABELS]
        assert row[5] == households[month]
    june = next(row for row in table.rows if row[0] == "2026-06")
    # The case C-1 has two current notices with children in June but is one household.
    assert households["2026-06"] < sum(1 for s in _current(specs)
                                       if f"{s.received:%Y-%m}" == "2026-06" and s.children == Children.YES)
    assert june[5] == households["2026-06"]


def test_share_reached_before_the_deadline(app: Flask) -> None:
    specs = _specs()
    _write(specs)
    table = stats.reached_in_time(PERIOD, 5, today=date(2026, 11, 22))
    for kind, label in stats.DEADLINE_LABELS.items():
        mine = [s for s in _worked(specs) if s.kind == kind]
        on_time = [s for s in mine if (first := _first_contact(s, specs)) is not None and first <= s.deadline]
        row = next(r for r in table.rows if r[0] == label)
        assert row[1:3] == [len(mine), len(on_time)]
        assert row[3] == (round(100 * len(on_time) / len(mine), 1) if len(mine) >= 5 else None)
    everyone = table.rows[-1]
    assert everyone[0] == "Alla"
    small = any(isinstance(v, int) and 0 < v < 5 for row in table.rows[:-1] for v in row[1:3])
    if small:  # a total would let a reader subtract the hidden count back
        assert everyone[1:] == [None, None, None]
    else:
        assert everyone[1] == len(_worked(specs)) < len(_current(specs))
    # With a minimum of 1 nothing is hidden and the total is every notice outreach itself works on.
    assert stats.reached_in_time(PERIOD, 1, today=date(2026, 11, 22)).rows[-1][1] == len(_worked(specs))


def test_deadlines_not_yet_passed_are_not_counted(app: Flask) -> None:
    add_notice(reference="F-1", kind=NoticeKind.TERMINATION, received=date(2026, 8, 25), deadline=date(2026, 9, 15))
    db.session.commit()
    table = stats.reached_in_time(PERIOD, 1, today=date(2026, 9, 1))
    assert table.rows[-1][1] == 0
    table = stats.reached_in_time(PERIOD, 1, today=date(2026, 9, 16))
    assert table.rows[-1][1:3] == [1, 0]


def test_days_to_first_contact_median_and_90th_percentile(app: Flask) -> None:
    specs = _specs(seed=11, count=90)
    _write(specs)
    table = stats.days_to_contact(PERIOD, 5)
    everyone: list[int] = []
    for kind, label in stats.KIND_LABELS.items():
        days = [(first - s.received).days for s in _worked(specs) if s.kind == kind
                and (first := _first_contact(s, specs)) is not None]
        everyone += days
        row = next(r for r in table.rows if r[0] == label)
        assert row[1] == len(days)
        if len(days) >= 5:
            assert row[2:] == [_nearest_rank(days, 50), _nearest_rank(days, 90)]
        else:
            assert row[2:] == [None, None]
    small = any(isinstance(row[1], int) and 0 < row[1] < 5 for row in table.rows[:-1])
    assert table.rows[-1] == ["Alla", None if small else len(everyone), _nearest_rank(everyone, 50),
                              _nearest_rank(everyone, 90)]


def test_a_total_never_gives_away_a_hidden_count(app: Flask) -> None:
    received = date(2026, 6, 1)
    for index in range(8):
        kind = NoticeKind.TERMINATION if index < 6 else NoticeKind.DISTURBANCE
        notice = add_notice(reference=f"T-{index}", kind=kind, received=received, deadline=date(2026, 6, 22))
        add_attempt(notice, on=date(2026, 6, 3))
    db.session.commit()
    reached = stats.reached_in_time(PERIOD, 5, today=date(2026, 11, 22))
    assert reached.rows[0][1:3] == [6, 6]
    assert reached.rows[1][1:3] == [2, 2]  # shown as <5 on the page
    assert reached.rows[-1] == ["Alla", None, None, None]
    days = stats.days_to_contact(PERIOD, 5)
    assert days.rows[-1] == ["Alla", None, 2.0, 2.0]
    assert stats.reached_in_time(PERIOD, 2, today=date(2026, 11, 22)).rows[-1] == ["Alla", 8, 8, 100.0]


def test_case_attempts_count_once_and_only_after_the_notice_came_in(app: Flask) -> None:
    specs = [s for s in _specs() if s.reference.startswith("C-")]
    _write(specs)
    table = stats.days_to_contact(PERIOD, 1)
    # C-1-B: reached on day 3 through the replaced notice, two days after it came in; C-1-K: its own visit, day 4.
    assert table.rows[0][1:] == [1, 2.0, 2.0]
    assert table.rows[2][1:] == [1, 4.0, 4.0]


def test_attempts_by_channel_and_result(app: Flask) -> None:
    specs = _specs()
    _write(specs)
    table = stats.attempts_by_channel(PERIOD)
    expected = Counter((channel, result) for s in specs for day, channel, result in s.attempts
                       if PERIOD.contains(day))
    for row in table.rows:
        channel = next(c for c, label in stats.CHANNEL_LABELS.items() if label == row[0])
        assert row[1:] == [expected[(channel, result)] for result in stats.RESULT_LABELS]
    assert sum(int(v) for row in table.rows for v in row[1:] if isinstance(v, int)) == sum(expected.values())


def test_decisions_and_handling(app: Flask) -> None:
    specs = _specs()
    _write(specs)
    decisions = stats.decisions_by_kind(PERIOD)
    expected = Counter((None if s.decision is None else s.decision.value, s.kind) for s in _current(specs))
    for (decision, label), row in zip(stats.DECISION_LABELS.items(), decisions.rows, strict=True):
        assert row[0] == label
        assert row[1:] == [expected[(decision, kind)] for kind in stats.KIND_LABELS]
    handled = stats.handling(PERIOD)
    outcomes = Counter(s.outcome for s in _current(specs))
    assert handled.rows == [[label, outcomes[outcome]] for outcome, label in stats.HANDLING_LABELS.items()]
    assert sum(int(row[1]) for row in handled.rows if isinstance(row[1], int)) == len(_current(specs))


def test_tenancy_outcomes_recorded_by_staff_are_counted_by_kind(app: Flask) -> None:
    from outreach.casework import service as casework
    from outreach.notices.models import TenancyOutcome
    from portal.roles import Role
    from tests.factories import create_staff_user

    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    rng = random.Random(3)
    expected: Counter[tuple[str | None, NoticeKind]] = Counter()
    for index in range(40):
        kind = rng.choice(KINDS)
        received = PERIOD.start + timedelta(days=rng.randrange(0, 100))
        notice = add_notice(reference=f"T-{index}", kind=kind, received=received, deadline=received)
        db.session.commit()
        outcome = rng.choice([*TenancyOutcome, None])
        if outcome is not None:
            # An agreement that later broke: only the latest outcome counts.
            if outcome == TenancyOutcome.EVICTED:
                casework.record_tenancy_outcome(notice, outcome=TenancyOutcome.AGREEMENT, staff_id=staff.id)
            casework.record_tenancy_outcome(notice, outcome=outcome, staff_id=staff.id)
        expected[(None if outcome is None else outcome.value, kind)] += 1
    table = stats.tenancy_outcomes(PERIOD)
    keys = [o.value for o in TenancyOutcome] + [None]
    assert [row[1:] for row in table.rows] == [[expected[(key, kind)] for kind in stats.KIND_LABELS] for key in keys]
    assert sum(sum(int(c) for c in row[1:]) for row in table.rows) == 40
