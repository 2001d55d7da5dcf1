"""Letters: store a rendered PDF once per dedup key, review, cancel, and read back."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from datetime import datetime

from flask import current_app
from pypdf import PdfReader
from sqlalchemy import func, select

from portal import audit
from portal.db import db, utcnow
from portal.letters.models import Letter, LetterKind, LetterStatus
from portal.pdf import RenderedPdf
from portal.storage import get_storage, read_chunks, store_file

MAX_LETTER_BYTES = 10 * 1024 * 1024


class LetterError(ValueError):
    """A letter cannot be changed as asked."""


class LetterFileDamaged(LetterError):
    """A letter's stored PDF is missing, cannot be read, or does not match the sha256 stored with the letter."""


class LetterWithheld(LetterError):
    """The letter carries an address that is now protected: staff are not shown it (the refusal is logged)."""


def get_letter(letter_id: int) -> Letter | None:
    """The letter with this id, if any."""
    return db.session.get(Letter, letter_id)


def open_for_staff(letter_id: int) -> tuple[Letter, bytes] | None:
    """A letter and its PDF exactly as it will be printed, for a staff preview, with the read in the access log
    (committed); None when there is no such letter.

    LetterWithheld when its address is now protected (the refused read is logged too), LetterFileDamaged when
    its stored file is damaged (nothing was read)."""
    from portal.protection import letter_is_withheld

    letter = get_letter(letter_id)
    if letter is None:
        return None
    if letter_is_withheld(letter):
        audit.record_read("letter.read_refused", person_id=letter.person_id, object_type="letter",
                          object_id=letter.id, detail="skyddade personuppgifter")
        raise LetterWithheld(f"brev {letter.id} har en adress som nu är skyddad")
    data = read_letter_pdf(letter)
    audit.record_read("letter.read", person_id=letter.person_id, object_type="letter", object_id=letter.id)
    return letter, data


def count_pages(pdf: bytes) -> int:
    """The number of pages of a PDF."""
    if isinstance(pdf, RenderedPdf):
        return pdf.pages
    return len(PdfReader(io.BytesIO(pdf)).pages)


def get_letter_by_dedup_key(dedup_key: str) -> Letter | None:
    """The letter written for this key, if any."""
    return db.session.scalar(select(Letter).where(Letter.dedup_key == dedup_key))


def add_letter(*, kind: str, dedup_key: str, person_id: int | None, language: str, pdf: bytes,
               template_version: str, reference: str, address_printed: bool = False, hold: bool = False) -> Letter:
    """Store the PDF and add its letter (no commit); the same dedup key returns the existing letter.

    With PORTAL_LETTER_APPROVAL=on, or `hold` (an address the post brought a letter back from), the letter waits
    for staff approval, otherwise it is queued for printing.
    """
    existing = get_letter_by_dedup_key(dedup_key)
    if existing is not None:
        return existing
    if not pdf.startswith(b"%PDF-"):
        raise LetterError("not a PDF")
    stored = store_file([pdf], media_type="application/pdf", original_name=f"{kind}.pdf",
                        max_bytes=MAX_LETTER_BYTES)
    db.session.flush()
    waits = hold or current_app.config.get("LETTER_APPROVAL")
    status = LetterStatus.AWAITING_APPROVAL if waits else LetterStatus.QUEUED
    letter = Letter(kind=LetterKind(kind), dedup_key=dedup_key, person_id=person_id, language=language,
                    template_version=template_version, stored_file_id=stored.id,
                    sha256=hashlib.sha256(pdf).hexdigest(), pages=count_pages(pdf), status=status,
                    reference=reference, address_printed=address_printed, created_at=utcnow())
    db.session.add(letter)
    db.session.flush()
    return letter


def read_letter_pdf(letter: Letter) -> bytes:
    """The stored PDF bytes of a letter, checked against its sha256 (LetterFileDamaged when they are not it)."""
    stored = letter.stored_file
    try:
        with get_storage().open(stored.key) as handle:
            data = b"".join(read_chunks(handle))
    except OSError as error:
        raise LetterFileDamaged(f"brev {letter.id}: filen {stored.key} går inte att läsa "
                                f"({error.strerror or error})") from error
    if hashlib.sha256(data).hexdigest() != letter.sha256:
        raise LetterFileDamaged(f"brev {letter.id}: filen {stored.key} är inte den som sparades (sha256)")
    return data


