"""The notice page's one timeline: arrival, linked notices, steps, attempts and the decision, by time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from outreach.actions import list_actions
from outreach.casework import list_attempts
from outreach.forms import CHANNEL_LABELS, DECISION_LABELS, RESULT_LABELS
from outreach.notices.models import ActionKind, ActionStatus, Notice

ACTION_LABELS = {
    ActionKind.INTAKE_ITEM: "Post i intagskön skapad", ActionKind.BOOKING: "Bokning",
    ActionKind.LETTER_FIRST: "Första brevet", ActionKind.LETTER_SECOND: "Andra brevet",
    ActionKind.CASEWORKER_MAIL: "Handläggaren meddelad per e-post", ActionKind.MANUAL: "Till manuell hantering",
    ActionKind.ESCALATION: "Eskalerad", ActionKind.FOLLOWUP_TASK: "Uppföljningsuppgift för uppsökare",
    ActionKind.DEADLINE_ESCALATION: "Eskalerad inför fristen",
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
    for action in list_actions(notice.id):
        detail = action.detail
        if action.kind == ActionKind.CASEWORKER_MAIL:
            detail = "skickat" if action.status == ActionStatus.DONE else "väntar på att skickas"
        elif action.status == ActionStatus.PENDING:
            detail = f"{detail} (pågår)"
        entries.append(Entry(action.done_at or action.created_at, ACTION_LABELS[action.kind], detail))
    for attempt in list_attempts(notice.id):
        entries.append(Entry(attempt.at, f"Försök: {CHANNEL_LABELS[attempt.channel]}",
                             f"{RESULT_LABELS[attempt.result]}{' – ' + attempt.note if attempt.note else ''}"))
    if notice.decision is not None and notice.decided_at is not None:
        entries.append(Entry(notice.decided_at, f"Beslut: {DECISION_LABELS[notice.decision]}",
                             notice.decision_reason or ""))
    return sorted(entries, key=lambda entry: entry.at)
