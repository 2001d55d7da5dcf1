"""The e-application's part of the hand-off to the case system (FORMATS.md §5): answers and document list."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from portal.applications.models import Application
from portal.db import db
from portal.people import Person

# The address is never handed over for a protected identity (DOMAIN.md: never print, show or export it).
ADDRESS_FIELDS = ("street", "postcode", "city")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def application_section(intake_item_id: int, *, protected: bool = False) -> dict[str, Any] | None:
    """The application behind an intake item, as plain JSON; None when the item is not an e-application."""
    application = db.session.scalar(select(Application).where(Application.intake_item_id == intake_item_id))
    if application is None:
        return None
    answers = {key: dict(values) for key, values in application.answers.items()}
    if protected and "about" in answers:
        for name in ADDRESS_FIELDS:
            answers["about"].pop(name, None)
    co_applicant = db.session.get(Person, application.co_applicant_person_id) \
        if application.co_applicant_person_id else None
    document_table = db.metadata.tables.get("document")
    documents: dict[int, list[int]] = {}
    if document_table is not None:
        item_ids = [item.id for item in application.checklist]
        if item_ids:
            rows = db.session.execute(select(document_table.c.checklist_item_id, document_table.c.id)
                                      .where(document_table.c.checklist_item_id.in_(item_ids))
                                      .order_by(document_table.c.id)).all()
            for item_id, document_id in rows:
                documents.setdefault(item_id, []).append(document_id)
    return {
        "reference": application.reference,
        "kind": application.kind,
        "language": application.language,
        "started_at": _iso(application.started_at),
        "submitted_at": _iso(application.submitted_at),
        "outside_area": application.outside_area,
        "co_applicant": None if co_applicant is None else {
            "personnummer": co_applicant.personnummer, "name": co_applicant.name,
            "confirmed_at": _iso(application.co_applicant_confirmed_at)},
        "answers": answers,
        "documents": [{"key": item.key, "person": item.person_role, "state": item.state, "extra": item.extra,
                       "description": item.description, "reason": item.reason,
                       "document_ids": documents.get(item.id, [])} for item in application.checklist],
    }
