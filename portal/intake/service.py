"""The reception's work on intake items: create, claim, release, move through states, close.

Services own the transaction: each public function that changes something commits once, with its history
entry and audit event, or raises and leaves nothing half-done. Helpers named get_*/list_*/add_* never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal import audit, clock, interpreter
from portal.db import db, utcnow
from portal.intake import deadlines
from portal.intake.access import may_see
from portal.intake.models import OPEN_STATES, IntakeEvent, IntakeItem, Source, State, Urgency
from portal.people import get_or_add_person
from portal.roles import Role
from portal.staff.models import StaffUser
from portal.workdays import working_days_between


class IntakeError(Exception):
    """Something staff asked for cannot be done; the message is Swedish and shown as it is."""


class StaleItem(IntakeError):
    """The item changed since the page was loaded (optimistic locking)."""

    def __init__(self) -> None:
        super().__init__("Någon annan har ändrat ärendet sedan du öppnade sidan. Inget av det du skickade "
                         "sparades. Läs den uppdaterade sidan och gör om ändringen om den fortfarande behövs.")


class AlreadyClaimed(IntakeError):
    """Someone else holds the item."""

    def __init__(self, holder: str) -> None:
        self.holder = holder
        super().__init__(f"Ärendet har redan tagits av {holder}.")


def local_today() -> date:
    """Today's date in Sweden (deadlines are counted in Swedish days); read from portal.clock."""
    return clock.local_today()


def local_date(moment: datetime) -> date:
    """The Swedish calendar date of a UTC timestamp."""
    return clock.local_date(moment)


def staff_label(user: StaffUser | None) -> str:
    """How a staff member is named in history entries."""
    return "system" if user is None else f"{user.name} ({user.email})"


def get_item(item_id: int) -> IntakeItem | None:
    """The item with this id, if any."""
    return db.session.get(IntakeItem, item_id)


def get_items(item_ids: Iterable[int]) -> dict[int, IntakeItem]:
    """The items with these ids that exist, by id, in one query."""
    wanted = set(item_ids)
    if not wanted:
        return {}
    return {item.id: item for item in db.session.scalars(select(IntakeItem).where(IntakeItem.id.in_(wanted)))}


def get_item_by_source_key(source_key: str) -> IntakeItem | None:
    """The item created for this source, if any."""
    return db.session.scalar(select(IntakeItem).where(IntakeItem.source_key == source_key))


def clock_for(item: IntakeItem) -> deadlines.Clock:
    """The deadline inputs of an item."""
    return deadlines.Clock(source=Source(item.source), urgency=Urgency(item.urgency),
                           submitted_on=local_date(item.received_at),
                           documents_complete_on=item.documents_complete_on, waiting_since=item.waiting_since,
                           paused_working_days=item.paused_working_days, legal_deadline=item.legal_deadline)


def deadlines_for(item: IntakeItem) -> deadlines.Deadlines:
    """An item's deadlines under the configured numbers of working days."""
    return deadlines.compute(clock_for(item), decision_days=current_app.config.get("DECISION_WORKING_DAYS", 5),
                             overall_days=current_app.config.get("OVERALL_LIMIT_WORKING_DAYS", 15),
                             urgent_days=current_app.config.get("OUTREACH_URGENT_WORKING_DAYS", 5))


def refresh_deadlines(item: IntakeItem) -> None:
    """Store the effective deadline and warning day on the item (the queue sorts and filters on them)."""
    result = deadlines_for(item)
    if item.due_on != result.due_on:
        item.due_on = result.due_on
    if item.warn_on != result.warn_on:
        item.warn_on = result.warn_on


def add_event(item: IntakeItem, actor: str, kind: str, detail: str = "") -> IntakeEvent:
    """Add (not commit) a history entry to an item."""
    event = IntakeEvent(item_id=item.id, actor_label=actor, kind=kind, detail=detail)
    db.session.add(event)
    return event


def set_state(item: IntakeItem, state: State) -> None:
    """Move an item to a state, keeping the open flag the queue's index uses in step."""
    item.state = state
    item.is_open = state in OPEN_STATES


