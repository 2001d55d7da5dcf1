"""The contact step: book a reception time before the deadline and produce the outreach letter.

Both run inside the pipeline's transaction for the notice, so a crash leaves neither or both; the letter is
stored once per dedup key, so a notice processed twice never gets two letters.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app

from outreach.actions import add_action, escalate, finish, get_action
from outreach.letters import render_outreach_letter
from outreach.notices.models import ActionKind, ActionStatus, NameCheck, Notice, Outcome
from portal.booking.links import code_url, short_url
from portal.booking.service import book_earliest
from portal.letters.service import add_letter
from portal.people import Person

TEMPLATE_VERSION = "outreach-3"  # 3: typeset by Typst


def first_contact(notice: Notice, person: Person, *, intake_item_id: int) -> Outcome:
    """Book before the deadline and write the first letter; no free time before the deadline escalates at once."""
    booking_step = get_action(notice.id, ActionKind.BOOKING)
    if booking_step is not None and booking_step.status == ActionStatus.DONE:
        return notice.outcome
    booked = book_earliest(purpose="outreach", intake_item_id=intake_item_id, deadline=notice.deadline,
                           priority=notice.priority)
    step = booking_step or add_action(notice, ActionKind.BOOKING, status=ActionStatus.PENDING)
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


def letter_language(notice: Notice, person: Person) -> str:
    """The person's language when known (the letter adds it after Swedish), else Swedish."""
    return notice.language or person.language or "sv"


def write_letter(notice: Notice, person: Person, *, kind: str, action: ActionKind,
                 booking_starts_at: datetime | None = None, code: str | None = None) -> bool:
    """Render and store one letter for the notice (idempotent by its dedup key); none for a protected person
    (staff write by hand, through Skatteverket's forwarding)."""
    protected = notice.protected or person.is_protected
    if protected:
        return False
    language = letter_language(notice, person)
    page_lang = language if language in current_app.config["LANGUAGES"] else "sv"
    # Once staff confirmed the person, the letter names them as the reception list and the hand-off do.
    name = (person.name if notice.name_check == NameCheck.CONFIRMED else None) or notice.tenant_name
    pdf = render_outreach_letter(
        kind=kind, language=notice.language or person.language, recipient_name=name,
        address_lines=None if protected else [notice.address, f"{notice.postal_code} {notice.city}"],
        booking_starts_at=booking_starts_at, rebooking_code=code, rebooking_url=short_url() if code else None,
        rebooking_qr_url=code_url(code, page_lang) if code else None,
        recovery_deadline=notice.recovery_deadline, amount_text=notice.amount_text, eviction_at=notice.eviction_at,
        phone=None, reference=notice.reference)
    letter = add_letter(kind=kind, dedup_key=f"notice:{notice.id}:{kind}", person_id=person.id,
                        language=language, pdf=pdf, template_version=TEMPLATE_VERSION, reference=notice.reference,
                        address_printed=not protected)
    step = add_action(notice, action, status=ActionStatus.PENDING)
    finish(step, detail="brev skapat", ref_id=letter.id)
    return True
