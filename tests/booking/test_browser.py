"""The rebooking page and the reception calendar in Chromium: axe-core clean, usable by keyboard only."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from portal.booking import opening_hours, service
from portal.booking.models import Booking
from portal.db import db
from portal.roles import Role
from tests.browser_fixtures import LiveServer, axe_violations, describe, staff_log_in
from tests.factories import create_staff_user
from tests.intake.factories import create_item

pytestmark = pytest.mark.browser


def test_a_resident_moves_the_time_by_keyboard_in_arabic(live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context():
        item = create_item()
        booked = service.book_earliest(purpose="outreach", intake_item_id=item.id, deadline=None)
        assert booked is not None
        db.session.commit()
        booking_id, old_start, code = booked[0].id, booked[0].starts_at, booked[1]
        db.session.remove()
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 740})  # a small phone
    page.goto(base + "/ar/tid/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert describe(axe_violations(page)) == []
    page.locator("main form button[type=submit]").click()  # empty code: the error summary
    page.locator(".error-summary").wait_for(state="visible")  # after the page the click loads
    page.fill("#code", code.lower())
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/ar/tid/{code}")
    assert describe(axe_violations(page)) == []
    second = page.locator("input[name=starts_at]").nth(1)
    second.focus()
    page.keyboard.press("Space")
    new_value = second.get_attribute("value")
    page.locator("main form").first.locator("button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[role=status]").is_visible()
    with live_server.app.app_context():
        moved = db.session.get(Booking, booking_id)
        assert moved is not None and moved.starts_at.isoformat() == new_value and moved.starts_at != old_start
        db.session.remove()


def test_reception_calendar_pages_pass_axe(live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context():
        create_staff_user(email="rut@example.org", role=Role.RECEPTION)
        create_staff_user(email="adam@example.org", role=Role.ADMIN)
        item = create_item()
        booked = service.book_earliest(purpose="first_appointment", intake_item_id=item.id, deadline=None)
        assert booked is not None
        db.session.commit()
        day = booked[0].starts_at.astimezone(opening_hours.LOCAL).date().isoformat()
        item_id = item.id
        db.session.remove()
    base = live_server.url
    for email, paths in (("rut@example.org", (f"/staff/mottagning/?dag={day}", f"/staff/mottagning/boka/{item_id}",
                                              f"/staff/intag/{item_id}", "/staff/brev/")),
                         ("adam@example.org", ("/staff/mottagning/installningar",))):
        page.context.clear_cookies()
        staff_log_in(page, base, email)
        for path in paths:
            page.goto(base + path)
            assert describe(axe_violations(page)) == [], path
