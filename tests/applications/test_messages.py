"""Messages between a resident and the reception, on both databases: through the pages, with a real SMTP server.

The e-mail to the resident says only that something is new; the message is read behind the login. A double
click sends one message; another resident gets 404; an empty or overlong message is refused in the resident's
language without losing what they wrote. Also here: a double click on "start" makes one draft.
"""

from __future__ import annotations

import mailbox

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.applications import service
from portal.applications.models import Application, ApplicationMessage, Author, Status
from portal.audit import AuditEvent
from portal.db import db
from portal.intake.models import IntakeEvent
from portal.roles import Role
from tests.documents.factories import create_application
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.pages import get_page, login_resident, login_staff, parse, submit

OTHER = "202503082386"


def _messages(application_id: int) -> list[ApplicationMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(ApplicationMessage).where(ApplicationMessage.application_id
                                                                     == application_id)
                                   .order_by(ApplicationMessage.id)))


def test_resident_and_reception_write_to_each_other_and_the_email_says_nothing(
        app: Flask, client: FlaskClient, maildir: mailbox.Maildir) -> None:
    person = create_person(language="ar")
    application = create_application(person_id=person.id, email="amina@example.org", language="ar")
    status_url = f"/ar/ansokan/{application.id}/status"
    login_resident(client, "201701012393", lang="ar")
    page = get_page(client, status_url, lang="ar", direction="rtl")
    assert "لا توجد رسائل بعد" in page.get_text()
    response = submit(client, status_url, {"body": "Hur lång tid tar det?\nJag har ingen mat."},
                      action=f"/ar/ansokan/{application.id}/meddelande")
    assert response.status_code == 302
    [message] = _messages(application.id)
    assert message.author == Author.RESIDENT and message.body == "Hur lång tid tar det?\nJag har ingen mat."
    history = db.session.scalars(select(IntakeEvent.kind).where(IntakeEvent.item_id == application.intake_item_id))
    assert "message" in list(history)

    # Reception reads it on the intake item (marked new once), and answers.
    create_staff_user(role=Role.RECEPTION, name="Rita Reception")
    staff = app.test_client()
    login_staff(staff, "rita@example.org", PASSWORD)
    item_url = f"/staff/intag/{application.intake_item_id}"
    # The queue says who wrote, until someone has read it.
    notice = parse(staff.get("/staff/intag/")).find("h2", string="Olästa meddelanden från sökande")
    assert notice is not None
    assert notice.find_next("a")["href"] == f"{item_url}#meddelanden"
    section = parse(staff.get(item_url)).find("section", attrs={"aria-labelledby": "meddelanden"})
    assert "Jag har ingen mat." in section.get_text() and "Nytt" in section.get_text()
    assert _messages(application.id)[0].read_at is not None
    again = parse(staff.get(item_url)).find("section", attrs={"aria-labelledby": "meddelanden"})
    assert "Nytt" not in again.get_text()
    assert parse(staff.get("/staff/intag/")).find("h2", string="Olästa meddelanden från sökande") is None
    reply = "Vi ringer dig i morgon förmiddag. Ta med hyresavin."
    response = submit(staff, item_url, {"body": reply}, action=f"/staff/ansokan/{application.id}/meddelande")
    assert response.status_code == 302 and response.headers["Location"].endswith("#meddelanden")
    assert [m.author for m in _messages(application.id)] == [Author.RESIDENT, Author.STAFF]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "application.message")) == 1

    # The e-mail: in Arabic, only that there is something new and where to log in.
    [mail] = list(maildir)
    body = mail.get_payload(decode=True).decode("utf-8")
    assert mail["To"] == "amina@example.org"
    assert "hyresavin" not in body and "ingen mat" not in body and application.reference not in body
    assert "/ar/" in body

    # The resident sees the answer, marked new the first time only.
    page = get_page(client, status_url)
    text = page.find(id="meddelanden").find_next("ol").get_text(" ", strip=True)
    assert reply in text and "جديد" in text
    assert "جديد" not in get_page(client, status_url).find(id="meddelanden").find_next("ol").get_text()


