"""Keyword-only factories for intake tests."""

from __future__ import annotations

from datetime import date, datetime

from portal.db import db
from portal.intake.models import IntakeItem, Source, State, Urgency
from portal.intake.service import add_intake_item, refresh_deadlines, set_state

_counter = {"n": 0}


def create_item(*, source: Source = Source.PHONE, person_id: int | None = None, state: State = State.NEW,
                urgency: Urgency = Urgency.NORMAL, summary: str = "Behöver hjälp", language: str | None = "sv",
                received_at: datetime | None = None, legal_deadline: date | None = None,
                documents_complete_on: date | None = None, source_key: str | None = None) -> IntakeItem:
    """A committed intake item."""
    _counter["n"] += 1
    item = add_intake_item(source=source, source_key=source_key or f"test:{_counter['n']}", person_id=person_id,
                           summary=summary, urgency=urgency, language=language, legal_deadline=legal_deadline,
                           received_at=received_at)
    item.documents_complete_on = documents_complete_on
    set_state(item, state)
    refresh_deadlines(item)
    db.session.commit()
    return item
