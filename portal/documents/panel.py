"""The document review panel on an intake item's page: each checklist item, its files and the actions."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import force_locale
from sqlalchemy import select

from portal.applications.models import OUTSTANDING, Application, ChecklistItem, ItemState, PersonRole
from portal.db import db
from portal.documents.forms import AcceptForm, ExtraDocumentForm, NewCopyForm
from portal.documents.models import Document, DocumentStatus
from portal.documents.reasons import STAFF_REASONS
from portal.intake.models import IntakeItem, Source

ITEM_STATE_LABELS = {
    ItemState.MISSING: "Saknas",
    ItemState.LATER: "Skickas senare",
    ItemState.RECEIVED: "Inkommen, ska granskas",
    ItemState.ACCEPTED: "Godkänd",
    ItemState.NEW_COPY_REQUESTED: "Ny kopia begärd",
}
DOCUMENT_STATUS_LABELS = {
    DocumentStatus.RECEIVED: "Inte granskad",
    DocumentStatus.ACCEPTED: "Godkänd",
    DocumentStatus.REJECTED: "Ny kopia begärd",
}
MEDIA_LABELS = {"application/pdf": "PDF", "image/jpeg": "JPEG-bild", "image/png": "PNG-bild"}


def staff_item_label(item: ChecklistItem) -> str:
    """A checklist item's name in Swedish, with whose document it is."""
    if item.extra:
        label = f"Begärt av mottagningen: {item.description or ''}"
    else:
        from portal.applications.rules import RULES_BY_KEY

        rule = RULES_BY_KEY.get(item.key)
        with force_locale("sv"):
            label = str(rule.title) if rule else item.key
    if item.person_role == PersonRole.CO_APPLICANT:
        label += " (medsökande)"
    return label


@dataclass
class Row:
    """One checklist item with its files."""

    item: ChecklistItem
    label: str
    documents: list[Document]


@dataclass
class ReviewPanel:
    """Everything the panel template shows."""

    application: Application
    intake_item: IntakeItem
    rows: list[Row]
    may_review: bool
    accept_form: AcceptForm
    extra_form: ExtraDocumentForm
    new_copy_forms: dict[int, NewCopyForm] = field(default_factory=dict)
    item_state_labels: dict[ItemState, str] = field(default_factory=lambda: ITEM_STATE_LABELS)
    document_status_labels: dict[DocumentStatus, str] = field(default_factory=lambda: DOCUMENT_STATUS_LABELS)
    reason_labels: dict[str, str] = field(default_factory=lambda: STAFF_REASONS)
    media_labels: dict[str, str] = field(default_factory=lambda: MEDIA_LABELS)

    @property
    def accepted(self) -> int:
        """How many checklist items are accepted."""
        return sum(1 for row in self.rows if row.item.state == ItemState.ACCEPTED)


def new_copy_form(document_id: int) -> NewCopyForm:
    """The new-copy form of one document (prefixed, so many on one page keep unique ids).

    A prefix would rename the form's own CSRF field, so the panel sends the plain `csrf_token` field that the
    app-wide CSRFProtect checks on every POST before the view runs.
    """
    return NewCopyForm(prefix=f"doc{document_id}", meta={"csrf": False})


def review_panel(intake_item: IntakeItem, *, staff_id: int) -> ReviewPanel | None:
    """The panel for an e-application's intake item; None for items from other sources."""
    if intake_item.source != Source.E_APPLICATION:
        return None
    application = db.session.scalar(select(Application).where(Application.intake_item_id == intake_item.id))
    if application is None:
        return None
    documents = list(db.session.scalars(
        select(Document).join(ChecklistItem, Document.checklist_item_id == ChecklistItem.id)
        .where(ChecklistItem.application_id == application.id).order_by(Document.id)))
    by_item: dict[int, list[Document]] = {}
    for document in documents:
        by_item.setdefault(document.checklist_item_id, []).append(document)
    rows = [Row(item=item, label=staff_item_label(item), documents=by_item.get(item.id, []))
            for item in application.checklist]
    return ReviewPanel(
        application=application, intake_item=intake_item, rows=rows,
        may_review=intake_item.is_open and intake_item.claimed_by_id == staff_id,
        accept_form=AcceptForm(), extra_form=ExtraDocumentForm(),
        new_copy_forms={d.id: new_copy_form(d.id) for d in documents if d.status == DocumentStatus.RECEIVED})


def outstanding_documents(intake_item: IntakeItem) -> list[str]:
    """The checklist items of the item's e-application that the resident still has to send (missing, sent later,
    new copy requested), each with its state: what marking the documents complete would pass over."""
    if intake_item.source != Source.E_APPLICATION:
        return []
    application = db.session.scalar(select(Application).where(Application.intake_item_id == intake_item.id))
    if application is None:
        return []
    return [f"{staff_item_label(item)} ({ITEM_STATE_LABELS[item.state].lower()})"
            for item in application.checklist if item.state in OUTSTANDING]
