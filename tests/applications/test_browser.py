"""The whole e-application in Chromium, in Swedish and Arabic on a phone-sized window, checked by axe-core."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from portal.applications.models import Application, ItemState, Status
from portal.booking import first_visit
from portal.db import db
from portal.intake.models import IntakeItem, Source
from portal.people import Person
from tests.applications.factories import create_application
from tests.browser_fixtures import LiveServer, axe_violations, describe
from tests.documents.samples import phone_heic, simple_pdf

pytestmark = pytest.mark.browser

ANSWERS = {
    "om-dig": {"#name": "Amina Test", "#street": "Storgatan 1", "#postcode": "123 45", "#city": "Kommunen",
               "#phone": "070-000 00 00", "#email": "amina@example.org", "check": ["#interpreter", "#urgent"]},
    "make-maka-sambo": {"check": ["#has_partner-1"]},
    "barn": {"check": ["#has_children", "#child1_living"], "#child1_name": "Sara", "#child1_born": "2019-04-23"},
    "boende": {"check": ["#housing", "#rent_arrears-1"], "#rent": "6 500"},
    "inkomster": {"check": ["#income_types"], "#income_amount": "4 500,50"},
    "ersattningar": {"check": ["#job_seeker", "#sick_leave-1"]},
    "tillgangar": {"#accounts": "2", "#savings": "0", "check": ["#car-1", "#property-1", "#other_assets-1"]},
    "kostnader": {"check": ["#costs", "#costs-1"]},
    "manad": {},
}


def _clean(page: Page, where: str) -> None:
    assert describe(axe_violations(page)) == [], where


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_a_resident_applies_uploads_a_pdf_and_a_phone_photo_and_sees_the_status(
        live_server: LiveServer, page: Page, lang: str, tmp_path: Path) -> None:
    pdf, photo = tmp_path / "kontoutdrag.pdf", tmp_path / "IMG_0042.HEIC"
    pdf.write_bytes(simple_pdf())
    photo.write_bytes(phone_heic())
    base = live_server.url

    page.goto(f"{base}/{lang}/")
    page.locator(f"a[href^='/{lang}/logga-in']").first.click()
    page.fill("#personnummer", "20170101-2393")
    page.locator("#personnummer").press("Enter")
    page.wait_for_url(f"{base}/{lang}/ansokan/")
    _clean(page, "index")
    page.locator(f"form[action='/{lang}/ansokan/ny'] button").click()

    for slug, values in ANSWERS.items():
        page.wait_for_url(f"**/fraga/{slug}")
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        if slug == "om-dig":
            # A mistake first: the page says what is wrong, in the page's language, and keeps what was typed.
            page.fill("#postcode", "12")
            page.locator("main form button[type=submit]").first.click()  # first: the button that saves and goes on
            page.locator(".error-summary").wait_for(state="visible")  # after the page the click loads
            assert page.locator("#postcode").input_value() == "12"
            _clean(page, "error summary")
        for selector, text in values.items():
            if selector != "check":
                page.fill(selector, str(text))
        for selector in values.get("check", []):
            page.check(selector)
        _clean(page, slug)
        button = page.locator("main form button[type=submit]").first
        if slug == "manad":
            button.press("Enter")  # the keyboard works as well as the pointer
        else:
            button.click()

    page.wait_for_url("**/handlingar")
    _clean(page, "checklist")
    # Each click that loads a page waits for it before axe looks (axe on a page mid-navigation finds no document).
    with page.expect_navigation():
        page.locator(".checklist-item").first.locator("a.button").click()
    _clean(page, "upload")
    page.set_input_files("#files", [str(pdf), str(photo)])
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_url("**/handlingar")
    with page.expect_navigation():  # back to the same address: wait_for_url alone would not wait
        page.locator(".checklist-item").nth(1).locator("form button").click()
    with page.expect_navigation():
        page.locator("a[href$='/granska']").click()
    _clean(page, "check your answers")
    page.locator("form[action$='/skicka'] button").click()
    # New to the unit: the reception's free times, the first one proposed; this person picks the second.
    page.wait_for_url("**/forsta-tid")
    _clean(page, "first time at the reception")
    times = page.locator("input[name=starts_at]")
    assert times.first.is_checked()
    chosen = times.nth(1).get_attribute("value")
    page.locator(f"label[for='{times.nth(1).get_attribute('id')}']").click()  # the label is the tap target
    page.locator("main form button[type=submit]").first.press("Enter")
    page.wait_for_url("**/kvitto")
    _clean(page, "receipt")
    visit = page.locator("section[aria-labelledby=first-visit-heading]")
    assert visit.locator("a[href$='/kalender.ics']").count() == 1
    code_url = visit.locator("a[href*='/tid/']:not([href$='.ics'])").get_attribute("href")
    assert code_url is not None
    code = code_url.rstrip("/").rsplit("/", 1)[1]
    assert code in visit.inner_text()
    reference = page.locator(".reference").inner_text()
    with page.expect_navigation():
        page.locator("a[href$='/status']").click()
    _clean(page, "status")
    assert reference in page.locator("main").inner_text()
    assert code in page.locator("section[aria-labelledby=first-visit-heading]").inner_text()

    with live_server.app.app_context():
        application = db.session.scalar(select(Application).where(Application.reference == reference))
        assert application is not None and application.status == Status.SUBMITTED
        booked = first_visit.current(application.intake_item_id)
        assert booked is not None and booked.code == code and booked.starts_at.isoformat() == chosen
        assert application.language == lang
        states = [item.state for item in application.checklist]
        assert states[0] == ItemState.RECEIVED and states[1] == ItemState.LATER
        item = db.session.get(IntakeItem, application.intake_item_id)
        assert item is not None and item.source == Source.E_APPLICATION
        assert item.source_key == f"application:{application.id}"
        db.session.remove()


@pytest.mark.parametrize("lang", ["en", "fa", "so", "ti", "fi", "uk"])
def test_the_application_pages_pass_axe_and_fit_a_phone_in_every_other_language(
        live_server: LiveServer, page: Page, lang: str) -> None:
    if live_server.app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("markup and layout do not depend on the database; the journey test covers PostgreSQL")
    base = live_server.url
    page.goto(f"{base}/{lang}/logga-in?next=/{lang}/ansokan/")
    page.fill("#personnummer", "20170101-2393")
    page.locator("#personnummer").press("Enter")
    page.wait_for_url(f"{base}/{lang}/ansokan/")
    with live_server.app.app_context():
        person = db.session.scalar(select(Person).where(Person.personnummer == "201701012393"))
        assert person is not None
        application_id = create_application(person_id=person.id, language=lang, partner={
            "has_partner": "yes", "partner_name": "Omar Test", "partner_personnummer": "20170102-2384"}).id
        db.session.remove()
    page.goto(f"{base}/{lang}/ansokan/{application_id}/fraga/barn")
    page.check("#has_children")
    page.locator("main form button[type=submit]").first.click()  # first: the button that saves and goes on
    page.locator(".error-summary").wait_for(state="visible")  # after the page the click loads
    _clean(page, "fraga/barn with an error")
    for path in ("fraga/inkomster", "handlingar", "granska"):
        page.goto(f"{base}/{lang}/ansokan/{application_id}/{path}")
        _clean(page, path)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), path
    page.locator("form[action$='/skicka'] button").click()
    page.wait_for_url("**/forsta-tid")
    _clean(page, "first time at the reception")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.locator("button[name=later]").click()  # not now: reception will be in touch
    page.wait_for_url("**/kvitto")
    _clean(page, "receipt")
    page.goto(f"{base}/{lang}/ansokan/{application_id}/status")
    _clean(page, "status")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
