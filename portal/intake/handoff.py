"""Hand-off to the case system (aktualisering), FORMATS.md §5.

One JSON document per item, with a stable id (`handoff_id`, made once and stored) so the receiver can
de-duplicate. Written atomically to PORTAL_HANDOFF_DIR as `<handoff_id>.json` (writing again replaces the same
file, never adds one) and/or POSTed to PORTAL_HANDOFF_URL with the id as Idempotency-Key. A target that is
down leaves the hand-off marked for retry; a scheduled job tries again, and `portal handoff export` writes
the waiting ones to a folder.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any

import requests
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal import audit, interpreter
from portal.db import db, utcnow
from portal.intake.models import Handoff, HandoffStatus, IntakeItem, State
from portal.intake.panels import handoff_parts
from portal.intake.service import (
    IntakeError,
    StaleItem,
    add_event,
    commit_or_stale,
    deadlines_for,
    set_state,
    staff_label,
)
from portal.staff.models import StaffUser

FORMAT = "portal.intake.handoff/1"
HTTP_TIMEOUT = 15


class DeliveryFailed(RuntimeError):
    """The target did not take the document."""


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def build_document(item: IntakeItem, handoff: Handoff) -> dict[str, Any]:
    """The JSON document for one item (FORMATS.md §5); protected identities never carry an address."""
    person = item.person
    result = deadlines_for(item)
    protected = bool(person and person.is_protected)
    # The areas built on the queue fill their slots (portal.intake.panels): the application, the booking.
    parts = handoff_parts(item, protected=protected)
    caseworker = db.session.get(StaffUser, item.assigned_to_id) if item.assigned_to_id else None
    return {
        "format": FORMAT,
        "id": handoff.handoff_id,
        "intake_item_id": item.id,
        "created_at": _iso(handoff.created_at),
        "person": {
            "personnummer": person.personnummer if person else None,
            "name": (person.name if person else None) or item.contact_name,
            "email": (person.email if person else None) or item.contact_email,
            "phone": (person.phone if person else None) or item.contact_phone,
            "language": (person.language if person else None) or item.language,
            **interpreter.for_handoff(item),
            "protected_identity": protected,
        },
        "source": {
            "kind": item.source,
            "key": item.source_key,
            "received_at": _iso(item.received_at),
            "summary": item.summary,
            "urgency": item.urgency,
            "application": parts.get("application"),
            "notice": {"legal_deadline": _iso(item.legal_deadline)} if item.legal_deadline else None,
        },
        "deadlines": {
            "decision": _iso(result.decision_on), "overall": _iso(result.overall_on),
            "legal": _iso(result.legal_on), "documents_complete_on": _iso(item.documents_complete_on),
        },
        "assigned_to": {"name": caseworker.name, "email": caseworker.email} if caseworker else None,
        "booking": parts.get("booking"),
        "history": [{"at": _iso(e.at), "actor": e.actor_label, "kind": e.kind, "detail": e.detail}
                    for e in item.events],
    }


def serialise(document: dict[str, Any]) -> bytes:
    """Stable bytes for a document (sorted keys, UTF-8)."""
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2).encode("utf-8")


def write_atomically(folder: Path, name: str, data: bytes) -> Path:
    """Write a file so that readers see either nothing or the whole file (temp file, fsync, rename)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def post_document(url: str, handoff_id: str, data: bytes) -> None:
    """POST the document; 2xx or 409 (already have it) counts as delivered."""
    try:
        response = requests.post(url, data=data, timeout=HTTP_TIMEOUT,
                                 headers={"Content-Type": "application/json", "Idempotency-Key": handoff_id})
    except requests.RequestException as error:
        raise DeliveryFailed(f"{type(error).__name__}: {error}") from error
    if not (200 <= response.status_code < 300 or response.status_code == 409):
        raise DeliveryFailed(f"HTTP {response.status_code}")


def deliver(handoff: Handoff, *, folder: str | None = None, url: str | None = None) -> bool:
    """Try to deliver one hand-off to the configured targets (no commit); True when it arrived."""
    folder = current_app.config.get("HANDOFF_DIR", "") if folder is None else folder
    url = current_app.config.get("HANDOFF_URL", "") if url is None else url
    if not folder and not url:
        return False  # nowhere configured: it waits for `portal handoff export --out DIR`
    item = db.session.get(IntakeItem, handoff.item_id)
    assert item is not None
    data = serialise(build_document(item, handoff))
    handoff.attempts += 1
    try:
        targets = []
        if folder:
            targets.append(str(write_atomically(Path(folder), f"{handoff.handoff_id}.json", data)))
        if url:
            post_document(url, handoff.handoff_id, data)
            targets.append(url)
    except (DeliveryFailed, OSError) as error:
        handoff.status, handoff.last_error = HandoffStatus.RETRY, str(error)[:1000]
        add_event(item, "system", "handoff_failed", handoff.last_error)
        return False
    handoff.status, handoff.delivered_at, handoff.last_error = HandoffStatus.DELIVERED, utcnow(), None
    handoff.target = ", ".join(targets)[:500]
    add_event(item, "system", "handoff_delivered", handoff.target)
    audit.record("intake.handoff_delivered", person_id=item.person_id, object_type="intake_item",
                 object_id=item.id, actor=("system", None, "handoff"))
    return True


