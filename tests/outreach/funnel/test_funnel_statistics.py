"""Issue 28, point 3: the funnel's statistics against counts made by hand, with Wilson intervals, small cells
suppressed, landlords with few notices together; in the CSV and the tertial report; on both databases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from outreach.casework import service as casework
from outreach.notices.models import AttemptChannel, Notice, NoticeKind, TenancyOutcome
from outreach.reports import funnel as funnel_stats
from portal import clock
from portal.booking import service as booking_service
from portal.db import db
from portal.staff.models import Role
from portal.statistics.tables import Period, Table, suppress_table
from portal.statistics.wilson import percent, wilson
from tests.factories import PASSWORD, create_staff_user
from tests.outreach.funnel.helpers import TUESDAY, at, booking_of, new_notice
from tests.pages import login_staff
from tests.statistics.factories import add_attempt, add_notice

PERIOD = Period(date(2026, 5, 1), date(2026, 8, 31))
TODAY = date(2026, 10, 1)


def _notices(prefix: str, count: int, *, landlord: str, language: str | None, kind: NoticeKind,
             reached_in_time: int, reached_late: int = 0, kept: int = 0, evicted: int = 0,
             channel: AttemptChannel = AttemptChannel.CALL) -> list[Notice]:
    """`count` notices received on 2026-06-01 (deadline 06-22): the first `reached_in_time` reached on 06-10,
    the next `reached_late` on 06-25; the first `kept` kept their home, the last `evicted` were evicted."""
    made = []
    for index in range(count):
        notice = add_notice(reference=f"{prefix}-{index}", kind=kind, received=date(2026, 6, 1),
                            deadline=date(2026, 6, 22))
        notice.landlord_name, notice.language = landlord, language
        if index < reached_in_time:
            add_attempt(notice, on=date(2026, 6, 10), channel=channel)
        elif index < reached_in_time + reached_late:
            add_attempt(notice, on=date(2026, 6, 25), channel=channel)
        if index < kept:
            notice.tenancy_outcome = TenancyOutcome.KEPT
        elif index >= count - evicted:
            notice.tenancy_outcome = TenancyOutcome.EVICTED
        made.append(notice)
    return made


def _table(tables: list[Table], key: str) -> Table:
    return next(table for table in tables if table.key == key)


def _rows(table: Table) -> dict[str, list[object]]:
    return {str(row[0]): row[1:] for row in table.rows}


def test_counts_shares_and_wilson_intervals_match_what_was_written(app: Flask) -> None:
    _notices("BIG", 30, landlord="Stora Bostäder AB", language="so", kind=NoticeKind.TERMINATION,
             reached_in_time=18, reached_late=6, kept=12, evicted=5)
    _notices("SMALL", 8, landlord="Lilla Fastigheter", language="ar", kind=NoticeKind.DISTURBANCE,
             reached_in_time=6, channel=AttemptChannel.PHONED_IN, kept=6)
    db.session.commit()
    tables = funnel_stats.build(PERIOD, 5, today=TODAY)
    everyone = _rows(_table(tables, "funnel_all"))["Alla"]
    low, high = wilson(24, 38)
    assert everyone[:5] == [38, 24, percent(24 / 38), percent(low), percent(high)]
    assert everyone[5] == 0  # nobody came to the reception (no bookings)
    assert everyone[9:11] == [18, percent(18 / 38)] and everyone[-1] == 5
    by_kind = _rows(_table(tables, "funnel_by_kind"))
    assert by_kind["Hyresskuld"][:2] == [30, 18] and by_kind["Störning"][:2] == [8, 6]
    by_language = _rows(_table(tables, "funnel_by_language"))
    assert set(by_language) == {"somaliska", "arabiska"}
    by_channel = _rows(_table(tables, "funnel_by_channel"))
    # First contact by channel: 24 by phone (18 in time, 6 late), 6 phoned in, 8 never reached.
    assert by_channel["Nådd per telefon"][:2] == [24, 18]
    assert by_channel["Ringde själv"][:2] == [6, 6] and by_channel["Ingen kontakt"][:2] == [8, 0]
    landlords = _rows(_table(tables, "funnel_by_landlord"))
    assert set(landlords) == {"Stora Bostäder AB", "Övriga hyresvärdar"}  # 8 notices: fewer than 20
    assert _rows(_table(tables, "funnel_by_month"))["2026-06"][0] == 38


def test_small_cells_are_suppressed_and_their_shares_hidden(app: Flask) -> None:
    _notices("FEW", 3, landlord="A", language="fi", kind=NoticeKind.EVICTION, reached_in_time=2)
    _notices("MANY", 40, landlord="A", language="uk", kind=NoticeKind.TERMINATION, reached_in_time=2)
    db.session.commit()
    tables = [suppress_table(table, 5) for table in funnel_stats.build(PERIOD, 5, today=TODAY)]
    by_language = _rows(_table(tables, "funnel_by_language"))
    assert by_language["finska"][:5] == ["<5", "<5", None, None, None]  # 3 notices: nothing shown
    # 2 of 40: the share would give it away. And the 40 itself is hidden: "Alla" shows 43 notices, and 43 - 40
    # would be Finnish speakers' 3.
    assert by_language["ukrainska"][:5] == [None, "<5", None, None, None]
    assert _table(tables, "funnel_by_language").suppressed


def test_one_small_count_in_a_column_is_not_left_to_be_worked_out_from_the_total(app: Flask) -> None:
    """Three landlords with 30, 25 and 40 notices; 3, 10 and 12 evicted. Each table suppresses its own small
    cells, but "Alla" shows 25 evicted: 25 - 10 - 12 would give the first landlord's 3 away. So the smallest
    other count of the column (10) is hidden as well, and no column has a single small count left to derive."""
    _notices("A", 30, landlord="Bostäder A AB", language="sv", kind=NoticeKind.TERMINATION, reached_in_time=20,
             evicted=3)
    _notices("B", 25, landlord="Bostäder B AB", language="sv", kind=NoticeKind.TERMINATION, reached_in_time=20,
             evicted=10)
    _notices("C", 40, landlord="Bostäder C AB", language="sv", kind=NoticeKind.TERMINATION, reached_in_time=30,
             evicted=12)
    db.session.commit()
    tables = [suppress_table(table, 5) for table in funnel_stats.build(PERIOD, 5, today=TODAY)]
    assert _rows(_table(tables, "funnel_all"))["Alla"][-1] == 25
    landlords = _table(tables, "funnel_by_landlord")
    evicted = {str(row[0]): row[-1] for row in landlords.rows}
    assert evicted == {"Bostäder A AB": "<5", "Bostäder B AB": None, "Bostäder C AB": 12}
    assert "kunde räknas fram ur summan" in landlords.note
    # The rest of B's row stays (nothing else in it could give A's count away).
    assert _rows(landlords)["Bostäder B AB"][:2] == [25, 20]
    # Every column of every splitting table: never exactly one suppressed count beside published ones.
    for table in tables:
        if table.key.startswith("funnel_by_"):
            for column in funnel_stats.COUNTS:
                cells = [row[column] for row in table.rows]
                assert [cell for cell in cells if isinstance(cell, str)] != ["<5"] or None in cells, table.key


def test_deadlines_not_yet_passed_and_other_units_notices_are_not_counted(app: Flask) -> None:
    _notices("OPEN", 6, landlord="A", language=None, kind=NoticeKind.TERMINATION, reached_in_time=6)
    db.session.commit()
    assert funnel_stats.build(PERIOD, 5, today=date(2026, 6, 20))[0].rows == []
    assert _rows(funnel_stats.build(PERIOD, 5, today=TODAY)[0])["Alla"][0] == 6


def test_attendance_and_an_online_contact_come_from_the_booking_events(app: Flask) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    with clock.travel(at(TUESDAY)):
        notice = new_notice("STAT-ATTEND")
        booking = booking_of(notice)
    with clock.travel(booking.starts_at + timedelta(minutes=1)):
        booking_service.mark_attended(booking.id, actor="reception@example.org")
        casework.record_tenancy_outcome(notice, outcome=TenancyOutcome.AGREEMENT, staff_id=staff.id)
    assert notice.deadline is not None
    tables = funnel_stats.build(Period(TUESDAY - timedelta(days=7), TUESDAY), 1,
                                today=notice.deadline + timedelta(days=1))
    everyone = _rows(_table(tables, "funnel_all"))["Alla"]
    assert everyone[0:2] == [1, 1] and everyone[5] == 1 and everyone[9] == 1
    assert _rows(_table(tables, "funnel_by_channel"))["Kom till den bokade tiden"][0] == 1


@pytest.mark.parametrize("path", ["csv", "tertial"])
def test_the_csv_and_the_tertial_report_carry_the_funnel(app: Flask, client: FlaskClient, path: str) -> None:
    _notices("EXPORT", 10, landlord="A", language="so", kind=NoticeKind.TERMINATION, reached_in_time=7)
    db.session.commit()
    staff = create_staff_user(email="sam@example.org", role=Role.COORDINATOR)
    login_staff(client, staff.email, PASSWORD)
    with clock.travel(at(TODAY)):
        if path == "csv":
            answer = client.get("/staff/statistik/funnel/funnel_all.csv?from=2026-05-01&to=2026-08-31")
            assert answer.status_code == 200
            text = answer.data.decode("utf-8-sig")
            low, high = wilson(7, 10)
            assert f"Alla;10;7;70.0;{percent(low)};{percent(high)}" in text
            assert "i tid: 95 % KI låg" in text.splitlines()[0]
        else:
            answer = client.get("/staff/statistik/tertial/2026/2.pdf")
            assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
            import subprocess

            text = subprocess.run(["pdftotext", "-", "-"], input=answer.data, capture_output=True,
                                  check=True).stdout.decode()
            assert "Kontaktkedjan: alla underrättelser" in text
