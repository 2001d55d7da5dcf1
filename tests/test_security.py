"""Security headers, cookies, CSRF and redirects."""

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.security import safe_next
from tests.factories import PASSWORD, create_staff_user
from tests.pages import login_resident, login_staff


@pytest.mark.parametrize("url", ["/sv/", "/ar/logga-in", "/staff/login", "/sv/finns-inte"])
def test_every_response_carries_the_security_headers(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_session_cookie_is_httponly_and_samesite_lax(client: FlaskClient, app: Flask) -> None:
    create_staff_user()
    response = login_staff(client, "rita@example.org", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_post_without_csrf_token_is_refused_with_a_localised_page(client: FlaskClient) -> None:
    response = client.post("/en/logga-in/utveckling", data={"personnummer": "201701012393"})
    assert response.status_code == 400
    assert "Sidan har blivit för gammal" not in response.get_data(as_text=True)
    assert "<h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(("target", "expected"), [
    ("/sv/", "/sv/"),
    ("https://evil.example/", "/fallback"),
    ("//evil.example/", "/fallback"),
    ("/\\evil.example", "/fallback"),
    ("javascript:alert(1)", "/fallback"),
    (None, "/fallback"),
])
def test_next_never_leaves_the_site(target: str | None, expected: str) -> None:
    assert safe_next(target, "/fallback") == expected


def test_login_with_an_outside_next_goes_home_instead(client: FlaskClient) -> None:
    response = login_resident(client, "201701012393")
    assert response.status_code == 302
    from tests.pages import submit

    response = submit(client, "/sv/logga-in?next=https://evil.example/",
                      {"personnummer": "201701012393", "next": "https://evil.example/"},
                      action="/sv/logga-in/utveckling")
    assert response.headers["Location"] == "/sv/"


def test_pages_with_personal_data_are_not_cached(client: FlaskClient) -> None:
    login_resident(client, "201701012393")
    assert client.get("/sv/").headers["Cache-Control"] == "no-store"
