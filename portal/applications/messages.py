"""Messages between a resident and the reception about one application.

The message itself is only ever shown behind a login: the resident's on their status page, staff's on the
intake item. E-mail to the resident says only that something new is waiting. Every message is also a line in
the intake item's history, so the queue shows that the resident wrote.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from portal import audit
from portal.applications.models import Application, ApplicationMessage, Author, Status
from portal.applications.notify import notify_resident
from portal.db import db, utcnow
from portal.intake.models import IntakeItem
from portal.staff.models import StaffUser

MAX_LENGTH = 2000
# The same words from the same side within this time are one message sent twice (a double click, a resent form).
REPEAT_WINDOW = timedelta(minutes=2)


class MessageError(ValueError):
    """The message cannot be sent; `code` tells the page which translated text to show."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def list_messages(application_id: int) -> list[ApplicationMessage]:
    """Every message on the application, oldest first."""
    return list(db.session.scalars(select(ApplicationMessage).where(ApplicationMessage.application_id
                                                                     == application_id)
                                   .order_by(ApplicationMessage.created_at, ApplicationMessage.id)))


def items_with_unread_from_residents(limit: int = 50) -> list[tuple[int, int]]:
    """(intake item id, unread messages) for open items whose resident wrote something staff have not seen,
    oldest first; through the index of unread messages, so the queue page does not read every message."""
    from portal.intake.models import IntakeItem

    rows = db.session.execute(
        select(Application.intake_item_id, func.count(ApplicationMessage.id), func.min(ApplicationMessage.id))
        .join(Application, Application.id == ApplicationMessage.application_id)
        .join(IntakeItem, IntakeItem.id == Application.intake_item_id)
        .where(ApplicationMessage.read_at.is_(None), ApplicationMessage.author == Author.RESIDENT,
               IntakeItem.is_open.is_(True))
        .group_by(Application.intake_item_id).order_by(func.min(ApplicationMessage.id)).limit(limit)).all()
    return [(int(row[0] or 0), int(row[1])) for row in rows]


def unread_count(application_id: int, *, for_author: Author) -> int:
    """How many messages the other side wrote that `for_author` has not seen yet."""
    return sum(1 for m in list_messages(application_id) if m.author != for_author and m.read_at is None)


def mark_read(application_id: int, *, reader: Author) -> None:
    """The reader has seen every message the other side wrote (no commit)."""
    db.session.execute(update(ApplicationMessage)
                       .where(ApplicationMessage.application_id == application_id,
                              ApplicationMessage.author != reader, ApplicationMessage.read_at.is_(None))
                       .values(read_at=utcnow()))


def open_thread(application_id: int, *, reader: Author) -> tuple[list[ApplicationMessage], set[int]]:
    """The messages, and which of the other side's the reader had not seen before; they are now marked seen
    (committed)."""
    thread = list_messages(application_id)
    unread = {m.id for m in thread if m.author != reader and m.read_at is None}
    if unread:
        mark_read(application_id, reader=reader)
        db.session.commit()
    return thread, unread


def _clean(body: str | None) -> str:
    text = (body or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if not text:
        raise MessageError("empty")
    if len(text) > MAX_LENGTH:
        raise MessageError("too_long")
    return text


def _add(application: Application, *, author: Author, body: str, staff: StaffUser | None,
         history: str) -> tuple[ApplicationMessage, bool]:
    """The new message and True, or the same message sent a moment ago and False."""
    if application.status == Status.DRAFT:
        raise MessageError("draft")
    text = _clean(body)
    # Lock the application row: two clicks on PostgreSQL are serialised, and the second sees the first.
    db.session.execute(select(Application.id).where(Application.id == application.id).with_for_update())
    latest = db.session.scalar(select(ApplicationMessage)
                               .where(ApplicationMessage.application_id == application.id,
                                      ApplicationMessage.author == author)
                               .order_by(ApplicationMessage.id.desc()).limit(1))
    if latest is not None and latest.body == text and utcnow() - latest.created_at < REPEAT_WINDOW:
        return latest, False
    message = ApplicationMessage(application_id=application.id, author=author, body=text,
                                 staff_id=staff.id if staff else None, created_at=utcnow())
    db.session.add(message)
    if application.intake_item_id is not None:
        item = db.session.get(IntakeItem, application.intake_item_id)
        if item is not None:
            from portal.intake.service import add_event, staff_label

            add_event(item, staff_label(staff) if staff else "den sökande", "message", history)
    db.session.flush()
    return message, True


def send_from_resident(application: Application, *, body: str) -> ApplicationMessage:
    """The resident writes to the reception; committed."""
    message, _ = _add(application, author=Author.RESIDENT, body=body, staff=None,
                      history="Den sökande har skrivit ett meddelande.")
    db.session.commit()
    return message


def send_from_staff(application_id: int, *, staff: StaffUser, body: str) -> ApplicationMessage:
    """Staff write to the resident; committed with an audit event, then the resident gets an e-mail notice."""
    application = db.session.get(Application, application_id)
    if application is None:
        raise MessageError("missing")
    message, new = _add(application, author=Author.STAFF, body=body, staff=staff,
                        history="Meddelande skickat till den sökande.")
    if not new:
        db.session.rollback()
        return message  # the same message sent twice: already stored, already notified
    audit.record("application.message", person_id=application.person_id, object_type="application",
                 object_id=application.id)
    db.session.commit()
    notify_resident(application)
    return message


def unread_from_residents_count() -> int:
    """How many messages residents wrote on open items that staff have not read (the staff navigation's count)."""
    from portal.intake.models import IntakeItem

    return int(db.session.scalar(
        select(func.count(ApplicationMessage.id))
        .join(Application, Application.id == ApplicationMessage.application_id)
        .join(IntakeItem, IntakeItem.id == Application.intake_item_id)
        .where(ApplicationMessage.read_at.is_(None), ApplicationMessage.author == Author.RESIDENT,
               IntakeItem.is_open.is_(True))) or 0)
