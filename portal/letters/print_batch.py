"""The daily print batch (FORMATS.md §4): one PDF with every letter on odd pages, plus manifest.csv."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import BinaryIO

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal import audit
from portal.clock import LOCAL_TZ, local_today
from portal.db import db, utcnow
from portal.letters.merged_pdf import MergedPdfWriter
from portal.letters.models import Letter, LetterStatus, PrintBatch
from portal.letters.service import (
    LetterFileDamaged,
    letter_file_problem,
    list_letters,
    mark_exported,
    read_letter_pdf,
    set_aside_damaged,
)
from portal.spreadsheet import safe_row
from portal.workdays import add_working_days, next_working_day

LOCAL = LOCAL_TZ
PDF_NAME = "letters.pdf"
MANIFEST_NAME = "manifest.csv"
A4 = (595.2756, 841.8898)


def _end_of_day_utc(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL).astimezone(UTC)


def next_print_day(today: date | None = None) -> date:
    """The print day of a letter made now: the next working day (today included) whose batch is not made yet.

    A letter made after today's batch was made waits for the next working day's (claim_batch takes every
    queued letter not yet in a batch), so that is the day it leaves, and the day it is dated."""
    day = next_working_day(today or local_today())
    made = set(db.session.scalars(select(PrintBatch.day).where(PrintBatch.day >= day)))
    while day in made:
        day = next_working_day(day + timedelta(days=1))
    return day


def delivered_by(print_day: date, postal_working_days: int) -> date:
    """The working day a letter printed on `print_day` reaches the person by ordinary first-class post."""
    return add_working_days(print_day, postal_working_days)


def claim_batch(day: date) -> tuple[PrintBatch, list[Letter]]:
    """The batch of a print day and its letters in id order; the first call takes every queued letter up to then.

    Letters queued until the end of that day and not yet in a batch belong to it; later ones wait for the next
    day's batch. The unique day keeps two exporters from making two batches (the loser reads the winner's).
    A letter whose stored file is damaged is set aside (`file_damaged`) instead of going in: the batch is fixed
    once made, and one unreadable file must not keep the rest of the day's letters from the printer.
    """
    batch = db.session.scalar(select(PrintBatch).where(PrintBatch.day == day))
    if batch is None:
        queued = db.session.scalars(
            select(Letter).where(Letter.status == LetterStatus.QUEUED, Letter.batch_id.is_(None),
                                 Letter.withheld.is_(False), Letter.created_at < _end_of_day_utc(day))
            .order_by(Letter.id).options(selectinload(Letter.stored_file)).with_for_update()).all()
        letters = []
        for letter in queued:
            problem = letter_file_problem(letter)
            if problem is None:
                letters.append(letter)
            else:
                set_aside_damaged(letter, problem)
        try:
            with db.session.begin_nested():
                batch = PrintBatch(day=day, letter_count=len(letters),
                                   pages=sum(_padded(letter.pages) for letter in letters), created_at=utcnow())
                db.session.add(batch)
        except IntegrityError:
            db.session.rollback()
            return claim_batch(day)
        mark_exported(letters, batch.id, utcnow())
        audit.record("letter.print_batch", object_type="letter_print_batch", object_id=batch.id,
                     detail=f"{day.isoformat()}: {len(letters)} brev")
        db.session.commit()
    else:
        # Printing the same letters again is sometimes right (a jammed printer), but never silent.
        audit.record("letter.print_batch_again", object_type="letter_print_batch", object_id=batch.id,
                     detail=day.isoformat())
        db.session.commit()
    # A letter withheld since (its address became secret) is never printed again, not even in a reprint of its
    # day: that reprint differs from the first by exactly the withheld letters.
    letters = list(db.session.scalars(select(Letter).where(Letter.batch_id == batch.id, Letter.withheld.is_(False))
                                      .order_by(Letter.id).options(selectinload(Letter.stored_file))))
    return batch, letters


def batch_exists(day: date) -> bool:
    """True when the day's print batch has been made."""
    return db.session.scalar(select(PrintBatch.id).where(PrintBatch.day == day).limit(1)) is not None


def list_batches(limit: int = 30) -> list[PrintBatch]:
    """The latest print batches, newest first."""
    return list(db.session.scalars(select(PrintBatch).order_by(PrintBatch.day.desc()).limit(limit)))


def _padded(pages: int) -> int:
    return pages + pages % 2


def write_letters_pdf(day: date, letters: list[Letter], out: BinaryIO) -> None:
    """One PDF of the letters in order, each starting on an odd page, written to `out` as it is made (memory
    stays that of one letter); the same letters give the same bytes."""
    writer = MergedPdfWriter(out)
    for letter in letters:
        if writer.add_pdf(read_letter_pdf(letter)) % 2:
            # Duplex printing: the next letter must start on a fresh sheet.
            writer.add_blank_page(*A4)
    if not letters:
        writer.add_blank_page(*A4)
    # No timestamps or random file IDs, so a re-export is byte-identical.
    writer.finish(title=f"Utskrift {day.isoformat()}")


def manifest_csv(letters: list[Letter]) -> bytes:
    """manifest.csv: letter_id;notice_referens;pages;language;sha256 (pages as in the letter itself)."""
    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=";", lineterminator="\n")
    out.writerow(["letter_id", "notice_referens", "pages", "language", "sha256"])
    for letter in letters:
        # A landlord writes the reference: a formula in it must not run in the print shop's spreadsheet.
        out.writerow(safe_row([letter.id, letter.reference, letter.pages, letter.language, letter.sha256]))
    return buffer.getvalue().encode("utf-8")


def _write_atomic(path: Path, write: Callable[[BinaryIO], object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_print_batch(day: date, out_dir: Path) -> Path:
    """Write the day's print PDF and manifest.csv into out_dir/<day>/ (atomically) and return that folder."""
    _batch, letters = claim_batch(day)
    target = Path(out_dir) / day.isoformat()
    target.mkdir(parents=True, exist_ok=True)
    _write_atomic(target / PDF_NAME, lambda handle: write_letters_pdf(day, letters, handle))
    _write_atomic(target / MANIFEST_NAME, lambda handle: handle.write(manifest_csv(letters)))
    return target


letters_cli = AppGroup("letters", help="Letters on paper: the day's print batch.")


@letters_cli.command("export")
@click.option("--date", "day", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="utskriftsdag")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path))
def export_command(day: datetime, out_dir: Path) -> None:
    """Write the day's print batch: letters.pdf and manifest.csv in OUT/<date>/."""
    try:
        target = export_print_batch(day.date(), out_dir)
    except LetterFileDamaged as error:
        # Only a file damaged after its batch was made gets here (earlier ones were set aside): the batch's
        # contents are fixed, so nothing is written until the file is back.
        raise click.ClickException(f"{error}. Utskriften för {day:%Y-%m-%d} är inte skriven: återställ filen "
                                   "från säkerhetskopian och exportera igen.") from error
    click.echo(f"{target / PDF_NAME}")
    click.echo(f"{target / MANIFEST_NAME}")
    damaged = list_letters(LetterStatus.FILE_DAMAGED)
    if damaged:
        click.echo(f"Inte med: {len(damaged)} brev med skadad fil ({', '.join(str(x.id) for x in damaged)}). "
                   "Återställ filerna och kontrollera breven igen under Brev.", err=True)
