"""The notice page's one timeline: arrival, linked notices, steps, moves of its handling (and why), attempts and
the decision, by time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from outreach.casework.forms import CHANNEL_LABELS, DECISION_LABELS, OUTCOME_LABELS, RESULT_LABELS
from outreach.casework.service import list_attempts
from outreach.notices.actions import list_actions
from outreach.notices.models import ActionKind, ActionStatus, Notice, NoticeAction, OutcomeChange
from portal import interpreter
from portal.booking.models import Booking, BookingEvent
from portal.clock import local_format
from portal.db import db
from portal.letters.labels import letter_state
from portal.letters.models import Letter, PrintBatch
from portal.letters.print_batch import next_print_day

ACTION_LABELS = {
    ActionKind.INTAKE_ITEM: "Post i intagskön skapad", ActionKind.BOOKING: "Bokning",
    ActionKind.LETTER_FIRST: "Första brevet", ActionKind.LETTER_SECOND: "Andra brevet",
    ActionKind.CASEWORKER_MAIL: "Handläggaren meddelad per e-post", ActionKind.MANUAL: "Till manuell hantering",
    ActionKind.ESCALATION: "Eskalerad", ActionKind.FOLLOWUP_TASK: "Uppföljningsuppgift för uppsökare",
    ActionKind.DEADLINE_ESCALATION: "Eskalerad inför fristen",
}


LETTER_KINDS = (ActionKind.LETTER_FIRST, ActionKind.LETTER_SECOND)
BOOKING_EVENT_LABELS = {
    "booked": "Tid bokad", "picked": "Tid vald med koden", "moved": "Tiden flyttad", "cancelled": "Tiden avbokad",
    "cancelled_online": "Avbokade på webben (kontakt, behöver en ny tid)", "attended": "Kom till tiden",
    "no_show": "Kom inte till tiden", "code_without_time": "Kod utan tid: personen väljer en ledig tid",
}


@dataclass(frozen=True)
class Entry:
    """One line of the timeline."""

    at: datetime
    title: str
    detail: str


def build(notice: Notice, linked: list[Notice]) -> list[Entry]:
    """Every event of the notice and its case, oldest first."""
    entries = [Entry(notice.created_at, "Underrättelsen kom in", f"{notice.landlord_name}, ref {notice.reference}")]
    for other in linked:
        if other.id != notice.id:
            entries.append(Entry(other.created_at, "Kopplad underrättelse", f"ref {other.reference} ({other.kind})"))
    actions = list_actions(notice.id)
    letters = _letters(actions)
    print_days = _print_days(list(letters.values()))
    entries += _booking_entries(notice, actions)
    for action in actions:
        detail = action.detail
        if action.kind == ActionKind.CASEWORKER_MAIL:
            detail = "skickat" if action.status == ActionStatus.DONE else "väntar på att skickas"
        elif action.status == ActionStatus.PENDING:
            detail = f"{detail} (pågår)"
        elif action.kind in LETTER_KINDS and (letter := letters.get(action.ref_id or 0)) is not None:
            # A letter made is not a letter sent: staff need to see one that was stopped or left out of print.
            detail = f"{detail}, {letter_state(letter)}, {_print_day(letter, print_days)}"
        entries.append(Entry(action.done_at or action.created_at, ACTION_LABELS[action.kind], detail))
    for attempt in list_attempts(notice.id):
        entries.append(Entry(attempt.at, f"Försök: {CHANNEL_LABELS[attempt.channel]}",
                             f"{RESULT_LABELS[attempt.result]}{' – ' + attempt.note if attempt.note else ''}"))
    for move in db.session.scalars(select(OutcomeChange).where(OutcomeChange.notice_id == notice.id)
                                   .order_by(OutcomeChange.id)):
        entries.append(Entry(move.at, f"Läge: {OUTCOME_LABELS[move.outcome]}", move.why))
    for change in interpreter.history(notice.person_id):
        entries.append(Entry(change.at, "Tolkbehov ändrat", change.detail))
    if notice.decision is not None and notice.decided_at is not None:
        entries.append(Entry(notice.decided_at, f"Beslut: {DECISION_LABELS[notice.decision]}",
                             notice.decision_reason or ""))
    return sorted(entries, key=lambda entry: entry.at)


def _letters(actions: list[NoticeAction]) -> dict[int, Letter]:
    """The letters the notice's letter steps made, by id, in one query."""
    ids = [action.ref_id for action in actions if action.kind in LETTER_KINDS and action.ref_id]
    if not ids:
        return {}
    return {letter.id: letter for letter in db.session.scalars(select(Letter).where(Letter.id.in_(ids)))}


def _print_days(letters: list[Letter]) -> dict[int, str]:
    """The day of each batch the letters are in, by batch id."""
    ids = {letter.batch_id for letter in letters if letter.batch_id is not None}
    if not ids:
        return {}
    return {batch.id: batch.day.isoformat() for batch in db.session.scalars(
        select(PrintBatch).where(PrintBatch.id.in_(ids)))}


def _print_day(letter: Letter, print_days: dict[int, str]) -> str:
    if letter.batch_id is not None:
        return f"utskriftsdag {print_days.get(letter.batch_id, '?')}"
    return f"utskriftsdag {next_print_day().isoformat()} (nästa utskrift)"


def _booking_entries(notice: Notice, actions: list[NoticeAction]) -> list[Entry]:
    """Each booking of the notice (its booking step's, and any made for its intake item since: a code in a
    second letter, a time booked by the reception), with every step in its history and the time it held."""
    ids = {action.ref_id for action in actions if action.kind == ActionKind.BOOKING and action.ref_id}
    if notice.intake_item_id is not None:
        ids |= set(db.session.scalars(select(Booking.id).where(Booking.intake_item_id == notice.intake_item_id)))
    if not ids:
        return []
    entries = []
    for event in db.session.scalars(select(BookingEvent).where(BookingEvent.booking_id.in_(ids))
                                    .order_by(BookingEvent.id)):
        when = f"tid {local_format(event.starts_at)}" if event.starts_at is not None else "ingen tid"
        entries.append(Entry(event.at, BOOKING_EVENT_LABELS.get(event.kind, event.kind),
                             f"{when} ({event.actor})" if event.actor else when))
    return entries
