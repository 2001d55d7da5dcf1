"""Resident identity: the development login and its refusal outside development."""

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.audit import AuditEvent
from portal.db import db
from portal.people import get_person_by_personnummer
from tests.pages import get_page, login_resident, submit


def test_development_login_stores_the_twelve_digit_number(client: FlaskClient, app: Flask) -> None:
    response = login_resident(client, "170101-2393")
    assert response.status_code == 302
    person = get_person_by_personnummer("201701012393")
    assert person is not None
    event = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "resident.login")).one()
    assert "loa=test" in (event.detail or "")


def test_samordningsnummer_can_log_in(client: FlaskClient, app: Flask) -> None:
    assert login_resident(client, "701063-2391").status_code == 302
    assert get_person_by_personnummer("197010632391") is not None


def test_wrong_check_digit_gets_a_message_in_the_residents_language(client: FlaskClient, app: Flask) -> None:
    response = submit(client, "/en/logga-in", {"personnummer": "201701012394"}, action="/en/logga-in/utveckling")
    assert response.status_code == 400
    from tests.pages import parse

    soup = parse(response, lang="en")
    summary = soup.find(class_="error-summary")
    assert summary is not None
    assert "Personnumret stämmer inte" not in summary.get_text()
    assert soup.find("input", attrs={"name": "personnummer"})["value"] == "201701012394"


def test_login_page_offers_the_development_login_only_in_development(client: FlaskClient) -> None:
    soup = get_page(client, "/sv/logga-in")
    assert soup.find("input", attrs={"name": "personnummer"}) is not None


class TestOutsideDevelopment:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"DEVELOPMENT": False, "DEV_LOGIN": False}

    def test_server_refuses_the_development_login(self, client: FlaskClient, app: Flask) -> None:
        token_page = client.get("/sv/logga-in")
        assert b'name="personnummer"' not in token_page.data
        with client.session_transaction():
            pass
        from flask_wtf.csrf import generate_csrf

        with app.test_request_context():
            generate_csrf()
        response = client.post("/sv/logga-in/utveckling", data={"personnummer": "201701012393"})
        assert response.status_code in (400, 403)
        assert get_person_by_personnummer("201701012393") is None

    def test_refused_even_with_a_valid_csrf_token(self, client: FlaskClient, app: Flask) -> None:
        from tests.pages import csrf_token

        token = csrf_token(client, "/staff/login")
        response = client.post("/sv/logga-in/utveckling", data={"personnummer": "201701012393", "csrf_token": token})
        assert response.status_code == 403
        assert get_person_by_personnummer("201701012393") is None