def test_a_double_click_sends_one_message(app: Flask, client: FlaskClient) -> None:
    person = create_person()
    application = create_application(person_id=person.id)
    login_resident(client, "201701012393")
    status_url = f"/sv/ansokan/{application.id}/status"
    for _ in range(2):
        assert submit(client, status_url, {"body": "Hej!"},
                      action=f"/sv/ansokan/{application.id}/meddelande").status_code == 302
    assert len(_messages(application.id)) == 1
    submit(client, status_url, {"body": "En fråga till."}, action=f"/sv/ansokan/{application.id}/meddelande")
    assert len(_messages(application.id)) == 2


def test_an_empty_or_overlong_message_is_refused_and_nothing_is_lost(app: Flask, client: FlaskClient) -> None:
    person = create_person(language="ar")
    application = create_application(person_id=person.id, language="ar")
    login_resident(client, "201701012393", lang="ar")
    status_url = f"/ar/ansokan/{application.id}/status"
    response = submit(client, status_url, {"body": "   "}, action=f"/ar/ansokan/{application.id}/meddelande")
    assert response.status_code == 400
    page = parse(response)
    assert "اكتب رسالتك." in page.find(class_="error-summary").get_text()
    assert page.find(id="body")["aria-invalid"] == "true"
    long_text = "ا" * 2001
    response = submit(client, status_url, {"body": long_text}, action=f"/ar/ansokan/{application.id}/meddelande")
    page = parse(response)
    assert response.status_code == 400
    assert "2000" in page.find(class_="error-summary").get_text()
    # what they wrote is still there (a browser drops the newline WTForms puts first in a textarea)
    assert page.find(id="body").get_text().removeprefix("\r\n") == long_text
    assert _messages(application.id) == []


def test_another_resident_gets_404(app: Flask, client: FlaskClient) -> None:
    person = create_person()
    application = create_application(person_id=person.id)
    create_person(personnummer=OTHER, name="Annan Person")
    login_resident(client, OTHER)
    assert client.get(f"/sv/ansokan/{application.id}/status").status_code == 404
    response = client.post(f"/sv/ansokan/{application.id}/meddelande", data={"body": "x"})
    assert response.status_code in (400, 404)  # no CSRF token: refused before the view; never stored
    assert _messages(application.id) == []


def test_a_draft_cannot_get_messages(app: Flask, client: FlaskClient) -> None:
    person = create_person()
    draft = create_application(person_id=person.id, submitted=False)
    login_resident(client, "201701012393")
    assert submit(client, "/sv/ansokan/", {}, action="/sv/ansokan/ny").status_code == 302
    response = client.get(f"/sv/ansokan/{draft.id}/status")
    assert response.status_code == 302  # a draft's status page is the draft itself
    assert _messages(draft.id) == []


def test_one_draft_per_resident_even_when_two_starts_race(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    person = create_person()
    first = service.start_application(person.id, language="sv")
    # A second request of a double click did not see the first one's draft when it looked (it was not
    # committed yet); after its own insert it sees it, gives up its own and answers with the first.
    real_get_draft = service.get_draft
    calls: list[int] = []

    def not_yet_committed(person_id: int) -> Application | None:
        calls.append(person_id)
        return None if len(calls) == 1 else real_get_draft(person_id)

    monkeypatch.setattr(service, "get_draft", not_yet_committed)
    second = service.start_application(person.id, language="sv")
    assert second.id == first.id
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Application).where(
        Application.person_id == person.id, Application.status == Status.DRAFT)) == 1


def test_staff_cannot_send_an_empty_message_and_a_caseworker_cannot_send_at_all(app: Flask, client: FlaskClient
                                                                                 ) -> None:
    person = create_person()
    application = create_application(person_id=person.id)
    create_staff_user(role=Role.RECEPTION)
    login_staff(client, "rita@example.org", PASSWORD)
    item_url = f"/staff/intag/{application.intake_item_id}"
    response = submit(client, item_url, {"body": "   "}, action=f"/staff/ansokan/{application.id}/meddelande",
                      follow_redirects=True)
    assert "Skriv meddelandet." in response.get_data(as_text=True)
    assert _messages(application.id) == []
    caseworker = app.test_client()
    create_staff_user(email="kalle@example.org", role=Role.CASEWORKER)
    login_staff(caseworker, "kalle@example.org", PASSWORD)
    response = caseworker.post(f"/staff/ansokan/{application.id}/meddelande",
                               data={"csrf_token": "", "body": "Hej"})
    assert response.status_code in (400, 403)
    assert _messages(application.id) == []
