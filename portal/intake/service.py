"""Creating intake items; the reception's work on them builds on this."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.db import db
from portal.intake.models import IntakeEvent, IntakeItem, Source, State, Urgency


def get_item_by_source_key(source_key: str) -> IntakeItem | None:
    """The item created for this source, if any."""
    return db.session.scalar(select(IntakeItem).where(IntakeItem.source_key == source_key))


def add_intake_item(*, source: Source, source_key: str, person_id: int | None, summary: str = "",
                    urgency: Urgency = Urgency.NORMAL, priority: int = 0, language: str | None = None,
                    interpreter_needed: bool = False, legal_deadline: date | None = None,
                    actor_label: str = "system") -> IntakeItem:
    """Add (not commit) a new item to the queue, with its first history entry; the caller's transaction owns it.

    Returns the existing item when one was already created for `source_key`, so a repeated step is harmless;
    the unique constraint on source_key guards against two transactions racing past this check.
    """
    existing = get_item_by_source_key(source_key)
    if existing is not None:
        return existing
    item = IntakeItem(source=source, source_key=source_key, person_id=person_id, summary=summary, urgency=urgency,
                      priority=priority, language=language, interpreter_needed=interpreter_needed,
                      legal_deadline=legal_deadline, state=State.NEW)
    db.session.add(item)
    db.session.flush()
    db.session.add(IntakeEvent(item_id=item.id, actor_label=actor_label, kind="created", detail=source.value))
    return item