def letter_file_problem(letter: Letter) -> str | None:
    """Why the letter's stored PDF cannot be printed, or None when it reads back whole."""
    try:
        read_letter_pdf(letter)
    except LetterFileDamaged as error:
        return str(error)
    return None


def set_aside_damaged(letter: Letter, problem: str) -> None:
    """Keep a letter whose file is damaged out of printing until staff check it again (no commit)."""
    letter.status = LetterStatus.FILE_DAMAGED
    audit.record("letter.file_damaged", person_id=letter.person_id, object_type="letter", object_id=letter.id,
                 detail=problem)


def check_letter_file_again(letter_id: int) -> Letter:
    """A letter set aside for a damaged file goes back in the print queue once its file reads back whole
    (commits with an audit event); LetterFileDamaged while it still does not."""
    return _set_status(letter_id, LetterStatus.QUEUED, {LetterStatus.FILE_DAMAGED}, "letter.file_restored",
                       check=read_letter_pdf)


def list_letters(status: LetterStatus | None = None, limit: int = 200) -> list[Letter]:
    """Letters, newest first, optionally of one status."""
    query = select(Letter).order_by(Letter.id.desc()).limit(limit)
    if status is not None:
        query = query.where(Letter.status == status)
    return list(db.session.scalars(query))


def count_letters(status: LetterStatus) -> int:
    """How many letters have this status."""
    return db.session.scalar(select(func.count()).select_from(Letter).where(Letter.status == status)) or 0


def _set_status(letter_id: int, new: LetterStatus, allowed: set[LetterStatus], action: str,
                check: Callable[[Letter], object] | None = None) -> Letter:
    """Move a letter on under its row lock; a second click changes nothing. `check` may refuse with LetterError."""
    letter = db.session.get(Letter, letter_id, with_for_update=True)
    if letter is None:
        raise LetterError("brevet finns inte")
    if letter.status == new:
        return letter
    if letter.status not in allowed:
        raise LetterError(f"brevet har status {letter.status}")
    if check is not None:
        check(letter)
    letter.status = new
    audit.record(action, person_id=letter.person_id, object_type="letter", object_id=letter.id)
    db.session.commit()
    return letter


def approve_letter(letter_id: int) -> Letter:
    """Release a letter that waits for approval to the print queue (commits with an audit event)."""
    return _set_status(letter_id, LetterStatus.QUEUED, {LetterStatus.AWAITING_APPROVAL}, "letter.approve")


def cancel_letter(letter_id: int) -> Letter:
    """Stop a letter that has not been exported yet (commits with an audit event)."""
    return _set_status(letter_id, LetterStatus.CANCELLED,
                       {LetterStatus.AWAITING_APPROVAL, LetterStatus.QUEUED, LetterStatus.FILE_DAMAGED},
                       "letter.cancel")


def mark_exported(letters: list[Letter], batch_id: int, at: datetime) -> None:
    """Put letters into a batch (no commit)."""
    for letter in letters:
        letter.status = LetterStatus.EXPORTED
        letter.batch_id = batch_id
        letter.exported_at = at


def withdraw_letter(letter_id: int) -> bool:
    """Stop a letter that has not been printed yet (no commit); False when it already went to print."""
    letter = db.session.get(Letter, letter_id, with_for_update=True)
    # A letter set aside for a damaged file would print once restored: it is stopped too.
    if letter is None or letter.status not in (LetterStatus.AWAITING_APPROVAL, LetterStatus.QUEUED,
                                               LetterStatus.FILE_DAMAGED):
        return False
    letter.status = LetterStatus.CANCELLED
    audit.record("letter.cancel", person_id=letter.person_id, object_type="letter", object_id=letter.id,
                 detail="skyddade personuppgifter")
    return True
