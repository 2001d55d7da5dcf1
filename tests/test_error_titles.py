"""Every page state with an error says so first in its title ("Fel:", translated on resident pages), and an
error summary names the question of each message."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.booking import service as booking
from portal.db import db
from portal.roles import Role
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.intake.factories import create_item
from tests.pages import login_resident, login_staff, parse, submit


@pytest.fixture(autouse=True)
def _tuesday(clock_at: datetime) -> datetime:
    return clock_at


def _title(response: object) -> str:
    return parse(response).title.get_text(strip=True)  # type: ignore[arg-type, union-attr]


def test_resident_login_and_rebooking_errors_have_fel_in_the_title(app: Flask, client: FlaskClient) -> None:
    response = submit(client, "/sv/logga-in", {"personnummer": "123"}, action="/sv/logga-in/utveckling")
    assert response.status_code == 400 and _title(response).startswith("Fel: ")
    response = submit(client, "/ar/logga-in", {"personnummer": "123"}, action="/ar/logga-in/utveckling")
    assert _title(response).startswith("خطأ:")
    response = submit(client, "/sv/tid/", {"code": "AAAA-BBB-CCC"})
    assert response.status_code == 404 and _title(response).startswith("Fel: ")
    item = create_item(person_id=create_person().id)
    booked = booking.book_earliest(purpose="outreach", intake_item_id=item.id, deadline=None)
    assert booked is not None
    db.session.commit()
    _booking, code = booked
    response = submit(client, f"/sv/tid/{code}", {})
    assert response.status_code == 400 and _title(response).startswith("Fel: ")
    response = submit(client, f"/sv/tid/{code}", {}, action=f"/sv/tid/{code}/avboka")
    assert response.status_code == 400 and _title(response).startswith("Fel: ")
    assert not _title(client.get(f"/sv/tid/{code}")).startswith("Fel:")


def test_staff_login_and_settings_errors_have_fel_in_the_title(app: Flask, client: FlaskClient) -> None:
    create_staff_user(email="admin@example.org", role=Role.ADMIN)
    response = login_staff(client, "admin@example.org", "wrong password!!")
    assert response.status_code == 401 and _title(response).startswith("Fel: ")
    assert login_staff(client, "admin@example.org", PASSWORD).status_code == 302
    response = submit(client, "/staff/mottagning/installningar", {"monday": "nonsense", "slot_minutes": "0"})
    assert response.status_code == 400 and _title(response).startswith("Fel: ")
    assert not _title(client.get("/staff/mottagning/installningar")).startswith("Fel:")


@pytest.mark.parametrize("lang", ["sv", "en", "ar"])
def test_the_error_summary_names_the_question_of_each_message(app: Flask, client: FlaskClient, lang: str) -> None:
    from tests.applications.helpers import page_url, start

    login_resident(client, "201701012393", lang=lang)
    application_id = start(client, lang=lang)
    response = submit(client, page_url(application_id, "barn", lang), {
        "has_children": "yes", "child1_born": "2019-04-23", "child1_living": "full",
        "child2_born": "2020-05-01", "child2_living": "full"})
    assert response.status_code == 400
    soup = parse(response, lang=lang)
    entries = [a.get_text(" ", strip=True) for a in soup.select(".error-summary li a")]
    assert len(entries) == 2 and len(set(entries)) == 2, entries
    with app.test_request_context(f"/{lang}/"):
        from flask_babel import force_locale, gettext

        with force_locale(lang):
            first_name = gettext("Barnets förnamn")
    assert all(first_name in entry for entry in entries), entries
    assert soup.title.get_text().startswith(  # type: ignore[union-attr]
        {"sv": "Fel:", "en": "Error:", "ar": "خطأ"}[lang])
