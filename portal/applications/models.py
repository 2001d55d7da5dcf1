"""The e-application (e-ansökan) and its document checklist."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow


class Status(StrEnum):
    """Where an application stands, as the resident sees it."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    DOCUMENTS_COMPLETE = "documents_complete"
    DECIDED = "decided"
    CLOSED = "closed"


class Kind(StrEnum):
    """A first application, or a repeat application (the household applied recently)."""

    FIRST = "first"
    REPEAT = "repeat"


class PersonRole(StrEnum):
    """Whose document a checklist item asks for."""

    APPLICANT = "applicant"
    CO_APPLICANT = "co_applicant"


class ItemState(StrEnum):
    """Where one document on the checklist stands."""

    MISSING = "missing"
    LATER = "later"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    NEW_COPY_REQUESTED = "new_copy_requested"


# States in which the resident still has to send something.
OUTSTANDING = frozenset({ItemState.MISSING, ItemState.LATER, ItemState.NEW_COPY_REQUESTED})


class Application(Base):
    """One application for ekonomiskt bistånd, from the first question to the decision.

    `answers` holds each question page's answers under the page's key, saved as soon as the page is sent,
    so the resident can leave and go on from another device. `reference` is what the resident quotes.
    """

    __tablename__ = "application"
    __table_args__ = (
        UniqueConstraint("reference"),
        Index("ix_application_person_status", "person_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    co_applicant_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    co_applicant_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[Status] = mapped_column(String(30), default=Status.DRAFT)
    kind: Mapped[Kind] = mapped_column(String(20), default=Kind.FIRST)
    previous_application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"))
    language: Mapped[str] = mapped_column(String(8), default="sv")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reference: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    intake_item_id: Mapped[int | None] = mapped_column(ForeignKey("intake_item.id"))
    # Outside the unit's area: still registered (never refused), flagged so staff refer it on.
    outside_area: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str | None] = mapped_column(String(254))
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    checklist: Mapped[list[ChecklistItem]] = relationship(back_populates="application", order_by="ChecklistItem.id",
                                                          cascade="all, delete-orphan")


class ChecklistItem(Base):
    """One document the application needs: built by a checklist rule, or asked for by staff (`extra`)."""

    __tablename__ = "checklist_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    person_role: Mapped[PersonRole | None] = mapped_column(String(20))
    state: Mapped[ItemState] = mapped_column(String(30), default=ItemState.MISSING)
    reason: Mapped[str | None] = mapped_column(Text)
    extra: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str | None] = mapped_column(Text)
    later_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship(back_populates="checklist")


class Author(StrEnum):
    """Who wrote a message on an application."""

    RESIDENT = "resident"
    STAFF = "staff"


class ApplicationMessage(Base):
    """A message between the resident and the reception about one application.

    Messages live only here, behind the resident's e-ID login: e-mail only ever says that something new is
    waiting (the mailbox may be shared), never what.
    """

    __tablename__ = "application_message"
    # Unread messages are few at any time; the queue page finds them without reading the rest.
    __table_args__ = (Index("ix_application_message_unread", "read_at", "author"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    author: Mapped[Author] = mapped_column(String(10))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the other side first saw it: the resident on the status page, staff on the intake item.
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
