"""The intake pages in Chromium: axe-core finds no serious WCAG 2.1 AA problem, and the work is keyboard-only."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from portal.db import db
from portal.intake.models import State, Urgency
from portal.roles import Role
from tests.browser_fixtures import LiveServer, axe_violations, describe, staff_log_in
from tests.factories import create_person, create_staff_user
from tests.intake.factories import create_item

pytestmark = pytest.mark.browser


def test_queue_item_register_and_board_pass_axe(live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context():
        create_staff_user(email="sam@example.org", role=Role.COORDINATOR, name="Sam")
        create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna")
        person = create_person(name="Amina Hassan", language="so")
        item = create_item(person_id=person.id, urgency=Urgency.NO_MONEY_FOR_FOOD)
        create_item(state=State.READY_FOR_ASSIGNMENT)
        item_id = item.id
        db.session.remove()
    base = live_server.url
    staff_log_in(page, base, "sam@example.org")
    for path in ("/staff/intag/", f"/staff/intag/{item_id}", "/staff/intag/ny", "/staff/intag/mote",
                 "/staff/intag/moten", "/staff/intag/overlamningar"):
        page.goto(base + path)
        assert describe(axe_violations(page)) == [], path
    # Registration errors: the summary is shown and passes axe too.
    page.goto(base + "/staff/intag/ny")
    page.locator("main form button[type=submit]").click()
    page.locator(".error-summary").wait_for(state="visible")  # after the page the click loads
    assert describe(axe_violations(page)) == []


def test_reception_claims_an_item_with_the_keyboard_only(live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context():
        create_staff_user(email="rita@example.org", role=Role.RECEPTION, name="Rita")
        item_id = create_item(person_id=create_person(name="Olena Kovalenko").id).id
        db.session.remove()
    base = live_server.url
    staff_log_in(page, base, "rita@example.org")
    page.goto(base + "/staff/intag/")
    page.get_by_role("link", name="Olena Kovalenko").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(base + f"/staff/intag/{item_id}")
    page.get_by_role("button", name="Ta ärendet", exact=True).focus()
    page.keyboard.press("Enter")
    page.get_by_text("Du har tagit ärendet.").wait_for(timeout=10_000)
    assert page.get_by_role("button", name="Lämna tillbaka till kön").is_visible()
