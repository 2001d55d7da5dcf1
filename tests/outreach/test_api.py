"""The landlord notice API (FORMATS.md §2): keys, answers 201/200/422/401/403/413/429, the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from outreach.api.keys import create_key, list_keys, revoke_key
from outreach.notices.models import ApiKey, Notice
from portal.db import db
from tests.outreach.factories import notice_by_reference

NOTICE = {"typ": "uppsägning", "referens": "API-1", "hyresvard": "Testbostäder AB", "hyresgast_namn": "Test",
          "personnummer": "201701012393", "adress": "Testgatan 1", "postnummer": "11860", "ort": "Stockholm",
          "skuld_kr": "12 500,50", "uppsagning_datum": "2026-11-16"}


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def key(app: Flask) -> str:
    return create_key(landlord_name="Testbostäder AB", landlord_orgnr="556000-0009")[1]


def test_a_notice_is_created_once_and_a_repeat_answers_200(client: FlaskClient, key: str) -> None:
    first = client.post("/api/v1/notices", json=NOTICE, headers=_auth(key))
    assert first.status_code == 201, first.json
    assert first.json is not None
    notice = notice_by_reference("API-1")
    assert first.json["created"] == [notice.id]
    assert notice.sender == "5560000009" and notice.amount_text == "12 500,50"
    again = client.post("/api/v1/notices", json=NOTICE, headers=_auth(key))
    assert again.status_code == 200 and again.json is not None and again.json["repeats"] == [notice.id]


def test_a_list_with_english_aliases(client: FlaskClient, key: str) -> None:
    second = {"type": "avhysning", "reference": "KFM-9", "landlord": "Testbostäder AB", "tenant_name": "Test",
              "address": "Testgatan 1", "postal_code": "118 60", "city": "Stockholm",
              "eviction_date": "2026-12-08 09:00"}
    response = client.post("/api/v1/notices", json=[NOTICE, second], headers=_auth(key))
    assert response.status_code == 201 and response.json is not None and len(response.json["created"]) == 2
    assert notice_by_reference("KFM-9").case_id == notice_by_reference("API-1").id


def test_errors_per_item_and_field_and_nothing_is_stored(client: FlaskClient, key: str) -> None:
    bad = {**NOTICE, "referens": "API-2", "personnummer": "201701012394", "postnummer": "1"}
    response = client.post("/api/v1/notices", json=[NOTICE, bad], headers=_auth(key))
    assert response.status_code == 422 and response.json is not None
    (item,) = response.json["items"]
    assert item["index"] == 1 and set(item["fields"]) == {"personnummer", "postnummer"}
    assert db.session.scalar(select(Notice)) is None
    assert client.post("/api/v1/notices", data=b"{not json", headers={**_auth(key), "Content-Type":
                                                                         "application/json"}).status_code == 400


def test_missing_unknown_and_revoked_keys(client: FlaskClient, key: str) -> None:
    assert client.post("/api/v1/notices", json=NOTICE).status_code == 401
    assert client.post("/api/v1/notices", json=NOTICE, headers=_auth("nk_abc_wrong")).status_code == 401
    assert client.post("/api/v1/notices", json=NOTICE, headers=_auth(key[:-2] + "xx")).status_code == 401
    (stored,) = list_keys()
    assert key not in (stored.key_hash, stored.prefix)  # only the hash is kept
    revoke_key(stored.id)
    assert client.post("/api/v1/notices", json=NOTICE, headers=_auth(key)).status_code == 403


def test_a_body_over_the_limit_answers_413(app: Flask, client: FlaskClient, key: str) -> None:
    app.config["API_MAX_BYTES"] = 500
    response = client.post("/api/v1/notices", json=[NOTICE] * 10, headers=_auth(key))
    assert response.status_code == 413
    assert db.session.scalar(select(Notice)) is None


class TestRateLimit:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "2/minute"}

    def test_the_third_request_in_a_minute_answers_429(self, client: FlaskClient, key: str) -> None:
        codes = [client.post("/api/v1/notices", json=NOTICE, headers=_auth(key)).status_code for _ in range(3)]
        assert codes == [201, 200, 429]


def test_openapi_document_describes_the_endpoint(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.json is not None
    post = response.json["paths"]["/api/v1/notices"]["post"]
    assert set(post["responses"]) == {"200", "201", "400", "401", "403", "413", "422", "429"}
    assert "hyresgast_namn" in response.json["components"]["schemas"]["Notice"]["properties"]


def test_cli_creates_lists_and_revokes_keys(app: Flask, runner: Any) -> None:
    created = runner.invoke(args=["apikeys", "create", "--landlord", "Bostäder AB", "--orgnr", "556000-0003"])
    assert created.exit_code == 0 and "nk_" in created.output
    key_id = db.session.scalar(select(ApiKey.id))
    listed = runner.invoke(args=["apikeys", "list"])
    assert "Bostäder AB" in listed.output and "aktiv" in listed.output
    assert runner.invoke(args=["apikeys", "revoke", str(key_id)]).exit_code == 0
    assert "återkallad" in runner.invoke(args=["apikeys", "list"]).output
    assert runner.invoke(args=["apikeys", "revoke", "999"]).exit_code == 1
