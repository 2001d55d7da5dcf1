"""Residents' documents: adding a checked upload to a checklist item, and the reception's review of it.

Each public function that changes something commits once, with its intake history entry and audit event, or
raises and leaves nothing behind. `add_document` checks the file completely before anything is written, so a
refused file leaves no stored file and no row.
"""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from portal import audit
from portal.applications.models import OUTSTANDING, Application, ChecklistItem, ItemState, PersonRole, Status
from portal.applications.notify import notify_resident
from portal.db import db, utcnow
from portal.documents.checks import UploadRejected, check_name, check_upload, download_name
from portal.documents.models import Document, DocumentStatus
from portal.documents.panel import staff_item_label
from portal.documents.reasons import STAFF_REASONS, resident_reason
from portal.intake import service as intake
from portal.intake.models import IntakeItem, State
from portal.intake.service import IntakeError
from portal.staff.models import StaffUser
from portal.storage import StorageError, store_file

log = logging.getLogger(__name__)

STORAGE_FAILED = _l("Vi kunde inte spara filen just nu. Inget har sparats. Försök igen om en stund.")
EXTRA_KEY = "extra"
MAX_DESCRIPTION = 1000


class ReviewError(IntakeError):
    """A review action cannot be done; the message is Swedish (staff pages) and shown as it is."""


class NotYours(LookupError):
    """The checklist item does not belong to an application of this person."""


def _max_bytes() -> int:
    return int(current_app.config["UPLOAD_MAX_BYTES"])


def may_see(application: Application, person_id: int) -> bool:
    """True when the person is the applicant or the co-applicant of the application."""
    return person_id in (application.person_id, application.co_applicant_person_id)


def add_document(item: ChecklistItem, upload: FileStorage, *, person_id: int) -> Document:
    """Check an upload, store it, set the checklist item to received, and commit.

    Raises UploadRejected (its `message` says why, in the current language) when the file is empty, too large,
    not a PDF/JPEG/PNG/HEIC by its content, damaged, encrypted or carries scripts; nothing is stored then and
    nothing the resident uploaded before is touched. Each call commits on its own, so one refused file among
    several never loses the others. NotYours when the item is not on the person's application.
    """
    application = item.application
    if not may_see(application, person_id):
        raise NotYours(item.id)
    name = check_name(upload.filename or "")
    with check_upload(upload.stream, max_bytes=_max_bytes()) as checked:
        try:
            stored = store_file(checked.chunks(), media_type=checked.media_type,
                                original_name=download_name(name, checked.extension))
        except StorageError as error:
            db.session.rollback()
            raise UploadRejected(STORAGE_FAILED, "storage") from error
    db.session.flush()
    document = Document(checklist_item_id=item.id, stored_file_id=stored.id, original_name=name,
                        media_type=stored.media_type, size=stored.size, sha256=stored.sha256,
                        status=DocumentStatus.RECEIVED, uploaded_by_person_id=person_id, uploaded_at=utcnow())
    db.session.add(document)
    item.state, item.reason, item.later_since = ItemState.RECEIVED, None, None
    db.session.flush()
    audit.record("document.upload", person_id=person_id, object_type="document", object_id=document.id,
                 detail=f"checklist_item={item.id}", actor=("resident", person_id, "resident"))
    db.session.commit()
    # Its own transaction: staff changing the intake item at this moment (its version column) must never
    # cost the resident the file they just sent. If it clashes, staff resume the clock by hand.
    try:
        _resume_when_answered(application)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        log.warning("intake item of application %s changed meanwhile; clock not resumed", application.id)
    return document


def _resume_when_answered(application: Application) -> None:
    """Start the intake item's clock again once nothing staff asked for is still missing."""
    intake_item = _intake_item(application)
    if intake_item is None or intake_item.state != State.WAITING_FOR_RESIDENT:
        return
    # Still waiting: a new copy not yet sent (the resident may have said "later" to it: the reason stays),
    # or an extra document staff asked for.
    waiting = [item for item in application.checklist if item.state in OUTSTANDING and (
        item.state == ItemState.NEW_COPY_REQUESTED or item.extra or item.reason)]
    if not waiting:
        intake.resume(intake_item, actor="den sökande", detail="begärda handlingar har kommit in")


def _intake_item(application: Application) -> IntakeItem | None:
    return db.session.get(IntakeItem, application.intake_item_id) if application.intake_item_id else None


def get_document(document_id: int) -> Document | None:
    """The document with this id, if any."""
    return db.session.get(Document, document_id)


def get_resident_document(document_id: int, *, person_id: int) -> Document | None:
    """The document if it belongs to an application of this person; None otherwise (the page answers 404)."""
    document = get_document(document_id)
    if document is None or not may_see(document.checklist_item.application, person_id):
        return None
    return document


def list_documents(item: ChecklistItem) -> list[Document]:
    """The documents uploaded for a checklist item, oldest first."""
    return list(db.session.scalars(select(Document).where(Document.checklist_item_id == item.id)
                                   .order_by(Document.id)))


def new_copy_reason(item: ChecklistItem) -> tuple[str, str | None]:
    """Why staff asked for a new copy of this item, for the resident's status page: the reason in the current
    language, and staff's own words as written (None when they wrote none)."""
    rejected = [d for d in list_documents(item) if d.status == DocumentStatus.REJECTED]
    latest = rejected[-1] if rejected else None
    code = item.reason or (latest.reason_code if latest else None)
    return resident_reason(code), (latest.reason if latest else None)


def new_copy_reason_text(item: ChecklistItem) -> str:
    """The same as one line for a template: the reason, then staff's words in quotes."""
    label, words = new_copy_reason(item)
    return f"{label} «{words}»" if words else label


