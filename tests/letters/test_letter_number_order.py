"""Numbers in the outreach letter are drawn left to right in every language, right-to-left ones included.

Read from where each word is drawn (`pdftotext -bbox`), not from the text's logical order: in an Arabic line an
unisolated `08-508 123 45` is drawn `45 123 508-08`, which a resident dials as another number.
"""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from flask import Flask

from outreach.letters import render_outreach_letter
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
