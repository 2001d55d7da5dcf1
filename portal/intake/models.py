"""Intake items, their history, intake meetings, delay notices and hand-offs."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.people import Person
from portal.search_keys import NameKeys, keep_name_keys

# Items without any deadline sort last; a real date (not NULL) keeps keyset pagination on one index.
NO_DEADLINE = date(9999, 12, 31)


class Source(StrEnum):
    """Where an intake item came from."""

    E_APPLICATION = "e_application"
    OUTREACH = "outreach"
    PHONE = "phone"
    WALK_IN = "walk_in"


class State(StrEnum):
    """Where an item is in the reception's work."""

    NEW = "new"
    IN_REVIEW = "in_review"
    WAITING_FOR_RESIDENT = "waiting_for_resident"
    READY_FOR_ASSIGNMENT = "ready_for_assignment"
    ASSIGNED = "assigned"
    HANDED_OVER = "handed_over"
    CLOSED = "closed"


OPEN_STATES = frozenset({State.NEW, State.IN_REVIEW, State.WAITING_FOR_RESIDENT, State.READY_FOR_ASSIGNMENT,
                         State.ASSIGNED})


class Urgency(StrEnum):
    """How urgent the person's situation is (no food today, no place to sleep tonight)."""

    NORMAL = "normal"
    NO_MONEY_FOR_FOOD = "no_money_for_food"
    NO_PLACE_TO_SLEEP = "no_place_to_sleep"
    EVICTION_RISK = "eviction_risk"


class HandoffStatus(StrEnum):
    """Where a hand-off to the case system stands."""

    PENDING = "pending"
    RETRY = "retry"
    DELIVERED = "delivered"


FILTER_COLUMNS = ("warn_on", "source", "urgency")


class IntakeItem(NameKeys, Base):
    """One new thing in the reception's queue.

    `source_key` identifies what created the item ("application:17", "notice:42"); it is unique, so creating
    the item for the same source twice (a double submit, a second scheduler) is refused by the database.
    `due_on` and `warn_on` are the effective deadline and the day 75 % of its time is used, stored so the
    queue can filter and sort by deadline on an index; they are recomputed whenever an input changes.
    """

    __tablename__ = "intake_item"
    __table_args__ = (
        UniqueConstraint("source_key"),
        # The queue's pages in deadline order, open or by state, and by where items came from (phone,
        # e-application, outreach). The columns after the order are the other filters: a filtered page's
        # capped count is read from the index alone, instead of checking up to a thousand rows in the table
        # ("on track", no other filter: 21.6 -> 2.7 ms on SQLite at 50,000 items).
        Index("ix_intake_item_open_due", "is_open", "due_on", "id", *FILTER_COLUMNS),
        Index("ix_intake_item_open_source_due", "is_open", "source", "due_on", "id", "warn_on", "urgency"),
        Index("ix_intake_item_state_due", "state", "due_on", "id", *FILTER_COLUMNS),
        Index("ix_intake_item_urgency_due", "urgency", "due_on", "id"),
        Index("ix_intake_item_assigned_state", "assigned_to_id", "state"),
        # The board counts each caseworker's cases of the last 30 days from this index alone: with the
        # caseworker in it, SQLite need not read thousands of rows for it (7 of the board's 19 ms).
        Index("ix_intake_item_assigned_at_caseworker", "assigned_at", "assigned_to_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[Source] = mapped_column(String(20), index=True)
    source_key: Mapped[str] = mapped_column(String(80))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    state: Mapped[State] = mapped_column(String(30), default=State.NEW, index=True)
    is_open: Mapped[bool] = mapped_column(default=True)
    urgency: Mapped[Urgency] = mapped_column(String(30), default=Urgency.NORMAL)
    priority: Mapped[int] = mapped_column(default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(8))
    # Only for an item with no person (a caller who gave no personnummer), like the contact_* columns: a person's
    # need is held once, on the person (portal.interpreter.for_item reads either).
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(100))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    legal_deadline: Mapped[date | None] = mapped_column(index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The deadline clock: documents complete starts it, waiting for the resident pauses it.
    documents_complete_on: Mapped[date | None]
    waiting_since: Mapped[date | None]
    paused_working_days: Mapped[int] = mapped_column(default=0)
    due_on: Mapped[date] = mapped_column(default=NO_DEADLINE)
    warn_on: Mapped[date] = mapped_column(default=NO_DEADLINE)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The state the item had when it was claimed, if claiming changed it (new -> in review): releasing it
    # returns it there, so an item nobody holds is never left "Granskas".
    claimed_from_state: Mapped[State | None] = mapped_column(String(30))
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    close_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: a stale page (another user changed the item) is detected, not overwritten.
    version: Mapped[int] = mapped_column(default=1)

    person: Mapped[Person | None] = relationship()
    events: Mapped[list[IntakeEvent]] = relationship(back_populates="item", order_by="IntakeEvent.id")

    __mapper_args__ = {"version_id_col": version}


class IntakeEvent(Base):
    """One entry in an item's history: who did what, when."""

    __tablename__ = "intake_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("intake_item.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_label: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[IntakeItem] = relationship(back_populates="events")


class IntakeMeeting(Base):
    """One intake meeting (intake-möte): the coordinator's session of assignments on one day."""

    __tablename__ = "intake_meeting"
    __table_args__ = (UniqueConstraint("held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date]
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    decisions: Mapped[list[MeetingDecision]] = relationship(order_by="MeetingDecision.id")


class MeetingDecision(Base):
    """Who decided at which meeting that an item goes to which caseworker."""

    __tablename__ = "intake_meeting_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("intake_meeting.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("intake_item.id", ondelete="CASCADE"), index=True)
    caseworker_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DelayNotice(Base):
    """A notice to the resident that the decision will be seriously delayed (11 § förvaltningslagen)."""

    __tablename__ = "intake_delay_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("intake_item.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    expected_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # "email" when delivered by e-mail; "manual" when staff must send it by post or phone (no address known).
    channel: Mapped[str] = mapped_column(String(20))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    error: Mapped[str | None] = mapped_column(Text)


class Handoff(Base):
    """An item's hand-off to the case system; `handoff_id` is the stable id the receiver de-duplicates on."""

    __tablename__ = "intake_handoff"
    __table_args__ = (UniqueConstraint("item_id"), UniqueConstraint("handoff_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("intake_item.id", ondelete="CASCADE"))
    handoff_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[HandoffStatus] = mapped_column(String(20), default=HandoffStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str | None] = mapped_column(String(500))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


keep_name_keys(IntakeItem, "contact_name")
