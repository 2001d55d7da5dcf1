"""The notice pages in Chromium: axe-core finds no serious WCAG 2.1 AA problem; import works by keyboard."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from outreach.notices.importer import import_file
from outreach.notices.known_clients import import_register
from outreach.pipeline.run import run_pass
from portal.clock import local_today
from portal.db import db
from portal.staff.models import Role
from tests.browser_fixtures import LiveServer, axe_violations, describe, staff_log_in
from tests.factories import create_staff_user
from tests.outreach.factories import SAMPLES, notice_by_reference, sample

pytestmark = pytest.mark.browser


def test_notice_pages_pass_axe_and_a_file_is_imported_through_the_page(live_server: LiveServer,
                                                                       page: Page) -> None:
    with live_server.app.app_context():
        create_staff_user(email="ulla@example.org", role=Role.OUTREACH, name="Ulla")
        import_register(sample("known-clients-sample.csv"))
        import_file(sample("notices-enforcement-sample.csv"), today=local_today())
        run_pass()
        notice_id = notice_by_reference("KFM-12-345690-26").id
        db.session.remove()
    base = live_server.url
    staff_log_in(page, base, "ulla@example.org")
    for path in ("/staff/underrattelser/", f"/staff/underrattelser/{notice_id}", "/staff/underrattelser/manuell",
                 "/staff/underrattelser/import", "/staff/underrattelser/ny"):
        page.goto(base + path)
        assert describe(axe_violations(page)) == [], path
    page.goto(base + "/staff/underrattelser/import")
    page.set_input_files("#file", str(SAMPLES / "notices-landlord-sample.csv"))
    page.get_by_role("button", name="Läs in", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Nya: 4, upprepningar: 0, rättelser: 1" in page.locator("main").inner_text()
    assert describe(axe_violations(page)) == []
    page.goto(base + "/staff/underrattelser/ny")
    page.locator("main form button[type=submit]").click()
    page.locator(".error-summary").wait_for(state="visible")  # after the page the click loads
    assert describe(axe_violations(page)) == []
