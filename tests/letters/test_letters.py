"""Letters: stored once per key, the review gate, and a byte-identical daily print batch."""

from __future__ import annotations

import csv
import hashlib
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.db import db
from portal.letters import print_batch, service
from portal.letters.models import Letter, LetterStatus, PrintBatch
from tests.factories import create_person
from tests.letters.factories import letter_pdf


def today() -> date:
    return datetime.now(print_batch.LOCAL).date()


def add(key: str, pages: int = 1, reference: str = "REF-1", person_id: int | None = None) -> Letter:
    return service.add_letter(kind="outreach_first", dedup_key=key, person_id=person_id, language="sv",
                              pdf=letter_pdf(key, pages), template_version="t1", reference=reference)


def page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text.split("\f")[:-1]


def test_add_letter_stores_pdf_once_per_key(app: Flask) -> None:
    person = create_person()
    letter = add("notice:1:outreach_first", pages=2, person_id=person.id)
    db.session.commit()
    assert letter.status == LetterStatus.QUEUED and letter.pages == 2
    stored = service.read_letter_pdf(letter)
    assert hashlib.sha256(stored).hexdigest() == letter.sha256
    again = add("notice:1:outreach_first", pages=3)
    assert again.id == letter.id and again.pages == 2
    assert db.session.scalar(select(func.count()).select_from(Letter)) == 1


def test_not_a_pdf_is_refused(app: Flask) -> None:
    with pytest.raises(service.LetterError):
        service.add_letter(kind="delay_notice", dedup_key="x", person_id=None, language="sv", pdf=b"hello",
                           template_version="t1", reference="")


def test_approval_gate_and_cancel(app: Flask) -> None:
    app.config["LETTER_APPROVAL"] = True
    waiting = add("a")
    db.session.commit()
    assert waiting.status == LetterStatus.AWAITING_APPROVAL
    assert service.approve_letter(waiting.id).status == LetterStatus.QUEUED
    other = add("b")
    db.session.commit()
    assert service.cancel_letter(other.id).status == LetterStatus.CANCELLED
    assert service.cancel_letter(other.id).status == LetterStatus.CANCELLED  # double submit: no change


def test_print_batch_odd_pages_manifest_and_byte_identical_reexport(app: Flask, tmp_path: Path) -> None:
    one = add("Brev-ett", pages=1, reference="R1")
    two = add("Brev-tva", pages=2, reference="R2")
    three = add("Brev-tre", pages=3, reference="R3")
    cancelled = add("Brev-stoppat", pages=1, reference="R4")
    db.session.commit()
    service.cancel_letter(cancelled.id)
    folder = print_batch.export_print_batch(today(), tmp_path / "a")
    pdf = folder / "letters.pdf"
    subprocess.run(["qpdf", "--check", str(pdf)], check=True, capture_output=True)
    pages = page_texts(pdf)
    assert len(pages) == 8
    assert "Brev-ett sida 1" in pages[0] and pages[1].strip() == ""
    assert "Brev-tva sida 1" in pages[2] and "Brev-tva sida 2" in pages[3]
    assert "Brev-tre sida 1" in pages[4] and "Brev-tre sida 3" in pages[6] and pages[7].strip() == ""
    assert "Brev-stoppat" not in "".join(pages)
    rows = list(csv.reader((folder / "manifest.csv").read_text(encoding="utf-8").splitlines(), delimiter=";"))
    assert rows[0] == ["letter_id", "notice_referens", "pages", "language", "sha256"]
    assert rows[1:] == [[str(x.id), x.reference, str(x.pages), "sv", x.sha256] for x in (one, two, three)]
    db.session.expire_all()
    assert {x.status for x in (one, two, three)} == {LetterStatus.EXPORTED}
    assert one.exported_at is not None and one.batch_id is not None
    # A letter written after the export waits for the next day; the day's export is reproduced exactly.
    add("Brev-sent", pages=1)
    db.session.commit()
    again = print_batch.export_print_batch(today(), tmp_path / "b")
    assert (again / "letters.pdf").read_bytes() == pdf.read_bytes()
    assert (again / "manifest.csv").read_bytes() == (folder / "manifest.csv").read_bytes()
    assert db.session.scalar(select(func.count()).select_from(PrintBatch)) == 1


def test_cli_exports_a_day(app: Flask, runner: object, tmp_path: Path) -> None:
    add("Brev-cli", pages=1)
    db.session.commit()
    result = runner.invoke(args=["letters", "export", "--date", today().isoformat(), "--out", str(tmp_path)])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    folder = tmp_path / today().isoformat()
    assert "Brev-cli sida 1" in page_texts(folder / "letters.pdf")[0]
    assert len((folder / "manifest.csv").read_text().splitlines()) == 2
    bad = runner.invoke(args=["letters", "export", "--date", "2026-13-01", "--out", str(tmp_path)])  # type: ignore[attr-defined]
    assert bad.exit_code != 0
