"""Letters the post brought back undelivered (retur): staff scan or type them in one after another.

A returned letter means the household has not heard from us. So the notice gets a task at once (a phone call or
a home visit: the post will not reach them), and the flat's address is doubtful until staff confirm it. The
next letter to a doubtful address is *held* for staff rather than sent with a note: a second letter to an
address the post could not deliver to is most likely wasted too, and may reach someone else (secrecy). It waits
on /staff/brev/ as "väntar på granskning"; confirming the address on the notice's page releases it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from flask import current_app
from sqlalchemy import select

from outreach.funnel.models import LetterReturn, ReturnSource
from outreach.notices.actions import add_action, get_action
from outreach.notices.models import ActionKind, ActionStatus, Notice, NoticeAction
from portal import audit
from portal.booking.models import Booking
from portal.booking.service import hash_code, normalise_code
from portal.clock import LOCAL_TZ, local_today
from portal.db import db, utcnow
from portal.letters.models import Letter, LetterStatus

TASK = "Brevet kom tillbaka (retur), adressen är osäker: ring eller gör hembesök"
LETTER_KINDS = (ActionKind.LETTER_FIRST, ActionKind.LETTER_SECOND)
_NUMBER = re.compile(r"^\s*(?:brev\s*)?(?:nr\.?\s*)?(\d{1,12})\s*$", re.IGNORECASE)


class ReturnError(ValueError):
    """The scanned or typed text names no letter we sent (message in Swedish)."""


@dataclass(frozen=True)
class Registered:
    """What registering one returned letter did, for the page's list."""

    letter_id: int
    notice_id: int
    reference: str
    already: bool
    task: bool


def read_scan(text: str) -> tuple[ReturnSource, str]:
    """What staff scanned or typed: the QR code's address (…/tid/CODE), the code itself, or the letter's number
    ("123" or "brev 123") as on the letters list."""
    value = text.strip()
    if "/tid/" in value:
        return ReturnSource.QR, normalise_code(value.rstrip("/").rsplit("/", 1)[-1].split("?")[0])
    number = _NUMBER.match(value)
    if number is not None:
        return ReturnSource.NUMBER, number.group(1)
    return ReturnSource.CODE, normalise_code(value)


def find_returned(text: str) -> tuple[Letter, Notice, ReturnSource]:
    """The letter and notice the text names; ReturnError when it names none."""
    if not text.strip():
        raise ReturnError("Skanna QR-koden eller skriv brevets kod eller nummer.")
    source, value = read_scan(text)
    if source == ReturnSource.NUMBER:
        letter = db.session.get(Letter, int(value))
        action = db.session.scalar(select(NoticeAction).where(NoticeAction.kind.in_(LETTER_KINDS),
                                                              NoticeAction.ref_id == int(value)))
        if letter is None or action is None:
            raise ReturnError(f"Det finns inget uppsökande brev med nummer {value}.")
        notice = db.session.get(Notice, action.notice_id)
        assert notice is not None  # the step cascades with its notice
        return letter, notice, source
    if len(value) < 6:
        raise ReturnError("Koden är för kort: skriv alla tecken, eller skanna QR-koden.")
    # Any booking the code ever had, expired or not: a letter comes back days or weeks after it was sent.
    booking = db.session.scalar(select(Booking).where(Booking.code_hash == hash_code(value)))
    notice = None if booking is None or booking.intake_item_id is None else db.session.scalar(
        select(Notice).where(Notice.intake_item_id == booking.intake_item_id).order_by(Notice.id))
    if booking is None or notice is None:
        raise ReturnError("Koden hör inte till något uppsökande brev. Kontrollera den, eller skriv brevets nummer.")
    first = get_action(notice.id, ActionKind.BOOKING)
    second = get_action(notice.id, ActionKind.LETTER_SECOND)
    # The first letter carries the booking step's code; a follow-up letter carries a code of its own.
    step = get_action(notice.id, ActionKind.LETTER_FIRST) if (first is not None and first.ref_id == booking.id) \
        or second is None else second
    letter = db.session.get(Letter, step.ref_id) if step is not None and step.ref_id else None
    if letter is None:
        raise ReturnError("Koden hör till en bokning utan brev.")
    return letter, notice, source


