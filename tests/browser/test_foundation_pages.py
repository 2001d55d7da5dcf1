"""The start page and the login pages in a real browser, in every language, checked by axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from portal.config import SUPPORTED_LANGUAGES
from tests.browser.conftest import LiveServer, axe_violations, describe

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_start_and_login_pages_pass_axe_in_every_language(live_server: LiveServer, page: Page, lang: str) -> None:
    for path in (f"/{lang}/", f"/{lang}/logga-in"):
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang in ("ar", "fa") else "ltr")
        assert describe(axe_violations(page)) == [], path


def test_staff_login_page_passes_axe(live_server: LiveServer, page: Page) -> None:
    page.goto(live_server.url + "/staff/login")
    assert describe(axe_violations(page)) == []


def test_resident_logs_in_with_the_keyboard_only(live_server: LiveServer, page: Page) -> None:
    page.goto(live_server.url + "/sv/logga-in")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.locator("#personnummer").focus()
    page.keyboard.type("20170101-2393")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + "/sv/")
    assert page.get_by_role("button", name="Logga ut").is_visible()


def test_wrong_personnummer_shows_the_error_summary_in_arabic(live_server: LiveServer, page: Page) -> None:
    page.goto(live_server.url + "/ar/logga-in")
    page.fill("#personnummer", "20170101-2394")
    page.locator("form button[type=submit]").last.click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.locator("#personnummer").input_value() == "20170101-2394"
    assert describe(axe_violations(page)) == []


def test_layout_fits_a_narrow_phone_in_right_to_left(live_server: LiveServer, page: Page) -> None:
    page.goto(live_server.url + "/fa/")
    overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert overflow is False