def add_intake_item(*, source: Source, source_key: str, person_id: int | None, summary: str = "",
                    urgency: Urgency = Urgency.NORMAL, priority: int = 0, language: str | None = None,
                    interpreter_needed: bool = False, legal_deadline: date | None = None,
                    actor_label: str = "system", received_at: datetime | None = None,
                    looked_up: bool = False) -> IntakeItem:
    """Add (not commit) a new item to the queue, with its first history entry; the caller's transaction owns it.

    Returns the existing item when one was already created for `source_key`, so a repeated step is harmless;
    the unique constraint on source_key guards against two transactions racing past this check. `looked_up`:
    the caller has read this source key in this transaction and found no item (the pipeline reads a whole
    batch's at once), so it is not read again.
    """
    existing = None if looked_up else get_item_by_source_key(source_key)
    if existing is not None:
        return existing
    item = IntakeItem(source=source, source_key=source_key, person_id=person_id, summary=summary, urgency=urgency,
                      priority=priority, language=language, interpreter_needed=interpreter_needed,
                      legal_deadline=legal_deadline, state=State.NEW, is_open=True,
                      received_at=received_at or utcnow(), paused_working_days=0)
    refresh_deadlines(item)
    db.session.add(item)
    db.session.flush()
    db.session.add(IntakeEvent(item_id=item.id, actor_label=actor_label, kind="created", detail=source.value))
    return item


def new_form_key() -> str:
    """A fresh key for a registration form: a double submit of the same form creates one item."""
    return uuid.uuid4().hex


def register_contact(*, staff: StaffUser, source: Source, form_key: str, personnummer: str | None, name: str,
                     phone: str, email: str, summary: str, language: str | None, interpreter_needed: bool,
                     urgency: Urgency) -> IntakeItem:
    """Register a phone or walk-in intake and commit it; the same form sent twice gives the same item."""
    if source not in (Source.PHONE, Source.WALK_IN):
        raise IntakeError("Bara telefon- och besöksärenden registreras här.")
    source_key = f"{source.value}:{form_key}"
    existing = get_item_by_source_key(source_key)
    if existing is not None:
        return existing
    try:
        item = _add_contact(staff=staff, source=source, source_key=source_key, personnummer=personnummer,
                            name=name, phone=phone, email=email, summary=summary, language=language,
                            interpreter_needed=interpreter_needed, urgency=urgency)
        db.session.commit()
    except IntegrityError:
        # The same form sent twice at once: the other request created the item (unique source_key).
        db.session.rollback()
        existing = get_item_by_source_key(source_key)
        if existing is None:
            raise
        return existing
    return item


def _add_contact(*, staff: StaffUser, source: Source, source_key: str, personnummer: str | None, name: str,
                 phone: str, email: str, summary: str, language: str | None, interpreter_needed: bool,
                 urgency: Urgency) -> IntakeItem:
    person_id = None
    if personnummer:
        person = get_or_add_person(personnummer)
        # Fill in what we did not know; never overwrite what the person or another source said.
        person.name = person.name or name or None
        person.phone = person.phone or phone or None
        person.email = person.email or email or None
        person.language = person.language or language
        person_id = person.id
        if interpreter_needed and not person.interpreter_needed:
            # The reception heard it: held on the person, like a need recorded on the item's page.
            interpreter.set_by_staff(person, needed=True, staff=staff, language=language if language in
                                     interpreter.language_codes() else None)
    item = add_intake_item(source=source, source_key=source_key, person_id=person_id, summary=summary,
                           urgency=urgency, language=language,
                           interpreter_needed=interpreter_needed and person_id is None,
                           actor_label=staff_label(staff))
    item.contact_name, item.contact_phone, item.contact_email = name or None, phone or None, email or None
    audit.record("intake.register", person_id=person_id, object_type="intake_item", object_id=item.id,
                 detail=source.value)
    return item


def check_version(item: IntakeItem, version: int | None) -> None:
    if version is not None and item.version != version:
        raise StaleItem()


def commit_or_stale() -> None:
    """Commit; a concurrent change (caught by the version column or a unique constraint) becomes a clear message."""
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError) as error:
        db.session.rollback()
        raise StaleItem() from error


def wait_for_resident(item: IntakeItem, *, actor: str, detail: str, today: date | None = None) -> None:
    """Pause the decision clock while the resident is asked for something (adds, does not commit)."""
    if item.state != State.WAITING_FOR_RESIDENT:
        set_state(item, State.WAITING_FOR_RESIDENT)
        item.waiting_since = today or local_today()
    add_event(item, actor, "waiting", detail)
    refresh_deadlines(item)