def register_return(text: str, *, staff_id: int) -> Registered:
    """Record one returned letter (commits, audit-logged): a task for the notice and the address doubtful.

    The same letter scanned again changes nothing and says so.
    """
    letter, notice, source = find_returned(text)
    existing = db.session.scalar(select(LetterReturn).where(LetterReturn.letter_id == letter.id))
    if existing is not None:
        return Registered(letter.id, notice.id, notice.reference, already=True, task=False)
    db.session.add(LetterReturn(letter_id=letter.id, notice_id=notice.id, tenancy_key=notice.tenancy_key,
                                source=source, returned_at=utcnow(), staff_id=staff_id))
    task = notice.decision is None and _task(notice)
    audit.record("outreach.letter_returned", person_id=notice.person_id, object_type="notice", object_id=notice.id,
                 detail=f"brev {letter.id} ({source.value})")
    db.session.commit()
    return Registered(letter.id, notice.id, notice.reference, already=False, task=task)


def _task(notice: Notice) -> bool:
    """An immediate task on the notice (a step exists once per notice: a done one is opened again)."""
    task = get_action(notice.id, ActionKind.FOLLOWUP_TASK)
    if task is None:
        add_action(notice, ActionKind.FOLLOWUP_TASK, detail=TASK, status=ActionStatus.PENDING)
        return True
    if task.status == ActionStatus.DONE:
        task.detail = f"{TASK} (tidigare: {task.detail})"[:4000]
        task.status, task.done_at = ActionStatus.PENDING, None
    elif not task.detail.startswith(TASK):
        task.detail = f"{TASK}; {task.detail}"[:4000]
    return True


def address_doubtful(tenancy_key: str) -> bool:
    """True when a letter to this flat came back and no one has confirmed the address since."""
    return db.session.scalar(select(LetterReturn.id).where(LetterReturn.tenancy_key == tenancy_key,
                                                           LetterReturn.address_confirmed_at.is_(None))
                             .limit(1)) is not None


def confirm_address(notice: Notice, *, staff_id: int) -> int:
    """Staff confirmed the flat's address (commits, audit-logged): letters held for it go to print (unless every
    letter waits for approval anyway, PORTAL_LETTER_APPROVAL). Returns how many were released."""
    now = utcnow()
    for returned in db.session.scalars(select(LetterReturn).where(LetterReturn.tenancy_key == notice.tenancy_key,
                                                                  LetterReturn.address_confirmed_at.is_(None))):
        returned.address_confirmed_at, returned.address_confirmed_by_id = now, staff_id
    released = 0
    if not current_app.config.get("LETTER_APPROVAL"):
        ids = select(NoticeAction.ref_id).join(Notice, Notice.id == NoticeAction.notice_id).where(
            Notice.tenancy_key == notice.tenancy_key, NoticeAction.kind.in_(LETTER_KINDS))
        for letter in db.session.scalars(select(Letter).where(Letter.id.in_(ids),
                                                              Letter.status == LetterStatus.AWAITING_APPROVAL)):
            letter.status = LetterStatus.QUEUED
            released += 1
    audit.record("outreach.address_confirmed", person_id=notice.person_id, object_type="notice",
                 object_id=notice.id, detail=f"{released} brev släppta")
    db.session.commit()
    return released


def list_registered_today(staff_id: int) -> list[tuple[LetterReturn, Notice]]:
    """The returns this staff member registered today, newest first (the page's running list)."""
    start = datetime.combine(local_today(), time.min, tzinfo=LOCAL_TZ)
    rows = db.session.execute(select(LetterReturn, Notice).join(Notice, Notice.id == LetterReturn.notice_id)
                              .where(LetterReturn.staff_id == staff_id, LetterReturn.returned_at >= start)
                              .order_by(LetterReturn.id.desc()).limit(200)).all()
    return [(row[0], row[1]) for row in rows]
