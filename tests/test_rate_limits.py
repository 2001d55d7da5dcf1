"""Rate limits on the login forms answer 429 with a page in the visitor's language."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.pages import csrf_token, parse


@pytest.fixture
def app_config() -> dict[str, Any]:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}


def test_staff_login_is_rate_limited(app: Flask, client: FlaskClient) -> None:
    token = csrf_token(client, "/staff/login")
    statuses = [client.post("/staff/login", data={"csrf_token": token, "email": "x@example.org", "password": "wrong"},
                            environ_base={"REMOTE_ADDR": "192.0.2.10"}).status_code for _ in range(12)]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]


def test_development_login_is_rate_limited_with_a_localised_page(app: Flask, client: FlaskClient) -> None:
    token = csrf_token(client, "/en/logga-in")
    responses = [client.post("/en/logga-in/utveckling", data={"csrf_token": token, "personnummer": "1"},
                             environ_base={"REMOTE_ADDR": "192.0.2.11"}) for _ in range(21)]
    assert [r.status_code for r in responses[:20]] == [400] * 20
    assert responses[20].status_code == 429
    soup = parse(responses[20], lang="en")
    assert soup.h1.get_text(strip=True) == "Too many attempts"
