"""Intake items and their history."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.people import Person


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


class Urgency(StrEnum):
    """How urgent the person's situation is (no food today, no place to sleep tonight)."""

    NORMAL = "normal"
    NO_MONEY_FOR_FOOD = "no_money_for_food"
    NO_PLACE_TO_SLEEP = "no_place_to_sleep"
    EVICTION_RISK = "eviction_risk"


class IntakeItem(Base):
    """One new thing in the reception's queue.

    `source_key` identifies what created the item ("application:17", "notice:42"); it is unique, so creating
    the item for the same source twice (a double submit, a second scheduler) is refused by the database.
    """

    __tablename__ = "intake_item"
    __table_args__ = (UniqueConstraint("source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[Source] = mapped_column(String(20), index=True)
    source_key: Mapped[str] = mapped_column(String(80))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    state: Mapped[State] = mapped_column(String(30), default=State.NEW, index=True)
    urgency: Mapped[Urgency] = mapped_column(String(30), default=Urgency.NORMAL)
    priority: Mapped[int] = mapped_column(default=0)
    summary: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str | None] = mapped_column(String(8))
    interpreter_needed: Mapped[bool] = mapped_column(default=False)
    legal_deadline: Mapped[date | None] = mapped_column(index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
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
