"""Issue 28, point 1: each notice's funnel with the day of each step, derived from what is recorded; on SQLite
and PostgreSQL, with the clock pinned."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from outreach.casework import service as casework
from outreach.funnel.steps import for_notice, judge
from outreach.notices.models import AttemptChannel, AttemptResult, TenancyOutcome
from portal import clock
from portal.booking import service as booking_service
from portal.letters.print_batch import claim_batch
from portal.staff.models import Role
from tests.factories import PASSWORD, create_staff_user
from tests.outreach.funnel.helpers import TUESDAY, at, booking_of, first_letter, letter_code, new_notice, travel
from tests.pages import get_page, login_staff, submit


@pytest.fixture
def on_tuesday() -> Iterator[None]:
    yield from travel(TUESDAY)


def _days(notice_funnel: object) -> dict[str, date | None]:
    return {step.key: step.day for step in notice_funnel.steps}  # type: ignore[attr-defined]


def test_each_step_has_its_day_and_the_first_contact_its_channel(app: Flask, on_tuesday: None) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    notice = new_notice("FUNNEL-1")
    empty = for_notice(notice)
    assert _days(empty) == {"printed": None, "returned": None, "contact": None, "attended": None, "outcome": None}
    assert empty.in_time is None and "Ingen kontakt än" in empty.headline
    claim_batch(TUESDAY)  # the day's print batch
    booking = booking_of(notice)
    with clock.travel(at(date(2026, 12, 9), 14)):  # Wednesday: reached by phone
        casework.record_attempt(notice, channel=AttemptChannel.CALL, result=AttemptResult.REACHED, note="",
                                staff_id=staff.id)
    with clock.travel(booking.starts_at + timedelta(minutes=5)):  # came to the booked time
        booking_service.mark_attended(booking.id, actor="reception@example.org")
        attended_day = clock.local_today()
    with clock.travel(at(date(2026, 12, 21))):
        casework.record_tenancy_outcome(notice, outcome=TenancyOutcome.AGREEMENT, staff_id=staff.id)
        funnel = for_notice(notice)
    assert _days(funnel) == {"printed": TUESDAY, "returned": None, "contact": date(2026, 12, 9),
                             "attended": attended_day, "outcome": date(2026, 12, 21)}
    assert funnel.contact_channel == "call"
    assert funnel.in_time is True and funnel.window == "återvinningsfristen"
    assert notice.recovery_deadline is not None
    assert funnel.headline.startswith("Kontakt i tid: 2026-12-09")


def test_a_time_cancelled_online_is_the_first_contact_through_the_web(
        app: Flask, client: FlaskClient, on_tuesday: None, tmp_path: Path) -> None:
    notice = new_notice("FUNNEL-ONLINE")
    code = letter_code(first_letter(notice), tmp_path)
    with clock.travel(at(date(2026, 12, 10), 19)):  # Thursday evening, at home
        assert submit(client, f"/sv/tid/{code}", {"confirm": "y"}, action=f"/sv/tid/{code}/avboka").status_code == 302
    funnel = for_notice(notice)
    assert funnel.contact_day == date(2026, 12, 10) and funnel.contact_channel == "online"
    assert _days(funnel)["attended"] is None


def test_phoning_in_is_contact_even_when_not_reached_was_ticked(app: Flask, on_tuesday: None) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    notice = new_notice("FUNNEL-PHONED")
    casework.record_attempt(notice, channel=AttemptChannel.PHONED_IN, result=AttemptResult.NOT_REACHED, note="",
                            staff_id=staff.id)
    funnel = for_notice(notice)
    assert funnel.contact_channel == "phoned_in" and funnel.contact_day == TUESDAY


def test_no_contact_before_the_deadline_is_a_miss_and_contact_after_it_is_late(app: Flask, on_tuesday: None) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    notice = new_notice("FUNNEL-LATE")
    assert notice.deadline is not None
    after = notice.deadline + timedelta(days=1)
    assert for_notice(notice, today=after).in_time is False
    assert "Ingen kontakt före återvinningsfristen" in for_notice(notice, today=after).headline
    with clock.travel(at(after)):
        casework.record_attempt(notice, channel=AttemptChannel.HOME_VISIT, result=AttemptResult.REACHED, note="",
                                staff_id=staff.id)
        funnel = for_notice(notice)
    assert funnel.in_time is False and funnel.contact_day == after and "först efter" in funnel.headline


def test_the_rule_on_its_own() -> None:
    deadline = date(2026, 12, 29)
    assert judge(deadline, deadline, deadline) is True  # the deadline day itself is in time
    assert judge(None, deadline, deadline) is None
    assert judge(None, deadline, deadline + timedelta(days=1)) is False
    assert judge(None, None, deadline) is None


def test_the_notice_page_shows_the_funnel(app: Flask, client: FlaskClient, on_tuesday: None) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    notice = new_notice("FUNNEL-PAGE")
    claim_batch(TUESDAY)
    login_staff(client, staff.email, PASSWORD)
    page = get_page(client, f"/staff/underrattelser/{notice.id}")
    panel = page.find(id="kontaktkedjan")
    assert panel is not None
    table = panel.find_next("table")
    assert table is not None
    cells = [row.get_text(" ", strip=True) for row in table.find_all("tr")]
    assert any(cell.startswith("Brevet skrevs ut 2026-12-08") for cell in cells)
    assert "Ingen kontakt än" in page.get_text()
