"""Document routes: downloads only as attachments, audit-logged for staff, 404 for another resident; the review
panel on the intake item page and its forms."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from portal.applications.models import Application, ItemState
from portal.audit import AuditEvent
from portal.db import db
from portal.documents import service
from portal.documents.models import Document, DocumentStatus
from portal.intake.claims import claim_item
from portal.roles import Role
from tests.documents import samples
from tests.documents.factories import create_application, upload
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.pages import csrf_token, get_page, login_resident, login_staff, parse, submit

OTHER = "202503082386"


def _application_with_documents() -> tuple[Application, Document, Document]:
    person = create_person()
    application = create_application(person_id=person.id)
    pdf = service.add_document(application.checklist[0], upload(samples.real_pdf(), name="konto.pdf"),
                               person_id=person.id)
    photo = service.add_document(application.checklist[1], upload(samples.phone_jpeg(), name="hyra.html",
                                                                  content_type="text/html"), person_id=person.id)
    return application, pdf, photo


def _download(client: FlaskClient, url: str) -> TestResponse:
    """GET a file, read it whole and close it (as a WSGI server does; it closes the stored file)."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


def _assert_attachment(response: TestResponse, name: str) -> None:
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert name in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_staff_download_is_an_attachment_and_is_in_the_audit_log(app: Flask, client: FlaskClient) -> None:
    application, pdf, photo = _application_with_documents()
    create_staff_user(role=Role.RECEPTION)
    login_staff(client, "rita@example.org", PASSWORD)
    response = _download(client, f"/staff/dokument/{pdf.id}")
    _assert_attachment(response, "konto.pdf")
    assert response.mimetype == "application/pdf"
    assert response.data == samples.real_pdf()
    # A photo uploaded as "hyra.html" is served as the JPEG its content is, under a .jpg name.
    response = _download(client, f"/staff/dokument/{photo.id}")
    _assert_attachment(response, "hyra.jpg")
    assert response.mimetype == "image/jpeg"
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "document.download")))
    assert [(e.object_id, e.person_id, e.actor_kind) for e in events] == [
        (str(pdf.id), application.person_id, "staff"), (str(photo.id), application.person_id, "staff")]
    assert client.get("/staff/dokument/999999").status_code == 404


def test_other_roles_and_residents_cannot_download_through_the_staff_route(app: Flask, client: FlaskClient) -> None:
    _application, pdf, _photo = _application_with_documents()
    create_staff_user(email="outreach@example.org", role=Role.OUTREACH)
    login_staff(client, "outreach@example.org", PASSWORD)
    assert _download(client, f"/staff/dokument/{pdf.id}").status_code == 403
    resident = app.test_client()
    login_resident(resident, "201701012393")
    assert resident.get(f"/staff/dokument/{pdf.id}").status_code == 302


def test_a_resident_downloads_their_own_document_but_gets_404_for_anothers(app: Flask, client: FlaskClient) -> None:
    _application, pdf, _photo = _application_with_documents()
    login_resident(client, "201701012393")
    _assert_attachment(_download(client, f"/sv/dokument/{pdf.id}"), "konto.pdf")
    other = create_person(personnummer=OTHER, name="Annan Person")
    mine = create_application(person_id=other.id)
    own = service.add_document(mine.checklist[0], upload(samples.simple_pdf()), person_id=other.id)
    other_client = app.test_client()
    login_resident(other_client, OTHER)
    assert _download(other_client, f"/sv/dokument/{pdf.id}").status_code == 404
    assert other_client.get("/sv/dokument/999999").status_code == 404
    _assert_attachment(_download(other_client, f"/ar/dokument/{own.id}"), "kontoutdrag.pdf")


def test_a_co_applicant_may_download_the_households_documents(app: Flask, client: FlaskClient) -> None:
    partner = create_person(personnummer=OTHER, name="Partner")
    applicant = create_person()
    application = create_application(person_id=applicant.id, co_applicant_person_id=partner.id)
    document = service.add_document(application.checklist[0], upload(samples.simple_pdf()), person_id=partner.id)
    login_resident(client, OTHER)
    _assert_attachment(_download(client, f"/sv/dokument/{document.id}"), "kontoutdrag.pdf")


