"""Messages between a resident and the reception carry their own language and direction: an Arabic message on
the Swedish staff page is `lang="ar" dir="auto"` (drawn right to left, its phone number in order), and a
Swedish reply on an Arabic page is `lang="sv"`."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.applications import messages
from portal.applications.service import submit_application
from portal.clock import LOCAL_TZ
from portal.staff.models import Role
from tests.applications.factories import create_application
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.pages import get_page, login_resident, login_staff

pytestmark = pytest.mark.parametrize("clock_at", [datetime(2026, 12, 8, 10, 0, tzinfo=LOCAL_TZ)], indirect=True)

ARABIC = "اتصلوا بي على الرقم 070-123 45 67 من فضلكم"
SWEDISH = "Vi ringer dig i morgon förmiddag."


def test_each_message_has_its_language_and_direction(app: Flask, client: FlaskClient, clock_at: datetime) -> None:
    person = create_person(language="ar")
    application = create_application(person_id=person.id, language="ar")
    application = submit_application(application.id, person_id=person.id, language="ar")
    messages.send_from_resident(application, body=ARABIC)
    staff = create_staff_user(email="rita@example.org", role=Role.RECEPTION)
    messages.send_from_staff(application.id, staff=staff, body=SWEDISH)

    login_staff(client, staff.email, PASSWORD)
    item_page = get_page(client, f"/staff/intag/{application.intake_item_id}", lang="sv")
    body = item_page.find("p", string=ARABIC)
    assert body is not None and body["lang"] == "ar" and body["dir"] == "auto"
    assert item_page.find("p", string=SWEDISH)["lang"] == "sv"

    resident = app.test_client()  # another browser: the resident's
    login_resident(resident, person.personnummer, lang="ar")
    status = get_page(resident, f"/ar/ansokan/{application.id}/status", lang="ar", direction="rtl")
    reply = status.find("p", string=SWEDISH)
    assert reply is not None and reply["lang"] == "sv" and reply["dir"] == "auto"
    assert status.find("p", string=ARABIC)["lang"] == "ar"
    assert status.find("textarea", attrs={"name": "body"})["dir"] == "auto", "what the resident types, too"
