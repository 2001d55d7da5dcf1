"""The reception's review of documents, on both databases: accept, new copy, extra document, the clock."""

from __future__ import annotations

import mailbox

import pytest
from flask import Flask
from sqlalchemy import select

from portal.applications.models import Application, ChecklistItem, ItemState, Status
from portal.applications.notify import notify_resident
from portal.audit import AuditEvent
from portal.clock import local_today
from portal.db import db
from portal.documents import service
from portal.documents.models import DocumentStatus
from portal.documents.service import ReviewError
from portal.intake.claims import claim_item
from portal.intake.models import IntakeEvent, State
from portal.roles import Role
from portal.staff.models import StaffUser
from tests.documents import samples
from tests.documents.factories import create_application, intake_item_of, upload
from tests.factories import create_person, create_staff_user
from tests.mailserver import free_port


def _setup(*, email: str | None = None, language: str = "sv",
           keys: tuple[str, ...] = ("account_statements", "rental_contract")) -> tuple[Application, StaffUser]:
    person = create_person(language=language)
    application = create_application(person_id=person.id, email=email, language=language, keys=keys)
    for item in application.checklist:
        service.add_document(item, upload(samples.simple_pdf()), person_id=person.id)
    staff = create_staff_user(role=Role.RECEPTION)
    claim_item(application.intake_item_id, staff=staff)  # type: ignore[arg-type]
    return application, staff


def _documents(application: Application) -> list[int]:
    return [d.id for item in application.checklist for d in service.list_documents(item)]


def test_accepting_every_document_completes_the_checklist_and_starts_the_decision_clock(app: Flask) -> None:
    application, staff = _setup()
    first, second = _documents(application)
    service.accept_document(first, staff=staff)
    assert intake_item_of(application).documents_complete_on is None
    service.accept_document(second, staff=staff)
    db.session.expire_all()
    assert all(item.state == ItemState.ACCEPTED for item in application.checklist)
    assert application.status == Status.DOCUMENTS_COMPLETE
    intake_item = intake_item_of(application)
    assert intake_item.documents_complete_on == local_today()
    kinds = [e.kind for e in db.session.scalars(select(IntakeEvent).where(IntakeEvent.item_id == intake_item.id))]
    assert kinds.count("document_accepted") == 2
    assert "documents_complete" in kinds
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert "document.accept" in actions


def test_a_document_is_reviewed_once(app: Flask) -> None:
    application, staff = _setup()
    first, _ = _documents(application)
    service.accept_document(first, staff=staff)
    with pytest.raises(ReviewError, match="redan granskad"):
        service.accept_document(first, staff=staff)
    with pytest.raises(ReviewError, match="redan granskad"):
        service.request_new_copy(first, staff=staff, reason_code="unreadable", text="")


def test_only_the_holder_of_the_intake_item_may_review(app: Flask) -> None:
    application, _staff = _setup()
    other = create_staff_user(email="olle@example.org", role=Role.RECEPTION)
    first, _ = _documents(application)
    with pytest.raises(ReviewError, match="Ta ärendet först"):
        service.accept_document(first, staff=other)
    with pytest.raises(ReviewError, match="Ta ärendet först"):
        service.request_extra_document(application.id, staff=other, description="Lönebesked för november")
    db.session.expire_all()
    assert service.get_document(first).status == DocumentStatus.RECEIVED  # type: ignore[union-attr]


