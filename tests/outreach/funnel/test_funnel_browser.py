"""The returned-letters page, the letter-variant page and a notice's funnel in Chromium: no serious axe finding at
1280 and 320 px, nothing wider than the screen, and the scan field has the focus again after each letter (a hand
scanner types the next one straight in)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from outreach.pipeline.run import run_pass
from portal import clock
from portal.db import db
from portal.staff.models import Role
from tests.browser_fixtures import LiveServer, axe_violations, describe, staff_log_in
from tests.factories import create_staff_user
from tests.outreach.factories import import_rows, notice_by_reference, row
from tests.outreach.funnel.helpers import TUESDAY, at, first_letter

pytestmark = pytest.mark.browser


def _fits_and_passes(page: Page, url: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(url)
        assert describe(axe_violations(page)) == [], (width, url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (width, url)


def _wait_for_focus_in_the_field(page: Page) -> None:
    """The browser moves focus to the `autofocus` field as it renders the page, which can be just after the load
    event: wait for it (up to Playwright's timeout, failing if it never comes)."""
    page.wait_for_function("document.activeElement && document.activeElement.name === 'scanned'")


def test_returns_are_scanned_in_a_row_and_the_pages_pass_axe(live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context(), clock.travel(at(TUESDAY)):
        create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
        create_staff_user(email="ada@example.org", role=Role.ADMIN)
        import_rows(row(referens="BROWSER-RETUR"))
        run_pass()
        notice = notice_by_reference("BROWSER-RETUR")
        notice_id, letter_id = notice.id, first_letter(notice).id
        db.session.remove()
    base = live_server.url
    staff_log_in(page, base, "ulla@example.org")
    page.goto(base + "/staff/retur/")
    _wait_for_focus_in_the_field(page)
    page.keyboard.type("ZZZZZZZZZZ")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Koden hör inte till något uppsökande brev" in page.locator("main").inner_text()
    _wait_for_focus_in_the_field(page)
    page.fill("input[name=scanned]", "")
    page.keyboard.type(str(letter_id))
    # The answer comes back to the same address (post, then redirect): wait for the new page, not the URL.
    with page.expect_navigation(url=base + "/staff/retur/"):
        page.keyboard.press("Enter")
    assert f"Brev {letter_id} (BROWSER-RETUR) är registrerat som retur" in page.locator("main").inner_text()
    _wait_for_focus_in_the_field(page)  # ready for the next letter
    _fits_and_passes(page, base + "/staff/retur/")
    _fits_and_passes(page, base + f"/staff/underrattelser/{notice_id}")
    assert "Adressen är osäker" in page.locator("main").inner_text()
    page.context.clear_cookies()
    staff_log_in(page, base, "ada@example.org")
    _fits_and_passes(page, base + "/staff/brevvarianter/")
