"""The audit log: who read or changed which person's data, when, and from where.

Events are written in the same transaction as what they record (a read is recorded before the page is
rendered), so there is never a change without its event. The table is append-only: the ORM refuses to
update or delete rows, there are no routes that edit it, and database triggers refuse it too.

Events are also chained by hash: each event's hash covers its content and the previous event's hash, and a
one-row head holds the position and hash of the last event. Whoever edits, deletes or inserts rows directly in
the database (around the triggers) breaks the chain, and `portal audit verify` finds where.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import g, has_request_context, request, session
from sqlalchemy import ForeignKey, String, Text, bindparam, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, UTCDateTime, db, utcnow

GENESIS = "0" * 64


class AuditEvent(Base):
    """One recorded action."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_kind: Mapped[str] = mapped_column(String(20))  # staff, resident, system
    actor_id: Mapped[int | None]
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(64))
    remote_addr: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    chain_seq: Mapped[int] = mapped_column(unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    def content_hash(self) -> str:
        """The hash over this event's content and the previous hash."""
        fields = [self.prev_hash, str(self.chain_seq), self.at.isoformat(), self.actor_kind, str(self.actor_id),
                  self.actor_label, self.action, str(self.person_id), str(self.object_type), str(self.object_id),
                  str(self.remote_addr), str(self.detail)]
        return hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()


class AuditChainHead(Base):
    """The position and hash of the last audit event (one row, id 1).

    Updating it first in `record()` takes its row lock on PostgreSQL and the write lock on SQLite, so events
    from concurrent transactions are chained one after another, never forked.
    """

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int]
    last_hash: Mapped[str] = mapped_column(String(64))


class AppendOnlyError(RuntimeError):
    """Something tried to change or delete an audit event."""


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AppendOnlyError("audit events cannot be changed or deleted")


def _actor() -> tuple[str, int | None, str]:
    if has_request_context():
        staff = g.get("staff")
        if staff is not None:
            return "staff", int(staff.id), str(staff.email)
        if session.get("staff_id"):
            return "staff", int(session["staff_id"]), ""
        if session.get("person_id"):
            return "resident", int(session["person_id"]), "resident"
        return "anonymous", None, "anonymous"
    return "system", None, "system"


@functools.cache
def _head_updates() -> tuple[Any, Any]:
    """The two statements that move the chain head, built once: building them anew cost a fifth of each event.

    Plain updates: the head is never loaded as an object by the code that records, so there is nothing in the
    session to keep in step with them."""
    plain = {"synchronize_session": False}
    advance = (update(AuditChainHead).where(AuditChainHead.id == 1).values(seq=AuditChainHead.seq + 1)
               .returning(AuditChainHead.seq, AuditChainHead.last_hash).execution_options(**plain))
    set_hash = (update(AuditChainHead).where(AuditChainHead.id == 1).values(last_hash=bindparam("new_hash"))
                .execution_options(**plain))
    return advance, set_hash


def record(action: str, *, person_id: int | None = None, object_type: str | None = None,
           object_id: object = None, detail: str | None = None, actor: tuple[str, int | None, str] | None = None,
           ) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits it with the change)."""
    kind, actor_id, label = actor or _actor()
    remote = request.remote_addr if has_request_context() else None
    advance, set_hash = _head_updates()
    seq, prev_hash = db.session.execute(advance).one()
    entry = AuditEvent(at=utcnow(), actor_kind=kind, actor_id=actor_id, actor_label=label[:254], action=action,
                       person_id=person_id, object_type=object_type,
                       object_id=None if object_id is None else str(object_id),
                       remote_addr=remote, detail=detail, chain_seq=seq, prev_hash=prev_hash)
    entry.hash = entry.content_hash()
    db.session.execute(set_hash, {"new_hash": entry.hash})
    db.session.add(entry)
    return entry


def record_read(action: str, *, person_id: int | None, object_type: str, object_id: object,
                detail: str | None = None) -> None:
    """Record a staff read of a person's data and commit it at once; for transactions that changed nothing else.

    A read changes nothing, so the rows the request loaded are still what the database holds: they are kept as
    loaded rather than expired by the commit (SQLAlchemy's default), which cost a list page about as much as
    recording the read, more the more rows it shows. The session ends with the request."""
    record(action, person_id=person_id, object_type=object_type, object_id=object_id, detail=detail)
    session = db.session()
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expiring


def record_list_read(action: str, *, person_ids: set[int], object_type: str, object_id: object) -> None:
    """Record that a staff member saw these people in a list, and commit it.

    One event per page view names every person shown (detail "persons=3,17,…") rather than one per person (25
    chained writes per page would make the lists the slowest pages), except that each person with protected
    identity shown gets an event of their own: the monthly review must count every read of a protected person.
    """
    from portal.people import Person, Protection

    persons = sorted(person_ids)
    if not persons:
        return
    protected = db.session.scalars(select(Person.id).where(Person.id.in_(persons),
                                                          Person.protection != Protection.NONE)).all()
    for person_id in protected:
        record(action, person_id=person_id, object_type=object_type, object_id=object_id, detail="i en lista")
    record_read(action, person_id=None, object_type=object_type, object_id=object_id,
                detail="persons=" + ",".join(str(p) for p in persons))


@dataclass(frozen=True)
class ChainProblem:
    """Where the audit chain is broken, and how."""

    chain_seq: int
    problem: str


def verify_chain(batch: int = 5000) -> tuple[int, list[ChainProblem]]:
    """Walk the whole chain; returns how many events were checked and every break found."""
    problems: list[ChainProblem] = []
    expected_seq, prev = 1, GENESIS
    checked = 0
    last_seq = 0
    while True:
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.chain_seq > last_seq)
                                    .order_by(AuditEvent.chain_seq).limit(batch)).all()
        if not events:
            break
        for entry in events:
            checked += 1
            if entry.chain_seq != expected_seq:
                problems.append(ChainProblem(expected_seq, f"events {expected_seq}–{entry.chain_seq - 1} missing"))
            if entry.prev_hash != prev:
                problems.append(ChainProblem(entry.chain_seq, "does not follow the previous event"))
            if entry.content_hash() != entry.hash:
                problems.append(ChainProblem(entry.chain_seq, "content changed after it was written"))
            prev, expected_seq, last_seq = entry.hash, entry.chain_seq + 1, entry.chain_seq
        db.session.expunge_all()
    head = db.session.get(AuditChainHead, 1)
    if head is None:
        problems.append(ChainProblem(0, "the chain head is missing"))
    elif head.seq != expected_seq - 1 or head.last_hash != prev:
        problems.append(ChainProblem(head.seq, "the newest events were removed (the head points past the end)"))
    return checked, problems
