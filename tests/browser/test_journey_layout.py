"""A phone in the hand: radio buttons and checkboxes big enough to tap, the children page one child at a time,
and staff pages that do not scroll sideways at 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from portal.clock import local_today
from portal.db import db
from portal.intake.models import State
from portal.letters import print_batch
from portal.letters import service as letters
from portal.roles import Role
from tests.applications.factories import create_application
from tests.browser_fixtures import LiveServer, axe_violations, describe, staff_log_in
from tests.factories import create_person, create_staff_user
from tests.intake.factories import create_item
from tests.letters.factories import letter_pdf

pytestmark = pytest.mark.browser


def _resident(page: Page, base: str, lang: str = "sv") -> None:
    page.goto(f"{base}/{lang}/logga-in")
    page.fill("#personnummer", "20170101-2393")
    page.locator("#personnummer").press("Enter")
    page.wait_for_url(f"{base}/{lang}/")


def _small_targets(page: Page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')]
        .map(el => [el.id, el.getBoundingClientRect()])
        .filter(([id, r]) => r.width < 44 || r.height < 44)
        .map(([id, r]) => `${id}: ${r.width}x${r.height}`)""")


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_radio_buttons_and_checkboxes_are_at_least_44_px(live_server: LiveServer, page: Page, lang: str) -> None:
    with live_server.app.app_context():
        person = create_person(personnummer="201701012393")
        application_id = create_application(person_id=person.id).id
        db.session.remove()
    base = live_server.url
    _resident(page, base, lang)
    for slug in ("om-dig", "inkomster", "kostnader", "barn"):
        page.goto(f"{base}/{lang}/ansokan/{application_id}/fraga/{slug}")
        assert page.locator("input[type=radio], input[type=checkbox]").count() > 0, slug
        assert _small_targets(page) == [], slug
        assert describe(axe_violations(page)) == [], slug


def test_the_children_page_starts_with_one_child_and_adds_the_next(live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context():
        person = create_person(personnummer="201701012393")
        application_id = create_application(person_id=person.id).id
        db.session.remove()
    base = live_server.url
    _resident(page, base)
    page.goto(f"{base}/sv/ansokan/{application_id}/fraga/barn")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert page.locator("fieldset.group").count() == 1
    assert height < 1800, height  # five blocks of fields were 2,776 px
    page.locator("#has_children").check()
    page.fill("#child1_name", "Sara")
    page.fill("#child1_born", "2019-04-23")
    page.locator("#child1_living").check()
    page.get_by_role("button", name="Spara och lägg till ett barn till").click()
    page.wait_for_url("**barn=2**")
    assert page.locator("fieldset.group").count() == 2
    assert page.locator("#child1_name").input_value() == "Sara"
    assert describe(axe_violations(page)) == []


def test_staff_letters_and_intake_meeting_pages_do_not_scroll_sideways_at_320_px(
        live_server: LiveServer, page: Page) -> None:
    with live_server.app.app_context():
        create_staff_user(email="sam@example.org", role=Role.COORDINATOR, name="Sam Samordnare")
        create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna Handläggare")
        create_staff_user(email="rita@example.org", role=Role.RECEPTION, name="Rita Reception")
        for n in range(3):
            person = create_person(personnummer=("201701012393", "201701022392", "201701032391")[n],
                                   name=f"Person Med Ett Långt Efternamn {n}")
            create_item(person_id=person.id, state=State.READY_FOR_ASSIGNMENT)
            letters.add_letter(kind="outreach_first", dedup_key=f"k{n}", person_id=person.id, language="so",
                               pdf=letter_pdf(f"k{n}"), template_version="t", reference=f"REF-2026-{n:05d}")
        db.session.commit()
        print_batch.claim_batch(local_today())
        db.session.commit()
        db.session.remove()
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 640})

    def sideways(path: str) -> int:
        page.goto(base + path)
        return int(page.evaluate("document.documentElement.scrollWidth"))

    staff_log_in(page, base, "rita@example.org")
    assert sideways("/staff/brev/") <= 320
    assert describe(axe_violations(page)) == []
    page.context.clear_cookies()
    staff_log_in(page, base, "sam@example.org")
    assert sideways("/staff/intag/mote") <= 320
    assert describe(axe_violations(page)) == []