def open_for_staff_download(document_id: int) -> Document | None:
    """The document for a staff download, with the read recorded in the audit log (committed)."""
    document = get_document(document_id)
    if document is None:
        return None
    audit.record("document.download", person_id=document.checklist_item.application.person_id,
                 object_type="document", object_id=document.id,
                 detail=f"checklist_item={document.checklist_item_id}")
    db.session.commit()
    return document


def _reviewable(document_id: int, staff: StaffUser) -> tuple[Document, Application, IntakeItem]:
    # FOR UPDATE: a double click on PostgreSQL waits for the first review, then sees it is done.
    document = db.session.scalar(select(Document).where(Document.id == document_id).with_for_update())
    if document is None:
        raise ReviewError("Handlingen finns inte.")
    application = document.checklist_item.application
    intake_item = _holder_item(application, staff)
    if document.status != DocumentStatus.RECEIVED:
        raise ReviewError("Handlingen är redan granskad.")
    return document, application, intake_item


def _holder_item(application: Application, staff: StaffUser) -> IntakeItem:
    intake_item = _intake_item(application)
    if intake_item is None or not intake_item.is_open:
        raise ReviewError("Ansökan har inget öppet ärende i kön.")
    if intake_item.claimed_by_id != staff.id:
        raise ReviewError("Ta ärendet först: bara den som har tagit det kan granska handlingarna.")
    return intake_item


def accept_document(document_id: int, *, staff: StaffUser) -> Document:
    """Accept a document and commit; when every checklist item is accepted, the decision clock starts."""
    document, application, intake_item = _reviewable(document_id, staff)
    document.status = DocumentStatus.ACCEPTED
    document.reviewed_by, document.reviewed_at = staff.id, utcnow()
    item = document.checklist_item
    db.session.flush()
    pending = [d for d in list_documents(item) if d.status == DocumentStatus.RECEIVED]
    if item.state == ItemState.RECEIVED and not pending:
        item.state, item.reason = ItemState.ACCEPTED, None
    actor = intake.staff_label(staff)
    intake.add_event(intake_item, actor, "document_accepted", staff_item_label(item))
    audit.record("document.accept", person_id=application.person_id, object_type="document",
                 object_id=document.id)
    if application.checklist and all(i.state == ItemState.ACCEPTED for i in application.checklist):
        intake.set_documents_complete(intake_item, on=intake.local_today(), actor_label=actor)
        if application.status == Status.SUBMITTED:
            application.status = Status.DOCUMENTS_COMPLETE
    intake.commit_or_stale()
    return document


def request_new_copy(document_id: int, *, staff: StaffUser, reason_code: str, text: str) -> Document:
    """Refuse a document with a reason (from the list, plus free text), ask the resident for a new copy,
    pause the decision clock, commit, and send the resident an e-mail notice without personal data."""
    text = (text or "").strip()
    if reason_code not in STAFF_REASONS:
        raise ReviewError("Välj ett skäl till att en ny kopia behövs.")
    if reason_code == "other" and not text:
        raise ReviewError("Skriv skälet när du väljer Annat skäl.")
    if len(text) > MAX_DESCRIPTION:
        raise ReviewError(f"Skriv högst {MAX_DESCRIPTION} tecken.")
    document, application, intake_item = _reviewable(document_id, staff)
    document.status = DocumentStatus.REJECTED
    document.reason_code, document.reason = reason_code, text or None
    document.reviewed_by, document.reviewed_at = staff.id, utcnow()
    item = document.checklist_item
    item.state, item.reason = ItemState.NEW_COPY_REQUESTED, reason_code
    _reopen(application)
    actor = intake.staff_label(staff)
    detail = f"{staff_item_label(item)}: {STAFF_REASONS[reason_code]}" + (f" ({text})" if text else "")
    intake.add_event(intake_item, actor, "new_copy_requested", detail)
    intake.wait_for_resident(intake_item, actor=actor, detail="ny kopia begärd")
    audit.record("document.new_copy_requested", person_id=application.person_id, object_type="document",
                 object_id=document.id, detail=reason_code)
    intake.commit_or_stale()
    notify_resident(application)
    return document


def request_extra_document(application_id: int, *, staff: StaffUser, description: str) -> ChecklistItem:
    """Add a document staff ask for to the checklist, pause the decision clock, commit, and notify."""
    description = (description or "").strip()
    if not description:
        raise ReviewError("Skriv vilket dokument som behövs och varför.")
    if len(description) > MAX_DESCRIPTION:
        raise ReviewError(f"Skriv högst {MAX_DESCRIPTION} tecken.")
    application = db.session.get(Application, application_id)
    if application is None:
        raise ReviewError("Ansökan finns inte.")
    intake_item = _holder_item(application, staff)
    item = ChecklistItem(application_id=application.id, key=EXTRA_KEY, person_role=PersonRole.APPLICANT,
                         state=ItemState.MISSING, extra=True, description=description)
    db.session.add(item)
    _reopen(application)
    db.session.flush()
    actor = intake.staff_label(staff)
    intake.add_event(intake_item, actor, "extra_document_requested", description)
    intake.wait_for_resident(intake_item, actor=actor, detail="komplettering begärd")
    audit.record("document.extra_requested", person_id=application.person_id, object_type="checklist_item",
                 object_id=item.id)
    intake.commit_or_stale()
    notify_resident(application)
    return item


def _reopen(application: Application) -> None:
    # Something is missing again; the decision clock itself keeps its first complete day (intake rules).
    if application.status == Status.DOCUMENTS_COMPLETE:
        application.status = Status.SUBMITTED