def test_a_new_copy_pauses_the_clock_tells_the_resident_and_resumes_when_it_arrives(
        app: Flask, maildir: mailbox.Maildir) -> None:
    application, staff = _setup(email="amina@example.org", language="ar")
    first, second = _documents(application)
    service.accept_document(second, staff=staff)
    service.request_new_copy(first, staff=staff, reason_code="unreadable", text="Sidan 2 är suddig.")
    db.session.expire_all()
    item = db.session.get(ChecklistItem, application.checklist[0].id)
    assert item is not None
    assert (item.state, item.reason) == (ItemState.NEW_COPY_REQUESTED, "unreadable")
    document = service.get_document(first)
    assert document is not None
    assert (document.status, document.reason_code, document.reason) == (DocumentStatus.REJECTED, "unreadable",
                                                                       "Sidan 2 är suddig.")
    assert document.reviewed_by == staff.id
    assert intake_item_of(application).state == State.WAITING_FOR_RESIDENT
    with app.test_request_context("/en/"):
        assert service.new_copy_reason(item) == (
            "We cannot read the document. Photograph or scan it again so that all the text can be seen.",
            "Sidan 2 är suddig.")
    # The e-mail says only that there is something new, in the resident's language, with no case details.
    messages = list(maildir)
    assert len(messages) == 1
    body = messages[0].get_payload(decode=True).decode()
    assert messages[0]["To"] == "amina@example.org"
    assert "http://127.0.0.1:5000/ar/" in body
    for secret in ("suddig", "kontoutdrag", "Kontoutdrag", application.reference, "Test Testsson", "bistånd"):
        assert secret not in body and secret not in str(messages[0]["Subject"])
    assert any("\u0600" <= ch <= "\u06ff" for ch in body)  # Arabic
    # The resident sends a new copy: the clock runs again, and staff can accept it.
    service.add_document(item, upload(samples.simple_pdf()), person_id=application.person_id)
    assert intake_item_of(application).state == State.IN_REVIEW
    newest = service.list_documents(item)[-1]
    service.accept_document(newest.id, staff=staff)
    assert intake_item_of(application).documents_complete_on == local_today()


def test_a_new_copy_needs_a_reason_from_the_list_and_words_for_other(app: Flask) -> None:
    application, staff = _setup()
    first, _ = _documents(application)
    with pytest.raises(ReviewError, match="Välj ett skäl"):
        service.request_new_copy(first, staff=staff, reason_code="", text="")
    with pytest.raises(ReviewError, match="Välj ett skäl"):
        service.request_new_copy(first, staff=staff, reason_code="<script>", text="")
    with pytest.raises(ReviewError, match="Annat skäl"):
        service.request_new_copy(first, staff=staff, reason_code="other", text="  ")


def test_an_extra_document_is_added_to_the_checklist_and_the_clock_waits(app: Flask,
                                                                         maildir: mailbox.Maildir) -> None:
    application, staff = _setup(email="resident@example.org")
    for document_id in _documents(application):
        service.accept_document(document_id, staff=staff)
    extra = service.request_extra_document(application.id, staff=staff,
                                           description="Kvitto på betald hyra för oktober")
    db.session.expire_all()
    assert (extra.extra, extra.state, extra.description) == (True, ItemState.MISSING,
                                                             "Kvitto på betald hyra för oktober")
    assert application.status == Status.SUBMITTED  # something is missing again
    assert intake_item_of(application).state == State.WAITING_FOR_RESIDENT
    assert len(list(maildir)) == 1
    service.add_document(extra, upload(samples.phone_jpeg(), name="kvitto.jpg"), person_id=application.person_id)
    assert intake_item_of(application).state == State.IN_REVIEW
    with pytest.raises(ReviewError, match="Skriv vilket dokument"):
        service.request_extra_document(application.id, staff=staff, description=" ")


def test_no_e_mail_without_an_address_and_a_failing_server_is_not_fatal(app: Flask) -> None:
    application, staff = _setup(email=None)
    first, second = _documents(application)
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"
    service.request_new_copy(first, staff=staff, reason_code="incomplete", text="")
    assert notify_resident(application) is False
    application.email = "resident@example.org"
    db.session.commit()
    service.request_new_copy(second, staff=staff, reason_code="wrong_period", text="")  # server down: no error
    assert service.get_document(second).status == DocumentStatus.REJECTED  # type: ignore[union-attr]
