"""Letters and print batches."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.storage import StoredFile


class LetterKind(StrEnum):
    """Which letter it is."""

    OUTREACH_FIRST = "outreach_first"
    OUTREACH_SECOND = "outreach_second"
    APPOINTMENT_CHANGED = "appointment_changed"
    DELAY_NOTICE = "delay_notice"
    APPLICATION_RECEIPT = "application_receipt"


class LetterStatus(StrEnum):
    """Where a letter stands; only `queued` letters go into the next print batch.

    `file_damaged`: the stored PDF was missing or did not match its sha256 when the day's batch was made, so the
    letter was left out rather than stopping every other letter of the day; it waits until staff check its file
    again (restored from backup: queued for the next batch) or stop it.
    """

    AWAITING_APPROVAL = "awaiting_approval"
    QUEUED = "queued"
    EXPORTED = "exported"
    CANCELLED = "cancelled"
    FILE_DAMAGED = "file_damaged"


class PrintBatch(Base):
    """One print day's export; recorded so that exporting the day again gives the same letters."""

    __tablename__ = "letter_print_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    letter_count: Mapped[int]
    pages: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Letter(Base):
    """One letter: the PDF in storage, its sha256 and pages, and its place in the print flow."""

    __tablename__ = "letter"
    __table_args__ = (Index("ix_letter_status_id", "status", "id"),
                      Index("ix_letter_reference", "reference"))  # the staff search finds a letter by it

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[LetterKind] = mapped_column(String(30))
    dedup_key: Mapped[str] = mapped_column(String(120), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    language: Mapped[str] = mapped_column(String(10))
    template_version: Mapped[str] = mapped_column(String(40))
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int]
    status: Mapped[LetterStatus] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(120), default="")
    # Whether the PDF prints a postal address; such a letter is withheld (never served or printed again) once
    # its person or tenancy becomes protected.
    address_printed: Mapped[bool] = mapped_column(default=False, server_default=false())
    withheld: Mapped[bool] = mapped_column(default=False, server_default=false())
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("letter_print_batch.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    exported_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    stored_file: Mapped[StoredFile] = relationship()