def get_handoff(item_id: int) -> Handoff | None:
    """The item's hand-off, if it has been handed over."""
    return db.session.scalar(select(Handoff).where(Handoff.item_id == item_id))


def hand_off_item(item_id: int, *, staff: StaffUser, version: int | None) -> Handoff:
    """Hand an assigned item over to the case system and commit; delivery is tried at once, failures wait."""
    # Lock the item: of two people handing over at once, the second waits and then finds the first's hand-off.
    item = db.session.scalars(select(IntakeItem).where(IntakeItem.id == item_id).with_for_update()
                              .execution_options(populate_existing=True)).first()
    if item is None:
        raise IntakeError("Ärendet finns inte.")
    existing = get_handoff(item.id)
    if existing is not None:
        db.session.commit()
        return existing  # handing over again never makes a second document
    if version is not None and item.version != version:
        raise StaleItem()
    if item.state != State.ASSIGNED:
        raise IntakeError("Bara ärenden som är fördelade till en handläggare kan aktualiseras.")
    handoff = Handoff(item_id=item.id, handoff_id=str(uuid.uuid4()), status=HandoffStatus.PENDING, attempts=0,
                      requested_by_id=staff.id)
    try:
        db.session.add(handoff)
        set_state(item, State.HANDED_OVER)
        item.claimed_by_id = None
        add_event(item, staff_label(staff), "handed_over", handoff.handoff_id)
        audit.record("intake.handoff", person_id=item.person_id, object_type="intake_item", object_id=item.id)
        commit_or_stale()
    except (IntegrityError, StaleItem):
        # SQLite has no row locks: a simultaneous hand-off won on the unique item_id; use that one.
        db.session.rollback()
        existing = get_handoff(item_id)
        if existing is None:
            raise
        return existing
    deliver(handoff)
    db.session.commit()
    return handoff


def claim_waiting(limit: int = 50) -> list[Handoff]:
    """Hand-offs not yet delivered, locked for this transaction (SKIP LOCKED: two schedulers share the work)."""
    return list(db.session.scalars(
        select(Handoff).where(Handoff.status.in_([HandoffStatus.PENDING, HandoffStatus.RETRY]))
        .order_by(Handoff.id).limit(limit).with_for_update(skip_locked=True)))


def retry_waiting() -> tuple[int, int]:
    """Try every waiting hand-off again and commit; returns (delivered, still waiting)."""
    delivered = failed = 0
    if not current_app.config.get("HANDOFF_DIR") and not current_app.config.get("HANDOFF_URL"):
        return 0, len(list_waiting())
    for handoff in claim_waiting():
        if deliver(handoff):
            delivered += 1
        else:
            failed += 1
    db.session.commit()
    return delivered, failed


def retry_handoffs() -> str:
    """Scheduled job: try every waiting hand-off again."""
    delivered, failed = retry_waiting()
    return f"delivered={delivered} failed={failed}"


def export_to_folder(folder: Path, *, include_delivered: bool = False) -> list[Path]:
    """Write waiting hand-offs (or all, with include_delivered) to `folder` as <id>.json; marks them delivered."""
    query = select(Handoff).order_by(Handoff.id)
    if not include_delivered:
        query = query.where(Handoff.status.in_([HandoffStatus.PENDING, HandoffStatus.RETRY]))
    written = []
    for handoff in db.session.scalars(query.with_for_update(skip_locked=True)).all():
        item = db.session.get(IntakeItem, handoff.item_id)
        assert item is not None
        path = write_atomically(folder, f"{handoff.handoff_id}.json", serialise(build_document(item, handoff)))
        written.append(path)
        if handoff.status != HandoffStatus.DELIVERED:
            handoff.status, handoff.delivered_at, handoff.last_error = HandoffStatus.DELIVERED, utcnow(), None
            handoff.target = str(folder)[:500]
            add_event(item, "system", "handoff_delivered", str(folder))
            audit.record("intake.handoff_exported", person_id=item.person_id, object_type="intake_item",
                         object_id=item.id, actor=("system", None, "cli"))
    db.session.commit()
    return written


def list_waiting() -> list[tuple[Handoff, IntakeItem]]:
    """Hand-offs not yet delivered, with their items, for the reception's overview."""
    rows = db.session.execute(select(Handoff, IntakeItem).join(IntakeItem, IntakeItem.id == Handoff.item_id)
                              .where(Handoff.status.in_([HandoffStatus.PENDING, HandoffStatus.RETRY]))
                              .order_by(Handoff.id).limit(200)).all()
    return [(row[0], row[1]) for row in rows]
