"""Numbers as they are drawn in Arabic and Persian: each digit group's x on the screen, left to right.

The characters of `20170101-2393` are right in the HTML whatever happens; what goes wrong is where a right-to-
left line draws them (`2393-20170101`). So these tests read the position of each digit group on the page (a
DOM Range per group, its bounding box), for the login hint, the date example, the footer phone, the rent hint
and what a resident types into the postcode and rent inputs.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import LiveServer, axe_violations, describe

pytestmark = pytest.mark.browser

# x of each digit group of `groups`, found in order in the element's text; for an input, in a span laid out as
# the input lays out its value (same direction, bidi and font: the input's own text box is not in the DOM).
_GROUP_X = """([selector, groups]) => {
  let el = document.querySelector(selector);
  let probe = null;
  if (el.tagName === "INPUT") {
    const style = getComputedStyle(el);
    probe = document.createElement("span");
    for (const p of ["direction", "unicode-bidi", "font-family", "font-size", "letter-spacing", "word-spacing"]) {
      probe.style.setProperty(p, style.getPropertyValue(p));
    }
    probe.style.whiteSpace = "pre";
    probe.textContent = el.value;
    el.parentElement.appendChild(probe);
    el = probe;
  }
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.data; }
  const xs = [];
  let from = 0;
  for (const group of groups) {
    const at = text.indexOf(group, from);
    if (at < 0) { xs.push(null); continue; }
    from = at + group.length;
    const [node, offset] = nodes.filter(([n, o]) => o <= at).pop();
    const range = document.createRange();
    range.setStart(node, at - offset);
    range.setEnd(node, at - offset + group.length);
    xs.push(range.getBoundingClientRect().left);
  }
  if (probe) probe.remove();
  return xs;
}"""


# Every number with parts on the page (a phone, a date, a time, an amount, a postcode, a personnummer, a code):
# the x of each digit group, in every visible text and in every filled-in input. Returns the ones drawn out of
# order: a run of groups on one line whose x does not grow left to right.
_SCRAMBLED = """() => {
  const run = /\\d+(?:[ \\u00a0\\-:\\/.]\\d+)+/g;
  const found = [];
  const check = (node, text) => {
    for (const match of text.matchAll(run)) {
      const xs = [], tops = [];
      const digits = /\\d+/g;
      for (const part of match[0].matchAll(digits)) {
        const range = document.createRange();
        range.setStart(node, match.index + part.index);
        range.setEnd(node, match.index + part.index + part[0].length);
        const box = range.getBoundingClientRect();
        if (box.width === 0) return;  // not drawn (hidden)
        xs.push(box.left); tops.push(Math.round(box.top));
      }
      if (new Set(tops).size > 1) continue;  // broken over two lines: no order to read
      for (let i = 1; i < xs.length; i++) {
        if (xs[i] <= xs[i - 1]) { found.push(match[0]); break; }
      }
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) check(walker.currentNode, walker.currentNode.data);
  for (const input of document.querySelectorAll("input, textarea")) {
    if (!input.value || input.type === "hidden" || !input.offsetParent) continue;
    const style = getComputedStyle(input);
    const probe = document.createElement("span");
    for (const p of ["direction", "unicode-bidi", "font-family", "font-size", "letter-spacing", "word-spacing"]) {
      probe.style.setProperty(p, style.getPropertyValue(p));
    }
    probe.style.whiteSpace = "pre";
    probe.textContent = input.value;
    input.parentElement.appendChild(probe);
    check(probe.firstChild, input.value);
    probe.remove();
  }
  return found;
}"""


def scrambled_numbers(page: Page) -> list[str]:
    """Every number on the page whose digit groups are not drawn left to right (empty when all read right)."""
    return list(page.evaluate(_SCRAMBLED))


def assert_left_to_right(page: Page, selector: str, value: str) -> None:
    groups = re.findall(r"\d+", value)
    xs = page.evaluate(_GROUP_X, [selector, groups])
    assert None not in xs, f"{selector}: {value!r} not found"
    assert xs == sorted(xs) and len(set(xs)) == len(xs), f"{selector}: {value!r} drawn with groups at x={xs}"


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_numbers_read_left_to_right_in_right_to_left_pages(live_server: LiveServer, page: Page, lang: str) -> None:
    phone = live_server.app.config["RECEPTION_PHONE"] = "08-508 123 45"
    page.goto(f"{live_server.url}/{lang}/logga-in")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert_left_to_right(page, "#personnummer-hint", "20170101-2393")
    assert_left_to_right(page, ".site-footer p", phone)
    assert describe(axe_violations(page)) == []

    page.fill("#personnummer", "20170101-2393")
    page.locator("form button[type=submit]").last.click()
    page.goto(f"{live_server.url}/{lang}/ansokan/")
    page.locator("form[action$='/ny'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/fraga/"))
    application_url = page.url.rsplit("/fraga/", 1)[0]

    page.goto(f"{application_url}/fraga/om-dig")
    page.locator("#postcode").press_sequentially("118 60")
    assert_left_to_right(page, "#postcode", "118 60")
    assert describe(axe_violations(page)) == []

    page.goto(f"{application_url}/fraga/barn")
    assert_left_to_right(page, "#child1_born-hint", "2019-04-23")
    page.locator("#child1_born").press_sequentially("2019-04-23")
    assert_left_to_right(page, "#child1_born", "2019-04-23")

    page.goto(f"{application_url}/fraga/boende")
    assert_left_to_right(page, "#rent-hint", "6 500")
    page.locator("#rent").press_sequentially("6 500")
    assert_left_to_right(page, "#rent", "6 500")
    assert_left_to_right(page, ".site-footer p", phone)
    assert describe(axe_violations(page)) == []


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_a_personnummer_in_native_digits_logs_in(live_server: LiveServer, page: Page, lang: str) -> None:
    digits = "٠١٢٣٤٥٦٧٨٩" if lang == "ar" else "۰۱۲۳۴۵۶۷۸۹"
    page.goto(f"{live_server.url}/{lang}/logga-in")
    page.fill("#personnummer", "".join(digits[int(c)] if c.isdigit() else c for c in "20170101-2393"))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/{lang}/")
    assert page.locator(".site-header form button[type=submit]").is_visible()


def test_the_page_wide_check_sees_a_scrambled_number(page: Page) -> None:
    """The check the journeys run on every Arabic and Persian page finds a number a right-to-left line scrambles,
    and passes it once isolated, so an empty answer means the numbers were read, not missed."""
    page.set_content('<html lang="ar" dir="rtl"><body><p>اتصل بنا على 08-123 456 00 أو 6 500 كرونة</p>'
                     '<p>اتصل بنا على <bdi dir="ltr">08-123 456 00</bdi></p>'
                     '<input dir="rtl" value="118 60"><input dir="ltr" value="118 61"></body></html>')
    assert scrambled_numbers(page) == ["08-123 456 00", "6 500", "118 60"]


@pytest.mark.parametrize("lang", ["ar", "fa"])
def test_the_rebooking_page_draws_its_times_left_to_right(live_server: LiveServer, page: Page, lang: str) -> None:
    """The page an outreach letter's code opens (/tid): the booked time and every free time, as drawn."""
    from portal.booking import service
    from portal.db import db
    from tests.intake.factories import create_item

    with live_server.app.app_context():
        booked = service.book_earliest(purpose="outreach", intake_item_id=create_item().id, deadline=None)
        assert booked is not None
        db.session.commit()
        code = booked[1]
        db.session.remove()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/{lang}/tid/{code}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    labels = page.locator("label[for^=starts_at]")
    assert labels.count() > 1
    for selector in ("label[for=starts_at]", f"label[for={labels.nth(1).get_attribute('for')}]"):
        label = page.locator(selector).inner_text()
        assert re.fullmatch(r"\d\d:\d\d", label.strip()), label
        assert_left_to_right(page, selector, label.strip())
    assert scrambled_numbers(page) == []
    assert describe(axe_violations(page)) == []
