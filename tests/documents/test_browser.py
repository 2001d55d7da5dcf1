"""The review panel in Chromium: it passes axe-core, and a receptionist asks for a new copy without a mouse."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from portal.db import db
from portal.documents import service
from portal.intake.claims import claim_item
from portal.roles import Role
from tests.browser_fixtures import LiveServer, axe_violations, describe, staff_log_in
from tests.documents import samples
from tests.documents.factories import create_application, upload
from tests.factories import create_person, create_staff_user

pytestmark = pytest.mark.browser


def test_the_review_panel_passes_axe_and_works_with_the_keyboard(live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context():
        staff = create_staff_user(email="rita@example.org", role=Role.RECEPTION, name="Rita")
        person = create_person(name="Amina Hassan", language="ar")
        application = create_application(person_id=person.id)
        service.add_document(application.checklist[0], upload(samples.simple_pdf(), name="konto.pdf"),
                             person_id=person.id)
        photo = service.add_document(application.checklist[1], upload(samples.phone_jpeg(), name="hyra.jpg"),
                                     person_id=person.id)
        claim_item(application.intake_item_id, staff=staff)  # type: ignore[arg-type]
        item_url, photo_id = f"/staff/intag/{application.intake_item_id}", photo.id
        db.session.remove()
    base = live_server.url
    staff_log_in(page, base, "rita@example.org")
    page.goto(base + item_url)
    assert describe(axe_violations(page)) == []
    panel = page.locator("#handlingar")
    panel.locator("summary").nth(1).focus()
    page.keyboard.press("Enter")
    page.locator(f"#doc{photo_id}-reason").select_option("unreadable")
    page.locator(f"#doc{photo_id}-text").fill("Bilden är suddig.")
    page.locator(f"#doc{photo_id}-text").press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(base + item_url + "#handlingar")
    assert "Den sökande har fått besked om att skicka en ny kopia." in page.content()
    assert "Ny kopia begärd" in panel.inner_text()
    assert describe(axe_violations(page)) == []
