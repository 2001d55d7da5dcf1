"""Letters: stored once per key, the review gate, a byte-identical daily print batch, and damaged files."""

from __future__ import annotations

import csv
import hashlib
import subprocess
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.clock import local_today
from portal.db import db
from portal.letters import print_batch, service
from portal.letters.models import Letter, LetterStatus, PrintBatch
from tests.factories import create_person
from tests.letters.factories import letter_pdf, stored_letter_path


def today() -> date:
    return local_today()


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


def test_a_damaged_letter_is_set_aside_and_the_rest_of_the_day_prints(app: Flask, tmp_path: Path) -> None:
    whole = add("Brev-helt", reference="R1")
    changed = add("Brev-andrat", reference="R2")
    missing = add("Brev-borta", reference="R3")
    last = add("Brev-sist", pages=2, reference="R4")
    db.session.commit()
    original = stored_letter_path(app, changed).read_bytes()
    stored_letter_path(app, changed).write_bytes(original[:-200])  # a file cut short on a failing disk
    stored_letter_path(app, missing).unlink()

    folder = print_batch.export_print_batch(today(), tmp_path / "a")
    subprocess.run(["qpdf", "--check", str(folder / "letters.pdf")], check=True, capture_output=True)
    pages = page_texts(folder / "letters.pdf")
    assert len(pages) == 4 and "Brev-helt sida 1" in pages[0] and "Brev-sist sida 2" in pages[3]
    rows = (folder / "manifest.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [row.split(";")[0] for row in rows] == [str(whole.id), str(last.id)]
    batch = db.session.scalar(select(PrintBatch))
    assert batch is not None and (batch.letter_count, batch.pages) == (2, 4)
    db.session.expire_all()
    assert (changed.status, missing.status) == (LetterStatus.FILE_DAMAGED, LetterStatus.FILE_DAMAGED)
    assert changed.batch_id is None and missing.batch_id is None
    events = {e.object_id: e.detail for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "letter.file_damaged"))}
    assert set(events) == {str(changed.id), str(missing.id)}
    assert "sha256" in events[str(changed.id)] and "går inte att läsa" in events[str(missing.id)]

    # Still damaged: checking again changes nothing. Restored from backup: queued for the next batch.
    with pytest.raises(service.LetterFileDamaged):
        service.check_letter_file_again(changed.id)
    assert db.session.get(Letter, changed.id).status == LetterStatus.FILE_DAMAGED  # type: ignore[union-attr]
    stored_letter_path(app, changed).write_bytes(original)
    assert service.check_letter_file_again(changed.id).status == LetterStatus.QUEUED
    assert service.check_letter_file_again(changed.id).status == LetterStatus.QUEUED  # a second click
    assert db.session.query(AuditEvent).filter_by(action="letter.file_restored").count() == 1
    assert service.cancel_letter(missing.id).status == LetterStatus.CANCELLED
    with pytest.raises(service.LetterError, match="status cancelled"):  # stopped meanwhile: it stays stopped
        service.check_letter_file_again(missing.id)
    # The day's batch is what it was; the restored letter goes with the next day's.
    again = print_batch.export_print_batch(today(), tmp_path / "b")
    assert (again / "letters.pdf").read_bytes() == (folder / "letters.pdf").read_bytes()
    tomorrow = print_batch.export_print_batch(date.fromordinal(today().toordinal() + 1), tmp_path / "c")
    assert "Brev-andrat sida 1" in page_texts(tomorrow / "letters.pdf")[0]


def test_a_letter_damaged_after_its_batch_was_made_stops_the_export_with_a_clear_error(
        app: Flask, runner: object, tmp_path: Path) -> None:
    letter = add("Brev-senare")
    db.session.commit()
    day = today().isoformat()
    first = runner.invoke(args=["letters", "export", "--date", day, "--out", str(tmp_path / "a")])  # type: ignore[attr-defined]
    assert first.exit_code == 0, first.output
    stored_letter_path(app, letter).write_bytes(b"%PDF-1.7 not the letter")
    out = tmp_path / "b"
    result = runner.invoke(args=["letters", "export", "--date", day, "--out", str(out)])  # type: ignore[attr-defined]
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"brev {letter.id}" in result.output and "återställ filen från säkerhetskopian" in result.output
    assert not any(path.is_file() for path in out.rglob("*"))  # no half-written print file
    db.session.expire_all()
    assert db.session.get(Letter, letter.id).status == LetterStatus.EXPORTED  # type: ignore[union-attr]


def test_cli_names_the_letters_left_out(app: Flask, runner: object, tmp_path: Path) -> None:
    add("Brev-ok")
    damaged = add("Brev-skadat")
    db.session.commit()
    stored_letter_path(app, damaged).unlink()
    result = runner.invoke(args=["letters", "export", "--date", today().isoformat(), "--out", str(tmp_path)])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert f"Inte med: 1 brev med skadad fil ({damaged.id})" in result.output


def test_protection_stops_a_letter_set_aside_for_its_file(app: Flask, tmp_path: Path) -> None:
    # Restored and checked again, it would print with the address that protection must keep off paper.
    letter = add("Brev-adress")
    db.session.commit()
    stored_letter_path(app, letter).unlink()
    print_batch.claim_batch(today())
    assert letter.status == LetterStatus.FILE_DAMAGED
    assert service.withdraw_letter(letter.id) is True
    assert letter.status == LetterStatus.CANCELLED
