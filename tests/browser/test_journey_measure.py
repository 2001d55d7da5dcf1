"""How much it takes to apply: pages, fields and taps from the start page to the receipt, per language, for
three households, on a phone-sized screen, with axe-core on every page the journey visits.

What is counted (README "How long it takes to apply" has the table):
- pages: every page loaded, from the start page to the receipt, both included;
- fields: every question answered (a text field typed in, a radio group answered, a box ticked); a field the
  page already filled in (the month) is not typed again and is not counted;
- taps: one per field typed in (to focus it), radio button or box, and one per button or link pressed.
Documents are sent later (the checklist page says they may be), and a person new to the unit takes the first
time at the reception the portal proposes. The development login stands in for the e-ID login (one field and a
button here; with BankID it is a button and the app).

`JOURNEY_TABLE=journey.md` writes the table in Markdown too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.test_rtl_numbers import scrambled_numbers
from tests.browser_fixtures import LiveServer, axe_violations, describe

pytestmark = pytest.mark.browser

LANGUAGES = ["sv", "en", "ar", "fa", "so", "ti", "fi", "uk"]
# A step: (page slug or "", what is done on it). "fill": selector -> text; "check": selectors; "button":
# the selector of the button pressed (the page's first submit button when not given).
Step = tuple[str, dict[str, Any]]


def _about(name: str) -> dict[str, Any]:
    return {"fill": {"#name": name, "#street": "Storgatan 1", "#postcode": "123 45", "#city": "Kommunen",
                     "#phone": "070-123 45 67"},
            "check": ["input[name=interpreter][value=no]", "input[name=urgent][value=no]"]}


NO = "[value=no]"
ASSETS_NO = [f"input[name=car]{NO}", f"input[name=property]{NO}", f"input[name=other_assets]{NO}"]
HOUSEHOLDS: dict[str, tuple[str, list[Step]]] = {
    "single adult": ("20170101-2393", [
        ("om-dig", _about("Amina Hassan")),
        ("make-maka-sambo", {"check": [f"input[name=has_partner]{NO}"]}),
        ("barn", {"check": [f"input[name=has_children]{NO}"]}),
        ("boende", {"check": ["input[name=housing][value=rental]", f"input[name=rent_arrears]{NO}"],
                    "fill": {"#rent": "5 800"}}),
        ("inkomster", {"check": ["input[name=income_types][value=activity]"], "fill": {"#income_amount": "7 200"}}),
        ("ersattningar", {"check": ["input[name=received][value=housing_allowance]",
                                    "input[name=job_seeker][value=yes]", f"input[name=sick_leave]{NO}"]}),
        ("tillgangar", {"fill": {"#accounts": "1", "#savings": "300"},
                        "check": ASSETS_NO}),
        ("kostnader", {"check": ["input[name=costs][value=living]", "input[name=costs][value=rent]"]}),
        ("manad", {}),
    ]),
    "single parent, two children": ("20250308-2386", [
        ("om-dig", _about("Mariam Tesfaye")),
        ("make-maka-sambo", {"check": [f"input[name=has_partner]{NO}"]}),
        ("barn", {"check": ["input[name=has_children][value=yes]", "input[name=child1_living][value=full]"],
                  "fill": {"#child1_name": "Sara", "#child1_born": "2019-04-23"},
                  "button": "button[name=add_child]"}),
        ("barn", {"check": ["input[name=child2_living][value=full]"],
                  "fill": {"#child2_name": "Yonas", "#child2_born": "2022-09-02"}}),
        ("boende", {"check": ["input[name=housing][value=rental]", f"input[name=rent_arrears]{NO}"],
                    "fill": {"#rent": "8 900"}}),
        ("inkomster", {"check": ["input[name=income_types][value=parental]"], "fill": {"#income_amount": "9 400"}}),
        ("ersattningar", {"check": ["input[name=received][value=child_allowance]",
                                    "input[name=received][value=maintenance_support]",
                                    f"input[name=job_seeker]{NO}", f"input[name=sick_leave]{NO}"]}),
        ("tillgangar", {"fill": {"#accounts": "1", "#savings": "0"},
                        "check": ASSETS_NO}),
        ("kostnader", {"check": ["input[name=costs][value=living]", "input[name=costs][value=rent]"]}),
        ("manad", {}),
    ]),
    "couple": ("20250824-2381", [
        ("om-dig", _about("Olena Kovalenko")),
        ("make-maka-sambo", {"check": ["input[name=has_partner][value=yes]"],
                             "fill": {"#partner_name": "Karim Haddad", "#partner_personnummer": "20251002-2383"}}),
        ("barn", {"check": [f"input[name=has_children]{NO}"]}),
        ("boende", {"check": ["input[name=housing][value=rental]", f"input[name=rent_arrears]{NO}"],
                    "fill": {"#rent": "7 400"}}),
        ("inkomster", {"check": ["input[name=income_types][value=salary]",
                                 "input[name=partner_income_types][value=unemployment]"],
                       "fill": {"#income_amount": "6 100", "#partner_income_amount": "8 300"}}),
        ("ersattningar", {"check": ["input[name=received][value=housing_allowance]",
                                    f"input[name=job_seeker]{NO}", f"input[name=sick_leave]{NO}"]}),
        ("tillgangar", {"fill": {"#accounts": "2", "#savings": "1 500"},
                        "check": ASSETS_NO}),
        ("kostnader", {"check": ["input[name=costs][value=living]", "input[name=costs][value=rent]"]}),
        ("manad", {}),
    ]),
}


@dataclass
class Count:
    pages: int = 0
    fields: int = 0
    taps: int = 0
    typed: int = 0
    visited: list[str] = field(default_factory=list)


RESULTS: dict[tuple[str, str], Count] = {}


def table() -> str:
    """The results as a Markdown table: one row per household, pages / fields / taps per language."""
    languages = [lang for lang in LANGUAGES if any(key[0] == lang for key in RESULTS)]
    lines = ["| household | " + " | ".join(languages) + " |", "|---|" + "---|" * len(languages)]
    for household in HOUSEHOLDS:
        cells = []
        for lang in languages:
            count = RESULTS.get((lang, household))
            cells.append(f"{count.pages} / {count.fields} / {count.taps}" if count else "–")
        lines.append(f"| {household} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n\npages / fields / taps from the start page to the receipt\n"


@pytest.fixture(scope="module", autouse=True)
def _print_table() -> Iterator[None]:
    yield
    if RESULTS:
        print("\n" + table())
        target = os.environ.get("JOURNEY_TABLE")
        if target:
            Path(target).write_text(table(), encoding="utf-8")


class Journey:
    """Drives the page and counts what a person does."""

    def __init__(self, page: Page, lang: str) -> None:
        self.page, self.lang, self.count = page, lang, Count()
        page.on("framenavigated", self.loaded)

    def loaded(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self.count.pages += 1
            self.count.visited.append(frame.url)

    def clean(self, where: str) -> None:
        assert self.page.locator("html").get_attribute("lang") == self.lang, where
        assert self.page.locator(".error-summary").count() == 0, \
            f"{where}: {self.page.locator('.error-summary').inner_text()}"
        assert describe(axe_violations(self.page)) == [], f"{self.lang} {where}"
        if self.lang in ("ar", "fa"):
            # Every number on every page of the journey, as drawn: its digit groups left to right.
            assert scrambled_numbers(self.page) == [], f"{self.lang} {where}: numbers drawn out of order"

    def fill(self, selector: str, text: str) -> None:
        box = self.page.locator(selector)
        if box.input_value() == text:
            return  # already there (filled in from what we know): nothing to do
        box.fill(text)
        self.count.fields += 1
        self.count.taps += 1
        self.count.typed += len(text)

    def check(self, selector: str) -> None:
        self.page.check(selector)
        self.count.fields += 1
        self.count.taps += 1

    def press(self, selector: str) -> None:
        with self.page.expect_navigation():
            self.page.locator(selector).first.click()
        self.count.taps += 1


def _apply(live_server: LiveServer, page: Page, lang: str, personnummer: str, steps: list[Step]) -> Count:
    base = live_server.url
    journey = Journey(page, lang)
    page.goto(f"{base}/{lang}/")
    journey.clean("start page")
    journey.press(f"a[href^='/{lang}/logga-in']")
    journey.clean("login")
    journey.fill("#personnummer", personnummer)
    journey.press("main form button[type=submit] >> nth=-1")  # the development login's button
    if not page.url.endswith(f"/{lang}/ansokan/"):
        journey.press(f"a[href='/{lang}/ansokan/']")
    journey.clean("my applications")
    journey.press(f"form[action='/{lang}/ansokan/ny'] button")
    for slug, actions in steps:
        assert f"/fraga/{slug}" in page.url, (page.url, slug)
        for selector, text in actions.get("fill", {}).items():
            journey.fill(selector, text)
        for selector in actions.get("check", []):
            journey.check(selector)
        journey.clean(slug)
        journey.press(actions.get("button", "main form button[type=submit]"))
    # Without its fragment: a redirect keeps the one of the address it answered (#child2_name).
    assert page.url.split("#")[0].endswith("/handlingar"), page.url
    journey.clean("checklist")
    journey.press("a[href$='/granska']")
    journey.clean("check your answers")
    journey.press("form[action$='/skicka'] button")
    assert page.url.split("#")[0].endswith("/forsta-tid"), page.url
    journey.clean("first time at the reception")
    journey.press("main form button[type=submit]")  # the first time proposed
    assert page.url.split("#")[0].endswith("/kvitto"), page.url
    journey.clean("receipt")
    assert page.locator("#first-visit-heading").count() == 1
    page.remove_listener("framenavigated", journey.loaded)
    return journey.count


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_fields_and_taps_to_apply(live_server: LiveServer, page: Page, lang: str) -> None:
    if live_server.app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("what a person does does not depend on the database; the other journeys cover PostgreSQL")
    for household, (personnummer, steps) in HOUSEHOLDS.items():
        page.context.clear_cookies()
        count = _apply(live_server, page, lang, personnummer, steps)
        RESULTS[(lang, household)] = count
        print(f"{lang} {household}: {count.pages} pages, {count.fields} fields, {count.taps} taps, "
              f"{count.typed} characters typed")
        assert count.pages <= 20 and count.taps <= 60, f"{lang} {household}: {count}"
