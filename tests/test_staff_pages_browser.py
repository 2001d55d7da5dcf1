"""The staff search, navigation bar and the staff home's scheduler table in Chromium (issue 27 points 1, 2, 8):
no serious axe finding at 1280 px and at 320 px, nothing wider than the screen, and the search works from the
keyboard without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from portal.db import db
from portal.roles import Role
from tests.browser_fixtures import LiveServer, axe_violations, describe, staff_log_in
from tests.factories import create_person, create_staff_user
from tests.intake.factories import create_item

pytestmark = pytest.mark.browser


def test_search_nav_and_home_pass_axe_and_fit_a_narrow_screen(live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context():
        create_staff_user(email="sam@example.org", role=Role.COORDINATOR, name="Sam")
        create_item(person_id=create_person(name="Åsa Östlund").id)
        db.session.remove()
    base = live_server.url
    staff_log_in(page, base, "sam@example.org")
    page.fill("#staff-search", "ostlund")
    page.keyboard.press("Enter")
    page.wait_for_url("**/staff/sok?q=ostlund")
    assert "Åsa Östlund" in page.locator("main").inner_text()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for path in ("/staff/", "/staff/sok?q=ostlund", "/staff/intag/"):
            page.goto(base + path)
            assert describe(axe_violations(page)) == [], (width, path)
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e =>
                e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e =>
                e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (width, path, wide)
