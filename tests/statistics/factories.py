"""Keyword-only helpers for statistics tests: notices and attempts written straight to the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from outreach.notices.models import (
    Attempt,
    AttemptChannel,
    AttemptResult,
    Channel,
    Children,
    Decision,
    Notice,
    NoticeKind,
    Outcome,
)
from portal.applications.models import Application, ChecklistItem, ItemState, PersonRole, Status
from portal.db import db
from portal.documents.models import Document
from portal.storage import store_file


def add_notice(*, reference: str, kind: NoticeKind, received: date, deadline: date | None,
               children: Children = Children.UNKNOWN, decision: Decision | None = None,
               outcome: Outcome = Outcome.CONTACTED, case_of: Notice | None = None,
               superseded: bool = False) -> Notice:
    """A notice (flushed, so it has an id); `case_of` puts it in another notice's case."""
    notice = Notice(sender="Testbostäder AB", reference=reference, kind=kind, channel=Channel.FILE,
                    landlord_name="Testbostäder AB", tenant_name="Test Testsson", personnummer="201701012393",
                    address=f"Testgatan {reference}", postal_code="11860", city="Stockholm",
                    tenancy_key=f"testgatan {reference}|11860", received_date=received, deadline=deadline,
                    recovery_deadline=deadline if kind == NoticeKind.TERMINATION else None,
                    children=children, decision=decision, outcome=outcome, superseded=superseded,
                    pipeline_due=False)
    db.session.add(notice)
    db.session.flush()
    notice.case_id = case_of.case_id if case_of is not None else notice.id
    return notice


def add_attempt(notice: Notice, *, on: date, channel: AttemptChannel = AttemptChannel.CALL,
                result: AttemptResult = AttemptResult.REACHED, hour: int = 10) -> Attempt:
    """An attempt on a notice, at office hours on the given day."""
    attempt = Attempt(notice_id=notice.id, channel=channel, result=result, note="",
                      at=datetime.combine(on, time(hour), tzinfo=UTC))
    db.session.add(attempt)
    return attempt


def add_application(*, person_id: int, reference: str, language: str, started: datetime,
                    submitted: datetime | None) -> Application:
    """An application as the e-application leaves it (flushed, so it has an id)."""
    application = Application(person_id=person_id, reference=reference, language=language, answers={},
                              status=Status.SUBMITTED if submitted else Status.DRAFT, started_at=started,
                              submitted_at=submitted)
    db.session.add(application)
    db.session.flush()
    return application


def add_item(application: Application, *, key: str, created: datetime, extra: bool = False,
             uploaded: datetime | None = None) -> ChecklistItem:
    """A checklist item, with one uploaded document when `uploaded` is given."""
    item = ChecklistItem(application_id=application.id, key=key, person_role=PersonRole.APPLICANT, extra=extra,
                         state=ItemState.RECEIVED if uploaded else ItemState.MISSING, created_at=created)
    db.session.add(item)
    db.session.flush()
    if uploaded is not None:
        stored = store_file([b"%PDF-1.4 test"], media_type="application/pdf", original_name=f"{key}.pdf")
        db.session.flush()
        db.session.add(Document(checklist_item_id=item.id, stored_file_id=stored.id, original_name=f"{key}.pdf",
                                media_type="application/pdf", size=stored.size, sha256=stored.sha256,
                                uploaded_at=uploaded))
    return item