def resume(item: IntakeItem, *, actor: str, detail: str = "", today: date | None = None) -> None:
    """Start the decision clock again after waiting; the working days spent waiting are added (no commit)."""
    if item.state == State.WAITING_FOR_RESIDENT:
        if item.waiting_since is not None and item.documents_complete_on is not None:
            # Only days on which the clock was running count: it starts when the documents are complete.
            start = max(item.waiting_since, item.documents_complete_on)
            item.paused_working_days += max(0, working_days_between(start, today or local_today()))
        item.waiting_since = None
        set_state(item, State.IN_REVIEW)
        add_event(item, actor, "resumed", detail)
        refresh_deadlines(item)


def open_item_for_staff(item_id: int, *, role: Role | None, staff_id: int) -> IntakeItem | None:
    """The item for its page if this staff member may see it (portal.intake.access), with the read recorded in
    the audit log (committed); None when there is no such item or it is not theirs to see."""
    item = get_item(item_id)
    if item is None or not may_see(item, role=role, staff_id=staff_id):
        return None
    audit.record_read("intake.view", person_id=item.person_id, object_type="intake_item", object_id=item.id)
    return item


def may_open(item_id: int, *, role: Role | None, staff_id: int) -> bool:
    """True when the item exists and this staff member may see it (for actions on it; nothing is recorded)."""
    item = get_item(item_id)
    return item is not None and may_see(item, role=role, staff_id=staff_id)


def staff_names(ids: set[int | None]) -> dict[int, str]:
    """Names of the staff members with these ids (one query, for lists)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.execute(select(StaffUser.id, StaffUser.name).where(StaffUser.id.in_(wanted))).all()
    return {int(row[0]): str(row[1]) for row in rows}


def record_list_view(items: list[IntakeItem], action: str) -> None:
    """Audit-log that a staff member saw these people in a list, and commit it.

    One event per page view naming every person shown, and one per protected person (audit.record_list_read);
    opening an item records a read per person as usual.
    """
    audit.record_list_read(action, person_ids={item.person_id for item in items if item.person_id is not None},
                           object_type="intake_item_list", object_id=len(items))


def set_documents_complete(item: IntakeItem, *, on: date, actor_label: str) -> None:
    """Start the decision clock: the documents were complete on `on` (adds, does not commit).

    For the e-application area to call when an application's checklist is complete; a second call with a
    later date is ignored, so the first complete day counts and waiting periods are added by resume().
    """
    if item.documents_complete_on is None or on < item.documents_complete_on:
        item.documents_complete_on = on
        add_event(item, actor_label, "documents_complete", on.isoformat())
    if item.state == State.WAITING_FOR_RESIDENT:
        resume(item, actor=actor_label, detail="underlaget är komplett", today=on)
    refresh_deadlines(item)


def set_legal_deadline(item: IntakeItem, *, deadline: date | None, actor_label: str) -> None:
    """Change an outreach item's legal deadline (a corrected notice restarts it); adds, does not commit."""
    if item.legal_deadline != deadline:
        item.legal_deadline = deadline
        add_event(item, actor_label, "legal_deadline", deadline.isoformat() if deadline else "")
        refresh_deadlines(item)


def recompute_all_deadlines(batch: int = 1000) -> int:
    """Recompute the stored deadline of every open item (after a change of the working-day settings) and commit."""
    changed = 0
    last_id = 0
    while True:
        items = list(db.session.scalars(select(IntakeItem).where(IntakeItem.is_open.is_(True),
                                                                 IntakeItem.id > last_id)
                                        .order_by(IntakeItem.id).limit(batch)))
        if not items:
            return changed
        for item in items:
            before = (item.due_on, item.warn_on)
            refresh_deadlines(item)
            changed += (item.due_on, item.warn_on) != before
        last_id = items[-1].id
        db.session.commit()


def set_interpreter(item_id: int, *, staff: StaffUser, needed: bool | None, language: str | None) -> bool:
    """Record the interpreter need as staff learnt it, and commit: on the item's person (audit-logged, on their
    timeline), or on the item itself when it has no person. False when nothing changed."""
    item = get_item(item_id)
    if item is None:
        raise IntakeError("Ärendet finns inte.")
    if item.person is not None:
        changed = interpreter.set_by_staff(item.person, needed=needed, language=language, staff=staff)
    else:
        changed = item.interpreter_needed != bool(needed) or (bool(needed) and bool(language) and
                                                               item.language != language)
        if changed:
            item.interpreter_needed = bool(needed)
            item.language = language or item.language
            add_event(item, staff_label(staff), "interpreter", interpreter.for_item(item).label)
            audit.record(interpreter.ACTION, person_id=None, object_type="intake_item", object_id=item.id,
                         detail=interpreter.for_item(item).label)
    db.session.commit()
    return changed
