"""`portal demo load --history`: a year of history, deterministic, loaded once, and counted consistently."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from outreach.notices.models import Attempt, AttemptResult, Notice
from outreach.reports import statistics as outreach_stats
from portal import create_app, demo_history
from portal.applications.models import Application
from portal.booking.models import Booking, BookingStatus
from portal.db import db
from portal.intake.models import IntakeItem, State
from portal.people import Person
from portal.roles import Role
from portal.statistics import booking_stats, eapp_stats
from portal.statistics.tables import Period
from tests.conftest import _test_config
from tests.factories import create_staff_user

TODAY = date(2026, 11, 20)


def _counts() -> dict[str, int]:
    def count(model: Any, *where: Any) -> int:
        return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)

    return {"notices": count(Notice, Notice.reference.like("HIST-%")),
            "attempts": count(Attempt), "items": count(IntakeItem), "applications": count(Application),
            "bookings": count(Booking), "no_shows": count(Booking, Booking.status == BookingStatus.NO_SHOW),
            "people": count(Person)}


def _fingerprint() -> list[tuple[Any, ...]]:
    notices = [(n.reference, n.kind, n.received_date, n.outcome, n.decision, n.children)
               for n in db.session.scalars(select(Notice).order_by(Notice.reference))]
    applications = [(a.reference, a.language, a.started_at, a.submitted_at)
                    for a in db.session.scalars(select(Application).order_by(Application.reference))]
    return notices + applications


def test_demo_load_with_history_once(app: Flask, runner: Any) -> None:
    # Staff already there: the demo itself is not loaded again, the history still is (and staff get work).
    create_staff_user(email="hanna@example.org", role=Role.CASEWORKER)
    create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    result = runner.invoke(args=["demo", "load", "--history"])
    assert result.exit_code == 0, result.output
    assert "inga demodata lades till" in result.output
    assert "Historik för ett år är inlagd" in result.output
    first = _counts()
    assert db.session.scalar(select(func.count()).select_from(IntakeItem)
                             .where(IntakeItem.state == State.ASSIGNED)) > 0
    assert db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.staff_id.is_not(None))) > 0
    assert first["notices"] == 360
    assert first["applications"] > 200
    assert first["bookings"] > 100
    assert 0 < first["no_shows"] < first["bookings"] / 4
    again = runner.invoke(args=["demo", "load", "--history"])
    assert again.exit_code == 0, again.output
    assert "Historiken finns redan" in again.output
    assert _counts() == first
    # Only the published test numbers: no person was made up.
    numbers = set(db.session.scalars(select(Person.personnummer)))
    assert numbers <= set(demo_history.HISTORY_PERSONNUMMER)


@pytest.mark.parametrize("backend", ["sqlite"])  # generated in Python: the database does not matter
def test_history_is_the_same_every_time(app: Flask, sqlite_template: Path, tmp_path: Path) -> None:
    demo_history.load(today=TODAY)
    ours = _fingerprint()
    path = tmp_path / "other.sqlite3"
    shutil.copyfile(sqlite_template, path)
    other = create_app(_test_config(f"sqlite:///{path}", tmp_path / "other-files"))
    with other.app_context():
        demo_history.load(today=TODAY)
        theirs = _fingerprint()
        db.session.remove()
        db.engine.dispose()
    assert ours == theirs
    assert len(ours) > 500


def test_statistics_of_the_history_match_the_rows(app: Flask) -> None:
    demo_history.load(today=TODAY)
    period = Period(TODAY - timedelta(days=365), TODAY)
    notices = list(db.session.scalars(select(Notice).where(Notice.superseded.is_(False))))
    months = Counter(f"{n.received_date:%Y-%m}" for n in notices)
    table = outreach_stats.notices_by_month(period)
    assert {row[0]: sum(int(v) for v in row[1:5] if isinstance(v, int)) for row in table.rows} == months
    every_notice = {n.id: n for n in db.session.scalars(select(Notice))}
    reached_days: dict[int | None, list[date]] = {}
    for attempt in db.session.scalars(select(Attempt).where(Attempt.result == AttemptResult.REACHED)):
        reached_days.setdefault(every_notice[attempt.notice_id].case_id, []).append(attempt.at.date())
    # Reached: someone of the case was reached on or after the notice came in; known clients are not counted.
    contacted = [n for n in notices if n.outcome not in outreach_stats.NOT_OURS
                 and any(day >= n.received_date for day in reached_days.get(n.case_id, []))]
    assert outreach_stats.days_to_contact(period, 1).rows[-1][1] == len(contacted)
    applications = list(db.session.scalars(select(Application)))
    started = eapp_stats.started_and_submitted(period)
    assert sum(int(row[1]) for row in started.rows if isinstance(row[1], int)) == len(
        [a for a in applications if period.contains(a.started_at.date())])
    languages = eapp_stats.languages_used(period)
    assert sum(int(row[2]) for row in languages.rows if isinstance(row[2], int)) == len(
        [a for a in applications if a.submitted_at and period.contains(a.submitted_at.date())])
    appointments = booking_stats.appointments_by_month(period, 5)
    no_shows = [b for b in db.session.scalars(select(Booking).where(Booking.status == BookingStatus.NO_SHOW))
                if period.contains(b.starts_at.date())]
    assert sum(int(row[2]) for row in appointments.rows if isinstance(row[2], int)) == len(no_shows) > 0
