"""Numbers in the outreach letter are drawn left to right in every language, right-to-left ones included.

Read from where each word is drawn (`pdftotext -bbox`), not from the text's logical order: in an Arabic line an
unisolated `08-508 123 45` is drawn `45 123 508-08`, which a resident dials as another number.
"""

from __future__ import annotations

import html
import re
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask

from outreach.letters import render_outreach_letter
from portal.intake.delay import notice_pdf, render_notice
from portal.intake.models import DelayNotice
from tests.letters.factories import outreach_letter_fields

LANGUAGES = ["sv", "en", "ar", "fa", "so", "ti", "fi", "uk"]
PHONE = "08-508 123 45"
AMOUNT = "12 500 kr"
CODE = "ABCD234567"
REFERENCE = "HV-2026-001"
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>')
_INVISIBLE = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def drawn_lines(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    """Each line of each page as its words from left to right on the page."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                         text=True).stdout
    lines: list[list[str]] = []
    for page in out.split("<page")[1:]:  # y starts again on every page
        rows: dict[int, list[tuple[float, str]]] = {}
        for x, y_min, y_max, word in _WORD.findall(page):
            middle = round((float(y_min) + float(y_max)) / 2 / 3)  # words of one line share their middle
            rows.setdefault(middle, []).append((float(x), _INVISIBLE.sub("", html.unescape(word))))
        lines += [[w for _, w in sorted(words)] for _, words in sorted(rows.items())]
    return lines


def groups_left_to_right(value: str, lines: list[list[str]]) -> tuple[int, list[str]]:
    """How many lines draw the value's digit groups in order from left to right, and the lines that hold all
    of its groups in another order (scrambled)."""
    wanted = re.findall(r"\d+", value)
    good, bad = 0, []
    for words in lines:
        drawn = [group for word in words for group in re.findall(r"\d+", word)]
        if not set(wanted) <= set(drawn):
            continue
        if any(drawn[i:i + len(wanted)] == wanted for i in range(len(drawn))):
            good += 1
        else:
            bad.append(" ".join(words))
    return good, bad


def letter(language: str | None) -> bytes:
    fields = outreach_letter_fields(language)
    fields.update(phone=PHONE, amount_text=AMOUNT, rebooking_code=CODE, reference=REFERENCE)
    return bytes(render_outreach_letter(**fields))


@pytest.mark.parametrize("language", LANGUAGES)
def test_phone_amount_time_and_code_are_drawn_left_to_right(app: Flask, language: str, tmp_path: Path) -> None:
    lines = drawn_lines(letter(language), tmp_path)
    sections = 1 if language == "sv" else 2
    for value, at_least in ((PHONE, sections), (AMOUNT, sections), ("10:00", sections), (REFERENCE, 1),
                            (CODE, sections)):
        good, bad = groups_left_to_right(value, lines)
        assert bad == [], f"{language}: {value!r} drawn out of order in {bad}"
        assert good >= at_least, f"{language}: {value!r} drawn left to right {good} times, {at_least} expected"


def test_the_panel_in_every_language_draws_the_phone_left_to_right(app: Flask, tmp_path: Path) -> None:
    lines = drawn_lines(letter(None), tmp_path)
    good, bad = groups_left_to_right(PHONE, lines)
    assert bad == [], f"the phone drawn out of order in {bad}"
    assert good >= len(LANGUAGES), "the Swedish part and the panel of each of the seven other languages"


# Dates chosen so each day number is on one line only: the letter's date, the booked time, the deadline to pay
# and Kronofogden's eviction (with its time, in the opening sentence).
DATES = {"dated": (date(2026, 11, 20), ["20", "2026"]),
         "booked": (datetime(2026, 12, 3, 9, 0, tzinfo=UTC), ["3", "2026"]),
         "deadline": (date(2026, 12, 17), ["17", "2026"]),
         "eviction": (datetime(2027, 1, 14, 8, 30, tzinfo=UTC), ["14", "2027"])}


def reading_order(units: list[str], lines: list[list[str]]) -> tuple[int, int, list[str]]:
    """How many lines draw the units (digit groups read in this order: a date's day before its year) from left
    to right, how many from right to left, and the lines that hold them all in neither order."""
    ltr = rtl = 0
    bad = []
    for words in lines:
        drawn = [group for word in words for group in re.findall(r"\d+", word)]
        if not set(units) <= set(drawn):
            continue
        positions = [drawn.index(unit) for unit in units]
        if positions == sorted(positions):
            ltr += 1
        elif positions == sorted(positions, reverse=True):
            rtl += 1
        else:
            bad.append(" ".join(words))
    return ltr, rtl, bad


def dated_letter(language: str | None) -> bytes:
    fields = outreach_letter_fields(language)
    fields.update(phone=PHONE, amount_text=AMOUNT, rebooking_code=CODE, reference=REFERENCE,
                  dated=DATES["dated"][0], booking_starts_at=DATES["booked"][0],
                  recovery_deadline=DATES["deadline"][0], eviction_at=DATES["eviction"][0], notice_kind="avhysning")
    return bytes(render_outreach_letter(**fields))


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_are_read_day_first_in_the_languages_own_direction(app: Flask, language: str, tmp_path: Path) -> None:
    """In Swedish a date is drawn day first from the left; in Arabic and Persian, day first from the right (as
    those languages write a date in words, not turned left to right as a phone number is). Times, the phone,
    the amount and the code stay left to right in every section."""
    lines = drawn_lines(dated_letter(language), tmp_path)
    rtl_section = language in ("ar", "fa")
    for name, (_, units) in DATES.items():
        ltr, rtl, bad = reading_order(units, lines)
        assert bad == [], f"{language}: the {name} date drawn out of order in {bad}"
        expected_ltr = 1 if language == "sv" or rtl_section else 2
        assert (ltr, rtl) == (expected_ltr, 1 if rtl_section else 0), \
            f"{language}: the {name} date drawn {ltr} times day first from the left, {rtl} from the right"
    for value in (PHONE, AMOUNT, "09:30", "10:00", CODE):
        good, bad_lines = groups_left_to_right(value, lines)
        assert bad_lines == [], f"{language}: {value!r} drawn out of order in {bad_lines}"
        assert good >= (1 if language == "sv" else 2), f"{language}: {value!r} in each section"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_delay_notice_reads_its_date_and_address_as_written(app: Flask, language: str, tmp_path: Path) -> None:
    """The delay notice (posted when there is no e-mail address): its new date read day first in the section's
    direction, the portal's address left to right."""
    app.config["BASE_URL"] = "https://portal.example:8443/sv/"
    expected_on = date(2027, 2, 19)
    subject, body = render_notice(language=language, expected_on=expected_on, reason_code="workload")
    notice = DelayNotice(language=language, expected_on=expected_on, reason="workload", subject=subject, body=body,
                         created_at=datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
    lines = drawn_lines(notice_pdf(notice), tmp_path)
    ltr, rtl, bad = reading_order(["19", "2027"], lines)
    assert bad == [], f"{language}: the date drawn out of order in {bad}"
    rtl_section = language in ("ar", "fa")
    assert (ltr, rtl) == (1 if language == "sv" or rtl_section else 2, 1 if rtl_section else 0)
    good, bad_lines = groups_left_to_right("portal.example:8443", lines)
    assert bad_lines == [] and good == (1 if language == "sv" else 2), f"{language}: the address in {bad_lines}"
