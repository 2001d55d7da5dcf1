"""Reminders for documents the resident chose to send later: once, after the configured days, no personal data."""

from __future__ import annotations

import mailbox
from datetime import timedelta
from email.header import decode_header, make_header

from flask import Flask

from portal.applications import service
from portal.applications.reminders import send_reminders
from portal.db import db, utcnow
from portal.jobs import scheduled_jobs
from tests.applications.factories import ANSWERS, create_application
from tests.factories import create_person


def _later(days_ago: int, *, language: str = "ar", email: str | None = "amina@example.org",
           personnummer: str = "201701012393") -> int:
    person = create_person(personnummer=personnummer)
    application = create_application(person_id=person.id, language=language,
                                      about={**ANSWERS["about"], "email": email or ""})
    item = application.checklist[0]
    service.send_later(item, person_id=person.id)
    item.later_since = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return application.id


def test_a_reminder_goes_out_once_after_the_configured_days(app: Flask, maildir: mailbox.Maildir) -> None:
    app.config["APPLICATION_REMINDER_DAYS"] = 7
    _later(8)
    assert send_reminders() == 1
    assert send_reminders() == 0
    messages = list(maildir)
    assert len(messages) == 1
    message = messages[0]
    assert message["To"] == "amina@example.org"
    body = message.get_payload(decode=True).decode()
    assert "/ar/ansokan/" in body
    assert str(make_header(decode_header(message["Subject"]))) == "تذكير: مستندات لطلبك"
    # Nothing about the case: no name, no reference, no document.
    assert "Amina" not in body and "EB-" not in body and "Kontoutdrag" not in body


def test_no_reminder_before_the_days_have_passed_or_without_an_address(app: Flask,
                                                                       maildir: mailbox.Maildir) -> None:
    app.config["APPLICATION_REMINDER_DAYS"] = 7
    _later(3)
    _later(30, email=None, personnummer="201701022384")
    assert send_reminders() == 0
    assert list(maildir) == []


def test_the_reminder_job_is_registered(app: Flask) -> None:
    assert "applications.send_reminders" in {spec.id for spec in scheduled_jobs()}
