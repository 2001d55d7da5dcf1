"""The contact step: book a reception time before the deadline and produce the outreach letter.

Both run inside the pipeline's transaction for the notice, so a crash leaves neither or both; the letter is
stored once per dedup key, so a notice processed twice never gets two letters.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app

from outreach.funnel import variants
from outreach.funnel.returns import address_doubtful
from outreach.letters import render_outreach_letter
from outreach.notices.actions import add_action, escalate, finish, get_action
from outreach.notices.models import ActionKind, ActionStatus, NameCheck, Notice, Outcome
from outreach.notices.state import set_outcome
from portal import interpreter
from portal.booking.links import code_url, short_url
from portal.booking.service import HORIZON_DAYS, book_earliest, open_code
from portal.i18n import person_language, source_language
from portal.letters.print_batch import delivered_by, next_print_day
from portal.letters.service import add_letter
from portal.people import Person
from portal.workdays import add_working_days

# 4: dated on its print day, the text for the notice's kind, time after delivery; 5: the interpreter booked
TEMPLATE_VERSION = "outreach-5"
NO_TIME = "Ingen ledig tid före fristen"


def letter_days(today: date | None = None) -> tuple[date, date]:
    """(print day, first day a time may be booked): the letter leaves in the next batch not yet made, the post
    takes PORTAL_POSTAL_WORKING_DAYS, and the person gets PORTAL_POSTAL_MARGIN_WORKING_DAYS after that."""
    config = current_app.config
    print_day = next_print_day(today)
    arrives = delivered_by(print_day, int(config.get("POSTAL_WORKING_DAYS", 2)))
    return print_day, add_working_days(arrives, int(config.get("POSTAL_MARGIN_WORKING_DAYS", 1)))


def first_contact(notice: Notice, person: Person, *, intake_item_id: int) -> None:
    """Book a time the letter can reach the person before, and before the deadline, and write the first letter;
    the notice is then contacted.

    When no time fits before the deadline the letter still goes: it asks the person to phone or drop in and
    carries a code that picks any free time on the rebooking page; an outreach task is made at once.
    """
    booking_step = get_action(notice.id, ActionKind.BOOKING)
    if booking_step is not None and booking_step.status == ActionStatus.DONE:
        return
    print_day, first_day = letter_days()
    booked = book_earliest(purpose="outreach", intake_item_id=intake_item_id, deadline=notice.deadline,
                           priority=notice.priority, first_day=first_day)
    step = booking_step or add_action(notice, ActionKind.BOOKING, status=ActionStatus.PENDING)
    if booked is None:
        # Never book after the deadline: a time after it is worth nothing to the household. The code lets them
        # take any time that frees up (or a later one: the reception can still help after the deadline).
        booking, code = open_code(purpose="outreach", intake_item_id=intake_item_id, priority=notice.priority,
                                  expires_on=print_day + timedelta(days=HORIZON_DAYS))
        finish(step, detail="ingen ledig tid före fristen: brevet ber personen ringa, komma in eller välja en "
                            "ledig tid med koden", ref_id=booking.id)
        escalate(notice, "Ingen ledig tid i receptionen före fristen")
        add_action(notice, ActionKind.FOLLOWUP_TASK, status=ActionStatus.PENDING,
                   detail=f"{NO_TIME} ({notice.deadline}): ring, skicka sms eller gör hembesök")
        write_letter(notice, person, kind="outreach_first", action=ActionKind.LETTER_FIRST, code=code,
                     print_day=print_day)
        set_outcome(notice, Outcome.CONTACTED, "Brev skrivet; ingen ledig tid före fristen, koden väljer en tid")
        return
    booking, code = booked
    finish(step, detail="tid bokad", ref_id=booking.id)
    write_letter(notice, person, kind="outreach_first", action=ActionKind.LETTER_FIRST,
                 booking_starts_at=booking.starts_at, code=code, print_day=print_day)
    set_outcome(notice, Outcome.CONTACTED, "Tid bokad och brev skrivet")


def letter_language(notice: Notice, person: Person) -> str:
    """The person's language when known (the letter adds it after Swedish), else Swedish."""
    return notice.language or person.language or source_language()


def write_letter(notice: Notice, person: Person, *, kind: str, action: ActionKind,
                 booking_starts_at: datetime | None = None, code: str | None = None,
                 print_day: date | None = None, reason: str | None = None) -> bool:
    """Render and store one letter for the notice (idempotent by its dedup key); none for a protected person
    (staff write by hand, through Skatteverket's forwarding)."""
    protected = notice.protected or person.is_protected
    if protected:
        return False
    language = letter_language(notice, person)
    page_lang = person_language(language)
    # Once staff confirmed the person, the letter names them as the reception list and the hand-off do.
    name = (person.name if notice.name_check == NameCheck.CONFIRMED else None) or notice.tenant_name
    # A running letter-variant test draws the notice's arm when its first letter is written (recorded per notice).
    chosen = variants.texts_for(variants.assign(notice)) if kind == "outreach_first" else None
    pdf = render_outreach_letter(
        kind=kind, language=notice.language or person.language, recipient_name=name,
        address_lines=None if protected else [notice.address, f"{notice.postal_code} {notice.city}"],
        booking_starts_at=booking_starts_at, rebooking_code=code, rebooking_url=short_url() if code else None,
        rebooking_qr_url=code_url(code, page_lang) if code else None,
        recovery_deadline=notice.recovery_deadline, amount_text=notice.amount_text, eviction_at=notice.eviction_at,
        phone=None, reference=notice.reference, dated=print_day or next_print_day(), notice_kind=str(notice.kind),
        reason=reason, deadline=notice.deadline, variant=chosen[1] if chosen else None,
        interpreter_needed=bool(person.interpreter_needed), interpreter_language=interpreter.letter_language(person))
    version = f"{TEMPLATE_VERSION}+variant-{chosen[0]}" if chosen else TEMPLATE_VERSION
    letter = add_letter(kind=kind, dedup_key=f"notice:{notice.id}:{kind}", person_id=person.id,
                        language=language, pdf=pdf, template_version=version, reference=notice.reference,
                        address_printed=not protected, hold=address_doubtful(notice.tenancy_key))
    step = add_action(notice, action, status=ActionStatus.PENDING)
    finish(step, detail="brev skapat", ref_id=letter.id)
    return True
