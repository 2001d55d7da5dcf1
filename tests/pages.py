"""Page helpers: every page fetched through them is checked for the basics (STYLE.md §12)."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def parse(response: TestResponse, *, lang: str | None = None, direction: str | None = None) -> BeautifulSoup:
    """Parse an HTML page and check one title, one h1, lang and dir, and a CSRF token in every POST form."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    html = soup.find("html")
    assert html is not None, "not an HTML page"
    head = soup.find("head")
    assert head is not None, "a page needs a <head>"
    titles = head.find_all("title", recursive=False)  # SVG charts carry <title>s of their own
    assert len(titles) == 1, "a page needs exactly one <title>"
    assert titles[0].get_text(strip=True), "empty <title>"
    assert len(soup.find_all("h1")) == 1, "a page needs exactly one <h1>"
    assert html.get("lang"), "<html> needs lang"
    assert html.get("dir") in ("ltr", "rtl"), "<html> needs dir"
    if lang is not None:
        assert html.get("lang") == lang
    if direction is not None:
        assert html.get("dir") == direction
    for form in soup.find_all("form"):
        if str(form.get("method", "get")).lower() == "post":
            action = form.get("action")
            assert form.find("input", attrs={"name": "csrf_token"}), f"POST form without CSRF token: {action}"
    return soup


def get_page(client: FlaskClient, url: str, *, status: int = 200, **checks: Any) -> BeautifulSoup:
    """GET a page, check its status and the basics, and return the parsed HTML."""
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return parse(response, **checks)


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the first POST form on a page."""
    soup = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    field = soup.find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"no CSRF token on {url}"
    return str(field["value"])


def submit(client: FlaskClient, form_url: str, data: dict[str, Any], *, action: str | None = None,
           follow_redirects: bool = False) -> TestResponse:
    """Post a form the way a browser would: with the CSRF token from the page that shows it."""
    payload = {"csrf_token": csrf_token(client, form_url), **data}
    return client.post(action or form_url, data=payload, follow_redirects=follow_redirects)


def login_staff(client: FlaskClient, email: str, password: str) -> TestResponse:
    """Log a staff member in through the login page."""
    return submit(client, "/staff/login", {"email": email, "password": password})


def login_resident(client: FlaskClient, personnummer: str, lang: str = "sv") -> TestResponse:
    """Log a resident in through the development login."""
    return submit(client, f"/{lang}/logga-in", {"personnummer": personnummer},
                  action=f"/{lang}/logga-in/utveckling")
