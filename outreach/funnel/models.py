"""What the funnel records that nothing else does: returned letters and letter-variant tests and assignments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class ReturnSource(StrEnum):
    """How staff named the returned letter: its QR code's address, its rebooking code, or its number."""

    QR = "qr"
    CODE = "code"
    NUMBER = "number"


class LetterReturn(Base):
    """A letter the post brought back undelivered (retur). One per letter: scanning it again changes nothing.

    The address stays doubtful for the flat (`tenancy_key`) until staff confirm it; until then the next letter
    to it waits for staff (outreach.funnel.returns).
    """

    __tablename__ = "letter_return"

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("letter.id", ondelete="CASCADE"), unique=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), index=True)
    tenancy_key: Mapped[str] = mapped_column(String(220), index=True)
    source: Mapped[ReturnSource] = mapped_column(String(10))
    returned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    address_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    address_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))


class LetterVariant(Base):
    """An administrator's variant of the first letter's heading and opening for one notice kind, in every
    language, given to `share_percent` of new notices of that kind while it runs.

    The partial unique index allows one running test per notice kind; `seed` makes each notice's draw
    reproducible (outreach.funnel.variants.draw).
    """

    __tablename__ = "letter_variant"
    __table_args__ = (
        Index("uq_letter_variant_running_kind", "notice_kind", unique=True,
              postgresql_where=text("stopped_at IS NULL"), sqlite_where=text("stopped_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    # {"sv": {"heading": "...", "opening": "..."}, "en": {...}, ...}: every configured language.
    texts: Mapped[dict[str, Any]] = mapped_column(JSON)
    share_percent: Mapped[int]
    seed: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))


class Arm(StrEnum):
    """Which letter a notice in a variant test got."""

    STANDARD = "standard"
    VARIANT = "variant"


class VariantAssignment(Base):
    """Which arm of a running test a notice drew, recorded when its first letter was written (one per notice)."""

    __tablename__ = "letter_variant_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"), unique=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("letter_variant.id", ondelete="CASCADE"), index=True)
    arm: Mapped[Arm] = mapped_column(String(10))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
