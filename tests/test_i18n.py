"""Languages: URL prefix, switcher, direction, negotiation and formatting."""

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, format_date, format_decimal

from portal.config import SUPPORTED_LANGUAGES
from tests.pages import get_page

NATIVE = {"sv": "Svenska", "en": "English", "ar": "العربية", "fa": "فارسی", "so": "Soomaali", "ti": "ትግርኛ",
          "fi": "Suomi", "uk": "Українська"}


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_start_page_is_served_in_every_language(client: FlaskClient, lang: str) -> None:
    direction = "rtl" if lang in ("ar", "fa") else "ltr"
    soup = get_page(client, f"/{lang}/", lang=lang, direction=direction)
    switcher = soup.find("nav", class_="languages")
    assert switcher is not None
    names = {a["lang"]: a.get_text(strip=True) for a in switcher.find_all("a")}
    assert names == NATIVE
    current = switcher.find("a", attrs={"aria-current": "true"})
    assert current is not None and current["lang"] == lang


def test_start_page_text_is_translated(client: FlaskClient) -> None:
    swedish = get_page(client, "/sv/").h1.get_text()
    english = get_page(client, "/en/").h1.get_text()
    arabic = get_page(client, "/ar/").h1.get_text()
    assert swedish == "Ansök om ekonomiskt bistånd"
    assert english != swedish and arabic != swedish and arabic != english


def test_unknown_language_is_not_found(client: FlaskClient) -> None:
    assert client.get("/xx/").status_code == 404


def test_root_follows_the_browser_language(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept-Language": "ar,en;q=0.5"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/ar/")


def test_root_defaults_to_swedish(client: FlaskClient) -> None:
    assert client.get("/").headers["Location"].endswith("/sv/")


def test_switcher_links_to_the_same_page_in_another_language(client: FlaskClient) -> None:
    soup = get_page(client, "/sv/logga-in")
    link = soup.find("nav", class_="languages").find("a", attrs={"lang": "fa"})
    assert link["href"] == "/fa/logga-in"


def test_not_found_page_is_localised(client: FlaskClient) -> None:
    soup = get_page(client, "/en/no-such-page", status=404, lang="en")
    assert soup.h1.get_text(strip=True) != "Sidan finns inte"


def test_dates_and_amounts_follow_the_language(app: Flask) -> None:
    from datetime import date

    with app.test_request_context("/"), force_locale("sv"):
        assert format_decimal(12500.5) == "12\xa0500,5"
        assert format_date(date(2026, 12, 8), "long") == "8 december 2026"
    with app.test_request_context("/"), force_locale("en"):
        assert format_decimal(12500.5) == "12,500.5"
