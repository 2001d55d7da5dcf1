"""The receipt PDF read back: tagged for screen readers (PDF/UA), and its reference, time and month drawn as
each section's language reads them (word positions from `pdftotext -bbox`)."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask

from portal.applications.receipt import receipt_pdf
from portal.applications.service import submit_application
from portal.clock import LOCAL_TZ
from tests.applications.factories import ANSWERS, create_application
from tests.factories import create_person
from tests.letters.test_letter_number_order import drawn_lines, groups_left_to_right, reading_order

LANGUAGES = ["sv", "en", "ar", "fa", "so", "ti", "fi", "uk"]


@pytest.mark.parametrize("clock_at", [datetime(2026, 12, 3, 14, 5, tzinfo=LOCAL_TZ)], indirect=True)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_receipt_reads_its_numbers_as_written_and_is_tagged(app: Flask, clock_at: datetime, language: str,
                                                                tmp_path: Path) -> None:
    person = create_person(language=language)
    application = create_application(person_id=person.id, language=language,
                                      month={**ANSWERS["month"], "month": "2026-12"})
    application = submit_application(application.id, person_id=person.id, language=language)
    with app.test_request_context():
        pdf = receipt_pdf(application, language=language)
    path = tmp_path / "kvitto.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info, info
    structure = subprocess.run(["pdfinfo", "-struct", str(path)], check=True, capture_output=True, text=True).stdout
    assert "H1" in structure and "L" in structure.split(), "headings and lists for a screen reader"
    lines = drawn_lines(pdf, tmp_path)
    sections = 1 if language == "sv" else 2
    # The reference (letters and hyphens, EB-KFEW-NJFW) is drawn as one word in each section.
    assert sum(application.reference in words for words in lines) == sections
    good, bad = groups_left_to_right("14:05" if language not in ("en", "so", "ti", "ar") else "2:05", lines)
    assert bad == [] and good >= 1, f"{language}: the time drawn {good} times, out of order in {bad}"
    if language in ("ar", "fa"):
        # Read from the right: the day (3) before the year, as Arabic and Persian write a date.
        _, rtl, bad = reading_order(["3", "2026"], lines)
        assert bad == [] and rtl == 1, f"{language}: the date drawn from the right {rtl} times, wrongly in {bad}"
