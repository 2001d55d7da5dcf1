"""The notice page's one timeline: arrival, linked notices, steps, attempts and the decision, by time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from outreach.actions import list_actions
from outreach.casework import list_attempts
from outreach.forms import CHANNEL_LABELS, DECISION_LABELS, RESULT_LABELS
from outreach.notices.models import ActionKind, ActionStatus, Notice, NoticeAction
from portal.db import db
from portal.letters.labels import letter_state
from portal.letters.models import Letter

ACTION_LABELS = {
    ActionKind.INTAKE_ITEM: "Post i intagskön skapad", ActionKind.BOOKING: "Bokning",
    ActionKind.LETTER_FIRST: "Första brevet", ActionKind.LETTER_SECOND: "Andra brevet",
    ActionKind.CASEWORKER_MAIL: "Handläggaren meddelad per e-post", ActionKind.MANUAL: "Till manuell hantering",
    ActionKind.ESCALATION: "Eskalerad", ActionKind.FOLLOWUP_TASK: "Uppföljningsuppgift för uppsökare",
    ActionKind.DEADLINE_ESCALATION: "Eskalerad inför fristen",
}


LETTER_KINDS = (ActionKind.LETTER_FIRST, ActionKind.LETTER_SECOND)


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
    for action in actions:
        detail = action.detail
        if action.kind == ActionKind.CASEWORKER_MAIL:
            detail = "skickat" if action.status == ActionStatus.DONE else "väntar på att skickas"
        elif action.status == ActionStatus.PENDING:
            detail = f"{detail} (pågår)"
        elif action.kind in LETTER_KINDS and (letter := letters.get(action.ref_id or 0)) is not None:
            # A letter made is not a letter sent: staff need to see one that was stopped or left out of print.
            detail = f"{detail}, {letter_state(letter)}"
        entries.append(Entry(action.done_at or action.created_at, ACTION_LABELS[action.kind], detail))
    for attempt in list_attempts(notice.id):
        entries.append(Entry(attempt.at, f"Försök: {CHANNEL_LABELS[attempt.channel]}",
                             f"{RESULT_LABELS[attempt.result]}{' – ' + attempt.note if attempt.note else ''}"))
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
