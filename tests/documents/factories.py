"""Keyword-only factories for document tests: a submitted application with its checklist and intake item."""

from __future__ import annotations

import io
import itertools

from werkzeug.datastructures import FileStorage

from portal.applications.models import Application, ChecklistItem, ItemState, PersonRole, Status
from portal.db import db, utcnow
from portal.intake.models import IntakeItem, Source
from portal.intake.service import add_intake_item

_numbers = itertools.count(1)


def create_application(*, person_id: int, keys: tuple[str, ...] = ("account_statements", "rental_contract"),
                       submitted: bool = True, email: str | None = None, language: str = "sv",
                       co_applicant_person_id: int | None = None) -> Application:
    """A committed application with one checklist item per key, in the intake queue when `submitted`."""
    number = next(_numbers)
    application = Application(person_id=person_id, reference=f"EB-TEST-{number:04d}", language=language,
                              status=Status.SUBMITTED if submitted else Status.DRAFT, answers={}, email=email,
                              co_applicant_person_id=co_applicant_person_id,
                              submitted_at=utcnow() if submitted else None)
    application.checklist = [ChecklistItem(key=key, person_role=PersonRole.APPLICANT, state=ItemState.MISSING)
                             for key in keys]
    db.session.add(application)
    db.session.flush()
    if submitted:
        item = add_intake_item(source=Source.E_APPLICATION, source_key=f"application:{application.id}",
                               person_id=person_id, summary="E-ansökan")
        application.intake_item_id = item.id
    db.session.commit()
    return application


def intake_item_of(application: Application) -> IntakeItem:
    """The application's intake item."""
    item = db.session.get(IntakeItem, application.intake_item_id)
    assert item is not None
    return item


def upload(data: bytes, name: str = "kontoutdrag.pdf", content_type: str = "application/pdf") -> FileStorage:
    """A file as the browser sends it (the name and type are whatever the browser says)."""
    return FileStorage(stream=io.BytesIO(data), filename=name, content_type=content_type)
