"""E-application statistics checked against counts made by hand from the rows the test itself wrote."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import Flask

from portal.db import db
from portal.statistics import eapp_stats
from portal.statistics.tables import Period
from tests.factories import create_person
from tests.statistics.factories import add_application, add_item

PERIOD = Period(date(2026, 5, 1), date(2026, 8, 31))
LANGUAGES = ("sv", "ar", "so", "ti", "uk", "fa", "en", "fi")


@dataclass
class Spec:
    """One application: when it started, when (if) it was sent, and per item (created, uploaded, extra)."""

    language: str
    started: datetime
    submitted: datetime | None
    items: list[tuple[datetime, datetime | None, bool]]


def _specs(seed: int = 3, count: int = 70) -> list[Spec]:
    rng = random.Random(seed)
    specs = []
    for _ in range(count):
        started = datetime(2026, 4, 25, 8, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 140 * 24 * 60))
        submitted = (started + timedelta(minutes=rng.choice([3, 14, 15, 29, 30, 59, 60, 300, 1439, 1440, 4000,
                                                             10080, 20000])) if rng.random() < 0.75 else None)
        items = []
        for _ in range(rng.randrange(0, 6)):
            created = started + timedelta(minutes=1)
            uploaded = rng.choice([None, created + timedelta(minutes=1),
                                   (submitted or started) + timedelta(days=2)])
            items.append((created, uploaded, False))
        if submitted and rng.random() < 0.3:  # staff asked for one more afterwards: never counted as missing
            items.append((submitted + timedelta(days=1), None, True))
        specs.append(Spec(rng.choice(LANGUAGES), started, submitted, items))
    return specs


def _write(specs: list[Spec]) -> None:
    person = create_person()
    for index, spec in enumerate(specs):
        application = add_application(person_id=person.id, reference=f"EB-T-{index}", language=spec.language,
                                      started=spec.started, submitted=spec.submitted)
        for number, (created, uploaded, extra) in enumerate(spec.items):
            add_item(application, key=f"doc{number}", created=created, extra=extra, uploaded=uploaded)
    db.session.commit()


def _in_period(moment: datetime | None) -> bool:
    return moment is not None and PERIOD.contains(moment.date())


def test_started_and_submitted_per_month(app: Flask) -> None:
    specs = _specs()
    _write(specs)
    table = eapp_stats.started_and_submitted(PERIOD)
    started = Counter(f"{s.started:%Y-%m}" for s in specs if _in_period(s.started))
    submitted = Counter(f"{s.submitted:%Y-%m}" for s in specs if s.submitted and _in_period(s.submitted))
    assert table.rows == [[m, started[m], submitted[m]] for m in sorted(set(started) | set(submitted))]
    assert sum(started.values()) > sum(submitted.values()) > 0


def test_time_to_complete_in_groups_with_median(app: Flask) -> None:
    specs = _specs()
    _write(specs)
    table = eapp_stats.time_to_complete(PERIOD, 5)
    minutes = [int((s.submitted - s.started).total_seconds() // 60) for s in specs
               if s.submitted and _in_period(s.submitted)]
    bounds = [(0, 15), (15, 30), (30, 60), (60, 1440), (1440, 10080), (10080, 10**9)]
    assert [row[1] for row in table.rows] == [sum(1 for m in minutes if low <= m < high) for low, high in bounds]
    ordered = sorted(minutes)
    median = ordered[-(-50 * len(ordered) // 100) - 1]
    assert f"Median {eapp_stats._duration(median)}" in table.note


def test_documents_missing_at_submission(app: Flask) -> None:
    specs = _specs()
    _write(specs)
    table = eapp_stats.missing_at_submission(PERIOD)
    missing = Counter()
    for spec in specs:
        if spec.submitted is None or not _in_period(spec.submitted):
            continue
        submitted = spec.submitted
        count = sum(1 for created, uploaded, extra in spec.items
                    if not extra and created <= submitted and (uploaded is None or uploaded > submitted))
        missing[min(count, 4) if count < 2 or count > 3 else 2] += 1
    assert [row[1] for row in table.rows] == [missing[0], missing[1], missing[2], missing[4]]
    assert sum(missing.values()) > 0


def test_languages_used(app: Flask) -> None:
    specs = _specs()
    _write(specs)
    table = eapp_stats.languages_used(PERIOD)
    started = Counter(s.language for s in specs if _in_period(s.started))
    submitted = Counter(s.language for s in specs if _in_period(s.submitted))
    names = {eapp_stats.language_name(code): code for code in LANGUAGES}
    assert names["arabiska"] == "ar"
    assert {names[str(row[0])]: row[1:] for row in table.rows} == {
        code: [started[code], submitted[code]] for code in set(started) | set(submitted)}
