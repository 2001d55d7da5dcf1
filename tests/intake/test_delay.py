"""The delay notice (11 § förvaltningslagen): prompted near the deadline, in the resident's language, recorded."""

from __future__ import annotations

import mailbox
import re
import subprocess
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from portal.audit import AuditEvent
from portal.clock import LOCAL_TZ, local_today
from portal.db import db
from portal.intake.delay import list_notices, needs_delay_notice
from portal.intake.models import IntakeItem, Source
from portal.roles import Role
from portal.workdays import working_days_between
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.intake.factories import create_item
from tests.pages import get_page, login_staff


def _send_delay(client: FlaskClient, item: IntakeItem, *, days_ahead: int, reason: str = "workload",
                follow_redirects: bool = True) -> tuple[TestResponse, dict[str, str]]:
    """Fill in the delay form on the item's page as reception would; returns the answer and the data sent."""
    form = get_page(client, f"/staff/intag/{item.id}").find("form", action=f"/staff/intag/{item.id}/forsening")
    assert form is not None, "no delay prompt on a late item"
    data = {"csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"],
            "version": form.find("input", attrs={"name": "version"})["value"],
            "expected_on": (local_today() + timedelta(days=days_ahead)).isoformat(), "reason": reason}
    return client.post(f"/staff/intag/{item.id}/forsening", data=data, follow_redirects=follow_redirects), data


def _received_working_days_ago(count: int) -> datetime:
    """A moment `count` working days before today (so 15-day limits are near)."""
    day = local_today()
    while working_days_between(day, local_today()) < count:
        day -= timedelta(days=1)
    return datetime(day.year, day.month, day.day, 9, tzinfo=LOCAL_TZ)


def _late_item(**kwargs: Any) -> IntakeItem:
    return create_item(received_at=_received_working_days_ago(13), **kwargs)


def test_staff_are_prompted_only_near_a_serious_delay(app: Flask) -> None:
    assert needs_delay_notice(_late_item())
    assert not needs_delay_notice(create_item())
    assert not needs_delay_notice(_late_item(source=Source.OUTREACH))


def test_notice_goes_out_in_the_residents_language_and_is_recorded(app: Flask, client: FlaskClient,
                                                                   maildir: mailbox.Maildir) -> None:
    create_staff_user(email="rita@example.org", role=Role.RECEPTION, name="Rita")
    person = create_person(name="Karim Haddad", language="ar")
    person.email = "karim@example.org"
    db.session.commit()
    item = _late_item(person_id=person.id)
    login_staff(client, "rita@example.org", PASSWORD)
    response, data = _send_delay(client, item, days_ahead=14, reason="waiting_documents")
    assert "Beskedet om försening är skickat med e-post." in response.get_data(as_text=True)
    # The same form sent again is stale: no second notice, no second e-mail.
    again = client.post(f"/staff/intag/{item.id}/forsening", data=data, follow_redirects=True)
    assert "Någon annan har ändrat ärendet" in again.get_data(as_text=True)
    notices = list_notices(item.id)
    assert len(notices) == 1 and notices[0].language == "ar" and notices[0].channel == "email"
    assert "سبب التأخير" in notices[0].body and "ما زلنا ننتظر مستندات" in notices[0].body
    messages = list(maildir)
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "karim@example.org"
    assert str(make_header(decode_header(message["Subject"]))) == "إشعار بتأخر القرار في قضيتك"
    assert "Karim" not in message.get_payload(decode=True).decode("utf-8")
    page = get_page(client, f"/staff/intag/{item.id}")
    assert page.find("form", action=f"/staff/intag/{item.id}/forsening") is None  # a date ahead is promised
    assert "Besked om försening" in page.get_text()


def test_without_an_address_the_notice_is_kept_for_post_or_phone(app: Flask, client: FlaskClient,
                                                                 maildir: mailbox.Maildir) -> None:
    create_staff_user(email="rita@example.org", role=Role.RECEPTION, name="Rita")
    item = _late_item(person_id=create_person(language="uk").id)
    login_staff(client, "rita@example.org", PASSWORD)
    response, _ = _send_delay(client, item, days_ahead=10)
    assert "skriv ut det och skicka det med post" in response.get_data(as_text=True)
    notice = list_notices(item.id)[0]
    assert notice.channel == "manual" and "Зараз у нас багато заяв" in notice.body
    assert list(maildir) == []


def test_a_date_in_the_past_is_refused(app: Flask, client: FlaskClient) -> None:
    create_staff_user(email="rita@example.org", role=Role.RECEPTION, name="Rita")
    item = _late_item()
    login_staff(client, "rita@example.org", PASSWORD)
    response, _ = _send_delay(client, item, days_ahead=0)
    assert "måste ligga efter i dag" in response.get_data(as_text=True)
    assert list_notices(item.id) == []


def test_an_acute_need_due_today_is_not_a_delayed_decision(app: Flask) -> None:
    from portal.intake.models import Urgency

    assert not needs_delay_notice(create_item(urgency=Urgency.NO_MONEY_FOR_FOOD))


def test_a_notice_kept_for_post_prints_as_a_pdf_in_both_languages_without_an_address(
        app: Flask, client: FlaskClient, tmp_path: Any) -> None:
    create_staff_user(email="rita@example.org", role=Role.RECEPTION, name="Rita")
    item = _late_item(person_id=create_person(language="uk").id)
    other = _late_item(person_id=create_person(personnummer="202503082386", language="sv").id)
    login_staff(client, "rita@example.org", PASSWORD)
    _send_delay(client, item, days_ahead=10, follow_redirects=False)
    notice = list_notices(item.id)[0]
    link = get_page(client, f"/staff/intag/{item.id}").find("a", string=re.compile("som PDF"))
    assert link["href"] == f"/staff/intag/{item.id}/forsening/{notice.id}.pdf"
    response = client.get(link["href"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    path = tmp_path / "besked.pdf"
    path.write_bytes(response.data)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert "Зараз у нас багато заяв" in text  # Ukrainian first
    assert "Beslutet om din ansökan om ekonomiskt bistånd blir försenat" in text  # then Swedish
    assert text.index("Зараз") < text.index("Beslutet om din ansökan")
    assert "Storgatan" not in text and "Testgatan" not in text
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "intake.delay_notice_read", AuditEvent.object_id == str(notice.id))) == 1
    # Another item's address for the same notice answers 404.
    assert client.get(f"/staff/intag/{other.id}/forsening/{notice.id}.pdf").status_code == 404
