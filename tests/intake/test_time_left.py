"""Deadlines people can act on (issue 27 point 3): working days left, colour only from the warning day (amber)
and when overdue (red), and the booked time as a column in the queue."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask.testing import FlaskClient

from portal import clock
from portal.booking.service import book_earliest
from portal.db import db
from portal.intake.deadlines import time_left
from portal.intake.models import NO_DEADLINE, IntakeItem
from portal.roles import Role
from tests.factories import PASSWORD, create_staff_user
from tests.intake.factories import create_item
from tests.pages import get_page, login_staff


def test_time_left_counts_working_days() -> None:
    monday = date(2026, 12, 14)
    assert time_left(date(2026, 12, 17), monday) == "3 arbetsdagar kvar"
    assert time_left(date(2026, 12, 15), monday) == "1 arbetsdag kvar"
    assert time_left(monday, monday) == "Sista dagen i dag"
    # Christmas Eve, Christmas Day and the weekend are not working days.
    assert time_left(date(2026, 12, 28), date(2026, 12, 23)) == "1 arbetsdag kvar"
    assert time_left(date(2026, 12, 11), monday) == "1 arbetsdag försenad"
    assert time_left(NO_DEADLINE, monday) == "Ingen frist"


def _row(client: FlaskClient, item_id: int) -> tuple[str, str, str]:
    page = get_page(client, "/staff/intag/?state=all")
    link = page.select_one(f'a[href="/staff/intag/{item_id}"]')
    assert link is not None
    row = link.find_parent("tr")
    cells = row.find_all("td")
    tag = cells[0].select_one(".tag")
    headers = [th.get_text(strip=True) for th in page.select("thead th")]
    booked = cells[headers.index("Bokad tid")].get_text(strip=True)
    return cells[0].get_text(" ", strip=True), " ".join(tag["class"]) if tag else "", booked


def test_the_queue_shows_days_left_colours_only_when_it_matters_and_the_booked_time(app: Flask,
                                                                                   client: FlaskClient) -> None:
    with clock.travel(datetime(2026, 12, 14, 9, 0, tzinfo=clock.LOCAL_TZ)):
        calm = create_item(legal_deadline=date(2027, 1, 29))
        # No legal deadline: an eviction or recovery deadline this near would make it urgent (red) instead.
        close = create_item()
        late = create_item(legal_deadline=date(2026, 12, 10))
        for item, due in ((calm, date(2027, 1, 29)), (close, date(2026, 12, 15)), (late, date(2026, 12, 10))):
            stored = db.session.get(IntakeItem, item.id)
            assert stored is not None
            # The close one is past its warning day (today); the calm one is far from it.
            stored.due_on, stored.warn_on = due, date(2026, 12, 14) if due == date(2026, 12, 15) else due
        booking = book_earliest(purpose="first_appointment", intake_item_id=calm.id, deadline=None)
        assert booking is not None
        db.session.commit()
        starts = booking[0].starts_at.astimezone(clock.LOCAL_TZ)
        user = create_staff_user(role=Role.RECEPTION)
        login_staff(client, user.email, PASSWORD)
        text, tag, booked = _row(client, calm.id)
        assert "arbetsdagar kvar" in text and tag == "" and "I tid" not in text  # no colour while on track
        assert booked == starts.strftime("%Y-%m-%d %H:%M")
        text, tag, booked = _row(client, close.id)
        assert "1 arbetsdag kvar" in text and "tag--amber" in tag and booked == "–"
        text, tag, _ = _row(client, late.id)
        assert "2 arbetsdagar försenad" in text and "tag--red" in tag
