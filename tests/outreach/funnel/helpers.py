"""Shared helpers for the funnel tests: a fixed Tuesday, a notice through the pipeline, its letter's code."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

from outreach.notices.actions import get_action
from outreach.notices.models import ActionKind, Notice
from outreach.pipeline.run import run_pass
from portal import clock
from portal.booking.models import Booking
from portal.db import db
from portal.letters.models import Letter
from portal.letters.service import read_letter_pdf
from tests.outreach.factories import import_rows, notice_by_reference, row

TUESDAY = date(2026, 12, 8)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A Swedish local time."""
    return datetime.combine(day, time(hour, minute), tzinfo=clock.LOCAL_TZ)


def travel(day: date, hour: int = 10, minute: int = 0) -> Iterator[None]:
    """clock.travel as a generator, for fixtures."""
    with clock.travel(at(day, hour, minute)):
        yield


def new_notice(reference: str, **fields: str) -> Notice:
    """A notice imported and moved on by the pipeline (a booked time and a first letter)."""
    import_rows(row(referens=reference, **fields))
    run_pass()
    return notice_by_reference(reference)


def first_letter(notice: Notice) -> Letter:
    """The notice's first letter."""
    step = get_action(notice.id, ActionKind.LETTER_FIRST)
    assert step is not None and step.ref_id is not None
    letter = db.session.get(Letter, step.ref_id)
    assert letter is not None
    return letter


def booking_of(notice: Notice) -> Booking:
    """The time booked for the notice."""
    step = get_action(notice.id, ActionKind.BOOKING)
    assert step is not None and step.ref_id is not None
    booking = db.session.get(Booking, step.ref_id)
    assert booking is not None
    return booking


def letter_code(letter: Letter, tmp_path: Path) -> str:
    """The rebooking code printed in the letter, read back from its PDF."""
    path = tmp_path / f"letter-{letter.id}.pdf"
    path.write_bytes(read_letter_pdf(letter))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    found = re.search(r"Kod: ([A-Z0-9]{10})", re.sub("[\u2066-\u2069]", "", text))
    assert found is not None
    return found.group(1)
