"""The reception's actions on an item: claim it, give it back, move it through its states, close it.

Each commits once with its history entry and audit event (portal.intake.service holds the helpers they share)."""

from __future__ import annotations

from sqlalchemy import update

from portal import audit
from portal.db import db, utcnow
from portal.intake.labels import CLOSE_REASONS, STATE_LABELS
from portal.intake.models import IntakeItem, State
from portal.intake.panels import outstanding
from portal.intake.service import (
    AlreadyClaimed,
    IntakeError,
    add_event,
    check_version,
    commit_or_stale,
    get_item,
    local_today,
    refresh_deadlines,
    resume,
    set_state,
    staff_label,
    wait_for_resident,
)
from portal.staff.models import StaffUser


def claim_item(item_id: int, *, staff: StaffUser) -> IntakeItem:
    """Take an item; exactly one of several people claiming at once wins, the others learn who has it.

    The conditional UPDATE is the lock: on PostgreSQL a second transaction waits for the first's row lock,
    then re-reads `claimed_by_id IS NULL` as false and updates nothing; SQLite serialises writers anyway.
    """
    result = db.session.execute(
        update(IntakeItem)
        .where(IntakeItem.id == item_id, IntakeItem.claimed_by_id.is_(None), IntakeItem.is_open.is_(True))
        .values(claimed_by_id=staff.id, claimed_at=utcnow(), version=IntakeItem.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    won = getattr(result, "rowcount", 0) == 1
    if not won:
        db.session.rollback()
        item = get_item(item_id)
        if item is None:
            raise IntakeError("Ärendet finns inte.")
        if not item.is_open:
            raise IntakeError("Ärendet är avslutat och kan inte tas.")
        holder = db.session.get(StaffUser, item.claimed_by_id) if item.claimed_by_id else None
        if holder is not None and holder.id == staff.id:
            return item
        raise AlreadyClaimed(holder.name if holder else "någon annan")
    item = get_item(item_id)
    assert item is not None
    db.session.refresh(item)
    if item.state == State.NEW:
        # Claiming starts the review; releasing the item undoes that (and only that) step.
        set_state(item, State.IN_REVIEW)
        item.claimed_from_state = State.NEW
    else:
        item.claimed_from_state = None
    add_event(item, staff_label(staff), "claimed")
    audit.record("intake.claim", person_id=item.person_id, object_type="intake_item", object_id=item.id)
    commit_or_stale()
    return item


def release_item(item_id: int, *, staff: StaffUser, version: int | None, force: bool = False) -> IntakeItem:
    """Give an item back to the queue; only its holder may, or a coordinator with `force`."""
    item = _open_item(item_id, version)
    if item.claimed_by_id is None:
        raise IntakeError("Ärendet är inte taget av någon.")
    if item.claimed_by_id != staff.id and not force:
        raise IntakeError("Bara den som har tagit ärendet kan lämna tillbaka det.")
    previous = db.session.get(StaffUser, item.claimed_by_id)
    item.claimed_by_id, item.claimed_at = None, None
    notes = [] if previous is None or previous.id == staff.id else [f"tidigare hos {previous.name}"]
    if item.claimed_from_state is not None and item.state == State.IN_REVIEW:
        # Nobody reviews an item nobody holds: it goes back to the state it had before it was claimed. A state
        # set by hand since the claim (waiting for the resident, ready for assignment) is work done, and stays.
        set_state(item, State(item.claimed_from_state))
        notes.append(f"tillbaka till ”{STATE_LABELS[item.state]}”")
    item.claimed_from_state = None
    add_event(item, staff_label(staff), "released", ", ".join(notes))
    audit.record("intake.release", person_id=item.person_id, object_type="intake_item", object_id=item.id)
    commit_or_stale()
    return item


def _open_item(item_id: int, version: int | None) -> IntakeItem:
    item = get_item(item_id)
    if item is None:
        raise IntakeError("Ärendet finns inte.")
    check_version(item, version)
    if not item.is_open:
        raise IntakeError("Ärendet är avslutat.")
    return item


def _require_holder(item: IntakeItem, staff: StaffUser) -> None:
    if item.claimed_by_id != staff.id:
        raise IntakeError("Ta ärendet först: bara den som har tagit det kan ändra det.")


class NeedsConfirmation(IntakeError):
    """Marking the documents complete while something is outstanding needs a confirmation with a reason."""

    def __init__(self, items: list[str]) -> None:
        super().__init__("Det saknas handlingar. Bekräfta att underlaget ändå är komplett och skriv varför.")
        self.items = items


def change_state(item_id: int, *, staff: StaffUser, version: int | None, action: str,
                 reason: str = "") -> IntakeItem:
    """Do one of the reception's state actions on a claimed item and commit it.

    "documents_complete" starts the decision clock; while documents are outstanding it raises NeedsConfirmation
    unless a reason is given, and the reason is kept in the history and the access log."""
    item = _open_item(item_id, version)
    _require_holder(item, staff)
    actor = staff_label(staff)
    detail = None
    if action == "documents_complete":
        if item.documents_complete_on is not None:
            raise IntakeError("Underlaget är redan markerat som komplett.")
        missing = outstanding(item)
        reason = " ".join(reason.split())[:1000]
        if missing and not reason:
            raise NeedsConfirmation(missing)
        item.documents_complete_on = local_today()
        detail = f"trots att det saknades: {'; '.join(missing)}. Skäl: {reason}" if missing else ""
        add_event(item, actor, "documents_complete", detail)
        refresh_deadlines(item)
    elif action == "wait":
        wait_for_resident(item, actor=actor, detail="väntar på komplettering")
    elif action == "resume":
        if item.state != State.WAITING_FOR_RESIDENT:
            raise IntakeError("Ärendet väntar inte på den sökande.")
        resume(item, actor=actor)
    elif action == "ready":
        if item.state not in (State.NEW, State.IN_REVIEW, State.WAITING_FOR_RESIDENT):
            raise IntakeError("Ärendet kan inte märkas som klart för fördelning nu.")
        resume(item, actor=actor)
        set_state(item, State.READY_FOR_ASSIGNMENT)
        add_event(item, actor, "ready_for_assignment")
    else:
        raise IntakeError("Okänd åtgärd.")
    audit.record(f"intake.{action}", person_id=item.person_id, object_type="intake_item", object_id=item.id,
                 detail=detail or None)
    commit_or_stale()
    return item


def close_item(item_id: int, *, staff: StaffUser, version: int | None, reason_code: str, text: str) -> IntakeItem:
    """Close an item with a recorded reason (from the list, plus free text) and commit it."""
    if reason_code not in CLOSE_REASONS:
        raise IntakeError("Välj ett skäl till att ärendet avslutas.")
    if reason_code == "other" and not text:
        raise IntakeError("Skriv skälet när du väljer Annat skäl.")
    item = _open_item(item_id, version)
    reason = CLOSE_REASONS[reason_code] + (f": {text}" if text else "")
    set_state(item, State.CLOSED)
    item.close_reason = reason
    item.claimed_by_id = None
    add_event(item, staff_label(staff), "closed", reason)
    audit.record("intake.close", person_id=item.person_id, object_type="intake_item", object_id=item.id,
                 detail=reason_code)
    commit_or_stale()
    return item