def test_the_review_panel_on_the_intake_item_page_accepts_and_asks_for_copies(app: Flask,
                                                                              client: FlaskClient) -> None:
    application, pdf, photo = _application_with_documents()
    staff = create_staff_user(role=Role.RECEPTION)
    login_staff(client, "rita@example.org", PASSWORD)
    page_url = f"/staff/intag/{application.intake_item_id}"
    page = get_page(client, page_url)
    panel = page.find(id="handlingar")
    assert panel is not None
    assert panel.find("a", href=f"/staff/dokument/{pdf.id}") is not None
    assert "Ta ärendet för att granska" in panel.get_text()
    assert panel.find("form") is None
    claim_item(application.intake_item_id, staff=staff)  # type: ignore[arg-type]
    page = get_page(client, page_url)
    panel = page.find(id="handlingar")
    assert panel.find("form", action=f"/staff/dokument/{pdf.id}/godkann") is not None
    assert panel.find("select", id=f"doc{photo.id}-reason") is not None

    response = submit(client, page_url, {}, action=f"/staff/dokument/{pdf.id}/godkann")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{page_url}#handlingar")
    response = submit(client, page_url, {f"doc{photo.id}-reason": "unreadable", f"doc{photo.id}-text": "Suddig."},
                      action=f"/staff/dokument/{photo.id}/ny-kopia")
    assert response.status_code == 302
    response = submit(client, page_url, {"description": "Lönebesked för oktober"},
                      action=f"/staff/ansokan/{application.id}/extra-dokument", follow_redirects=True)
    assert "Den sökande har fått besked om det nya dokumentet." in response.get_data(as_text=True)
    db.session.expire_all()
    assert service.get_document(pdf.id).status == DocumentStatus.ACCEPTED  # type: ignore[union-attr]
    assert service.get_document(photo.id).status == DocumentStatus.REJECTED  # type: ignore[union-attr]
    assert [i.state for i in application.checklist] == [ItemState.ACCEPTED, ItemState.NEW_COPY_REQUESTED,
                                                       ItemState.MISSING]
    text = get_page(client, page_url).get_text()
    assert "Begärt av mottagningen: Lönebesked för oktober" in text
    assert "Går inte att läsa" in text


def test_review_forms_without_a_reason_or_a_csrf_token_change_nothing(app: Flask, client: FlaskClient) -> None:
    application, pdf, _photo = _application_with_documents()
    staff = create_staff_user(role=Role.RECEPTION)
    claim_item(application.intake_item_id, staff=staff)  # type: ignore[arg-type]
    login_staff(client, "rita@example.org", PASSWORD)
    page_url = f"/staff/intag/{application.intake_item_id}"
    response = submit(client, page_url, {f"doc{pdf.id}-reason": ""}, action=f"/staff/dokument/{pdf.id}/ny-kopia",
                      follow_redirects=True)
    assert "Välj ett skäl" in response.get_data(as_text=True)
    assert client.post(f"/staff/dokument/{pdf.id}/godkann").status_code == 400
    assert client.post("/staff/dokument/999999/godkann").status_code in (400, 404)
    db.session.expire_all()
    assert service.get_document(pdf.id).status == DocumentStatus.RECEIVED  # type: ignore[union-attr]


def test_the_upload_page_explains_each_refused_file_on_the_same_page_and_stores_nothing(
        app: Flask, client: FlaskClient) -> None:
    from flask import url_for

    from portal.people import get_person_by_personnummer
    from portal.storage import StoredFile
    from tests.documents.test_checks import ATTACKS

    login_resident(client, "201701012393", lang="ar")
    person = get_person_by_personnummer("201701012393")
    assert person is not None
    application = create_application(person_id=person.id, submitted=False, language="ar")
    item = application.checklist[0]
    with app.test_request_context():
        url = url_for("applications.document", lang="ar", application_id=application.id, item_id=item.id)
    token = csrf_token(client, url)
    files = [(io.BytesIO(make()), "kontoutdrag.pdf", "application/pdf") for _label, make, _reason in ATTACKS]
    files.append((io.BytesIO(samples.real_pdf()), "../../etc/passwd", "application/pdf"))
    files.append((io.BytesIO(samples.phone_jpeg()), "IMG_0001.JPG", "image/jpeg"))
    response = client.post(url, data={"csrf_token": token, "files": files}, content_type="multipart/form-data")
    assert response.status_code == 400
    page = parse(response, lang="ar", direction="rtl")
    summary = page.find(class_="error-summary")
    assert summary is not None
    assert len(summary.find_all("li")) == len(ATTACKS) + 1  # every refused file has its own message
    assert "PDF" in summary.get_text()
    db.session.expire_all()
    documents = service.list_documents(item)
    assert [d.media_type for d in documents] == ["image/jpeg"]  # the good photo among them was kept
    assert db.session.scalar(select(func.count()).select_from(StoredFile)) == 1
