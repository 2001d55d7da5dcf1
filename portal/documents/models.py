"""A document a resident uploaded for one checklist item, and what staff decided about it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.applications.models import ChecklistItem
from portal.db import Base, UTCDateTime, utcnow
from portal.storage import StoredFile


class DocumentStatus(StrEnum):
    """Where one uploaded file stands in the reception's review."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Document(Base):
    """One checked, stored file for a checklist item.

    `media_type` and `size` are those of what was stored (an image is stored re-encoded, HEIC as JPEG);
    `original_name` is the resident's file name made safe, kept only to show it.
    """

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    checklist_item_id: Mapped[int] = mapped_column(ForeignKey("checklist_item.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"))
    original_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[DocumentStatus] = mapped_column(String(20), default=DocumentStatus.RECEIVED)
    # Why staff asked for a new copy: a code from portal.documents.reasons, and staff's own words.
    reason_code: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    uploaded_by_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    checklist_item: Mapped[ChecklistItem] = relationship()
    stored_file: Mapped[StoredFile] = relationship()
