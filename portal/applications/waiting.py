"""What is waiting for the resident: the "My applications" page lists each thing they can do next.

A plain function over the resident's applications, so tests call it directly; the page turns each entry into
a sentence and a button. Booked times come from the booking area through a source registered on the app
(`add_time_source`), so this area never imports booking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from flask import Flask, current_app

from portal.applications import messages
from portal.applications.models import Application, Author, ChecklistItem, ItemState, Status

TIME_SOURCES = "portal.applications.time_sources"

# (intake item ids) -> [(intake item id, starts at)] of times still to come.
TimeSource = Callable[[Iterable[int]], list[tuple[int, datetime]]]


class Kind(StrEnum):
    """What the resident is asked to do."""

    NEW_COPY = "new_copy"
    MISSING = "missing"
    MESSAGE = "message"
    CONFIRM = "confirm"
    BOOKED = "booked"


@dataclass(frozen=True)
class Waiting:
    """One thing waiting for the resident, on one application."""

    kind: Kind
    application: Application
    item: ChecklistItem | None = None
    count: int = 0
    starts_at: datetime | None = None


def add_time_source(app: Flask, source: TimeSource) -> None:
    """Let another area (booking) say which times are booked for the residents' intake items."""
    app.extensions.setdefault(TIME_SOURCES, []).append(source)


def _booked(applications: list[Application]) -> list[Waiting]:
    by_item = {a.intake_item_id: a for a in applications if a.intake_item_id is not None}
    if not by_item:
        return []
    found: list[Waiting] = []
    sources: list[Any] = current_app.extensions.get(TIME_SOURCES, [])
    for source in sources:
        for item_id, starts_at in source(list(by_item)):
            found.append(Waiting(Kind.BOOKED, by_item[item_id], starts_at=starts_at))
    return sorted(found, key=lambda w: w.starts_at.timestamp() if w.starts_at else 0.0)


def list_waiting(applications: list[Application], awaiting_confirmation: list[Application]) -> list[Waiting]:
    """Everything the resident should do or know about next, most pressing first.

    New copies asked for by staff come first (with staff's reason), then unread messages, then a partner's
    application to confirm, then booked times, then documents still to send.
    """
    sent = [a for a in applications if a.status not in (Status.DRAFT, Status.CLOSED)]
    new_copies: list[Waiting] = []
    missing: list[Waiting] = []
    unread: list[Waiting] = []
    for application in sent:
        for item in application.checklist:
            if item.state == ItemState.NEW_COPY_REQUESTED:
                new_copies.append(Waiting(Kind.NEW_COPY, application, item=item))
            elif item.state in (ItemState.MISSING, ItemState.LATER) and application.status != Status.DECIDED:
                missing.append(Waiting(Kind.MISSING, application, item=item))
        count = messages.unread_count(application.id, for_author=Author.RESIDENT)
        if count:
            unread.append(Waiting(Kind.MESSAGE, application, count=count))
    confirm = [Waiting(Kind.CONFIRM, a) for a in awaiting_confirmation]
    return [*new_copies, *unread, *confirm, *_booked(sent), *missing]
