"""The contact step: book a reception time before the deadline and produce the outreach letter.

This is the one boundary to the booking and letters code (portal.booking, portal.letters, outreach.letters),
which is built separately. While those modules are not installed, the steps are recorded as pending (never
lost) and `retry_pending` completes them on a later pass, once they are there.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from flask import current_app

from outreach.actions import add_action, escalate, finish, get_action
from outreach.notices.models import ActionKind, ActionStatus, Notice, Outcome
from portal.people import Person

WAITING = "väntar: boknings- och brevmodulerna är inte installerade ännu"
TEMPLATE_VERSION = "outreach-1"


@dataclass
class Modules:
    """The booking and letter functions, when installed."""

    book_earliest: Any
    add_letter: Any
    render: Any


def modules() -> Modules | None:
    """The booking and letters functions, or None while they are not installed."""
    try:
        booking = importlib.import_module("portal.booking.service")
        letters = importlib.import_module("portal.letters.service")
        render = importlib.import_module("outreach.letters")
        return Modules(booking.book_earliest, letters.add_letter, render.render_outreach_letter)
    except (ImportError, AttributeError):
        return None


def first_contact(notice: Notice, person: Person, *, intake_item_id: int) -> Outcome:
    """Book before the deadline and write the first letter; no free time before the deadline escalates at once."""
    booking_step = get_action(notice.id, ActionKind.BOOKING)
    if booking_step is not None and booking_step.status == ActionStatus.DONE:
        return notice.outcome
    found = modules()
    if found is None:
        add_action(notice, ActionKind.BOOKING, detail=WAITING, status=ActionStatus.PENDING)
        add_action(notice, ActionKind.LETTER_FIRST, detail=WAITING, status=ActionStatus.PENDING)
        return Outcome.CONTACTED
    booked = found.book_earliest(purpose="outreach", intake_item_id=intake_item_id, deadline=notice.deadline,
                                 priority=notice.priority)
    step = add_action(notice, ActionKind.BOOKING, status=ActionStatus.PENDING)
    if booked is None:
        # Never book after the deadline: a time after it is worth nothing to the household.
        finish(step, detail="ingen ledig tid före fristen")
        escalate(notice, "Ingen ledig tid i receptionen före fristen")
        return Outcome.ESCALATED
    booking, code = booked
    finish(step, detail="tid bokad", ref_id=booking.id)
    write_letter(notice, person, kind="outreach_first", action=ActionKind.LETTER_FIRST,
                 booking_starts_at=booking.starts_at, code=code)
    return Outcome.CONTACTED


def write_letter(notice: Notice, person: Person, *, kind: str, action: ActionKind,
                 booking_starts_at: Any = None, code: str | None = None) -> bool:
    """Render and store one letter for the notice (idempotent by its dedup key); False while not installed."""
    found = modules()
    if found is None:
        add_action(notice, action, detail=WAITING, status=ActionStatus.PENDING)
        return False
    protected = notice.protected or person.is_protected
    base = current_app.config["BASE_URL"]
    pdf = found.render(
        kind=kind, language=notice.language or person.language or "sv", recipient_name=notice.tenant_name,
        address_lines=None if protected else [notice.address, f"{notice.postal_code} {notice.city}"],
        booking_starts_at=booking_starts_at, rebooking_code=code, rebooking_url=f"{base}/sv/",
        recovery_deadline=notice.recovery_deadline, amount_text=notice.amount_text, eviction_at=notice.eviction_at,
        phone=None, reference=notice.reference)
    letter = found.add_letter(kind=kind, dedup_key=f"notice:{notice.id}:{kind}", person_id=person.id,
                              language=notice.language or person.language or "sv", pdf=pdf,
                              template_version=TEMPLATE_VERSION, reference=notice.reference)
    step = add_action(notice, action, status=ActionStatus.PENDING)
    finish(step, detail="brev skapat", ref_id=getattr(letter, "id", None))
    return True
