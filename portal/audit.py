"""The audit log: who read or changed which person's data, when, and from where.

Events are written in the same transaction as what they record (a read is recorded before the page is
rendered), so there is never a change without its event. The table is append-only: the ORM refuses to
update or delete rows, there are no routes that edit it, and database triggers refuse it too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import has_request_context, request, session
from sqlalchemy import ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, UTCDateTime, db, utcnow


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


class AppendOnlyError(RuntimeError):
    """Something tried to change or delete an audit event."""


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AppendOnlyError("audit events cannot be changed or deleted")


def _actor() -> tuple[str, int | None, str]:
    if has_request_context():
        if session.get("staff_id"):
            return "staff", int(session["staff_id"]), str(session.get("staff_email", ""))
        if session.get("person_id"):
            return "resident", int(session["person_id"]), "resident"
        return "anonymous", None, "anonymous"
    return "system", None, "system"


def record(action: str, *, person_id: int | None = None, object_type: str | None = None,
           object_id: object = None, detail: str | None = None, actor: tuple[str, int | None, str] | None = None,
           ) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits it with the change)."""
    kind, actor_id, label = actor or _actor()
    remote = request.remote_addr if has_request_context() else None
    entry = AuditEvent(actor_kind=kind, actor_id=actor_id, actor_label=label, action=action,
                       person_id=person_id, object_type=object_type,
                       object_id=None if object_id is None else str(object_id),
                       remote_addr=remote, detail=detail)
    db.session.add(entry)
    return entry


def record_read(action: str, *, person_id: int | None, object_type: str, object_id: object) -> None:
    """Record a staff read of a person's data and commit it at once (reads have no other transaction)."""
    record(action, person_id=person_id, object_type=object_type, object_id=object_id)
    db.session.commit()
