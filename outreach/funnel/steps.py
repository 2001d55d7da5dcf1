"""The funnel of one notice, each step with its date: letter printed, returned undelivered, first contact (with
its channel), attended, tenancy outcome; and the headline: contact before the deadline or not.

Derived from what is recorded (the first letter's print batch, booking events, attempts, the tenancy outcome)
every time the notice's page is shown; only the returned letter is stored for the funnel (LetterReturn).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from outreach.casework.forms import TENANCY_LABELS
from outreach.funnel.contact import CHANNEL_LABELS, RECEPTION, contact_events
from outreach.funnel.models import LetterReturn
from outreach.notices.actions import get_action
from outreach.notices.models import ActionKind, Notice
from portal.clock import LOCAL_TZ, local_date, local_today
from portal.db import db
from portal.letters.labels import STATUS_LABELS
from portal.letters.models import Letter, LetterStatus, PrintBatch


@dataclass(frozen=True)
class Step:
    """One step of the funnel; `day` None when it has not happened (yet)."""

    key: str
    label: str
    day: date | None
    detail: str


@dataclass(frozen=True)
class Funnel:
    """A notice's funnel and its headline."""

    steps: list[Step]
    contact_day: date | None
    contact_channel: str | None
    deadline: date | None
    window: str
    in_time: bool | None  # None: no contact yet and the deadline has not passed
    headline: str


def window_label(notice: Notice) -> str:
    """Which deadline the notice's contact is measured against."""
    if notice.recovery_deadline is not None and notice.recovery_deadline == notice.deadline:
        return "återvinningsfristen"
    if notice.eviction_date is not None and notice.eviction_date == notice.deadline:
        return "dagen för avhysning"
    return "målet tre veckor efter underrättelsen"


def _first_letter(notice: Notice) -> tuple[Letter | None, date | None]:
    step = get_action(notice.id, ActionKind.LETTER_FIRST)
    letter = db.session.get(Letter, step.ref_id) if step is not None and step.ref_id else None
    if letter is None or letter.batch_id is None:
        return letter, None
    batch = db.session.get(PrintBatch, letter.batch_id)
    return letter, batch.day if batch is not None else None


def _events(notice: Notice) -> list[tuple[datetime, str]]:
    """The case's contact events since the notice arrived, oldest first."""
    since = datetime.combine(notice.received_date, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)
    query = contact_events(notice.case_id or notice.id).subquery()
    rows = db.session.execute(select(query.c.at, query.c.channel).where(query.c.at >= since)
                              .order_by(query.c.at, query.c.channel))
    return [(at, str(channel)) for at, channel in rows]


def judge(contact_day: date | None, deadline: date | None, today: date) -> bool | None:
    """Contact on or before the deadline: True; after it, or none and the deadline passed: False; else None."""
    if deadline is None:
        return None if contact_day is None else True
    if contact_day is not None:
        return contact_day <= deadline
    return False if today > deadline else None


def for_notice(notice: Notice, today: date | None = None) -> Funnel:
    """The notice's funnel as staff read it on its page."""
    today = today or local_today()
    letter, printed = _first_letter(notice)
    if letter is None:
        letter_detail = "inget brev (aktuell klient, manuell hantering eller skyddad)"
    elif printed is not None:
        letter_detail = f"brev {letter.id}"
    else:
        letter_detail = f"brev {letter.id}, {STATUS_LABELS[LetterStatus(letter.status)]}"
    returns = list(db.session.scalars(select(LetterReturn).where(LetterReturn.notice_id == notice.id)
                                      .order_by(LetterReturn.returned_at)))
    returned = returns[0] if returns else None
    events = _events(notice)
    first = events[0] if events else None
    attended = next((at for at, channel in events if channel == RECEPTION), None)
    contact_day = local_date(first[0]) if first else None
    steps = [
        Step("printed", "Brevet skrevs ut", printed, letter_detail),
        Step("returned", "Brevet kom tillbaka", local_date(returned.returned_at) if returned else None,
             ("adressen är osäker" if returned.address_confirmed_at is None else "adressen bekräftad")
             if returned else "inte registrerat som retur"),
        Step("contact", "Första kontakt", contact_day,
             CHANNEL_LABELS.get(first[1], first[1]) if first else "ingen kontakt än"),
        Step("attended", "Kom till mottagningen", local_date(attended) if attended else None,
             "" if attended else "inte än"),
        Step("outcome", "Utfall för boendet",
             local_date(notice.tenancy_outcome_at) if notice.tenancy_outcome_at else None,
             TENANCY_LABELS[notice.tenancy_outcome] if notice.tenancy_outcome else "inte registrerat"),
    ]
    in_time = judge(contact_day, notice.deadline, today)
    window = window_label(notice)
    return Funnel(steps=steps, contact_day=contact_day, contact_channel=first[1] if first else None,
                  deadline=notice.deadline, window=window, in_time=in_time,
                  headline=_headline(in_time, contact_day, notice.deadline, window, today))


def _headline(in_time: bool | None, contact_day: date | None, deadline: date | None, window: str,
              today: date) -> str:
    if deadline is None:
        return "Ingen frist att mäta mot."
    if in_time and contact_day is not None:
        before = (deadline - contact_day).days
        return f"Kontakt i tid: {contact_day.isoformat()}, {before} dagar före {window} ({deadline.isoformat()})."
    if in_time is False and contact_day is not None:
        return f"Kontakt först efter {window} ({deadline.isoformat()}): {contact_day.isoformat()}."
    if in_time is False:
        return f"Ingen kontakt före {window} ({deadline.isoformat()})."
    return f"Ingen kontakt än: {(deadline - today).days} dagar kvar till {window} ({deadline.isoformat()})."
