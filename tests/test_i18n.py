"""Languages: URL prefix, switcher, direction, negotiation and formatting."""

import re

import pytest
from flask import Flask, g, render_template_string
from flask.testing import FlaskClient
from flask_babel import force_locale, format_date, format_decimal, gettext, lazy_gettext, refresh

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


def test_switcher_changes_only_the_language_of_an_address_that_looks_like_a_language(client: FlaskClient) -> None:
    from portal.i18n import _ANY_LANGUAGE

    # The rebooking page of a code that is the switcher's own stand-in (no such booking: the 404 page).
    soup = get_page(client, f"/sv/tid/{_ANY_LANGUAGE}", status=404)
    links = {a["lang"]: a["href"] for a in soup.find("nav", class_="languages").find_all("a")}
    assert links["en"] == f"/en/tid/{_ANY_LANGUAGE}" and links["sv"] == f"/sv/tid/{_ANY_LANGUAGE}"
    assert len(set(links.values())) == len(SUPPORTED_LANGUAGES)


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


def test_messages_follow_the_locale_in_force_through_the_request_memo(app: Flask) -> None:
    """The translations are remembered per request (portal.i18n.RequestDomain); a forced locale, nested or
    restored, and a refresh must still give each message in the locale in force, in Python and in templates."""
    message = "Ladda upp"

    def both() -> tuple[str, str]:
        return gettext(message), render_template_string("{{ _('Ladda upp') }}")

    with app.test_request_context("/fa/"):
        g.lang = "fa"
        persian = both()
        with force_locale("ar"):
            arabic = both()
            with force_locale("sv"):
                assert both() == (message, message)
            assert both() == arabic
        assert both() == persian
        assert str(lazy_gettext(message)) == persian[0]
        g.lang = "en"
        refresh()
        english = both()
    assert persian[0] == persian[1] and arabic[0] == arabic[1] and english[0] == english[1]
    assert len({persian[0], arabic[0], english[0], message}) == 4


def test_template_messages_keep_jinja_new_style_semantics(app: Flask) -> None:
    """Autoescaped and %-formatted, as jinja2's new-style gettext is: a variable cannot inject markup."""
    with app.test_request_context("/sv/"):
        g.lang = "sv"
        html = render_template_string("{{ _('%(amount)s kr', amount='<b>1</b>') }}|{{ ngettext('%(num)d dag', "
                                      "'%(num)d dagar', 3) }}")
    assert html == "&lt;b&gt;1&lt;/b&gt; kr|3 dagar"


def test_wtforms_own_messages_follow_the_locale_in_force(app: Flask) -> None:
    from wtforms import StringField
    from wtforms.validators import Length

    from portal.forms import BaseForm

    class Short(BaseForm):
        class Meta:
            csrf = False

        word = StringField("Ord", validators=[Length(max=2)])

    def error_in(lang: str) -> str:
        with app.test_request_context(method="POST", data={"word": "lång"}), force_locale(lang):
            form = Short()
            assert not form.validate()
            return form.word.errors[0]

    # WTForms' own catalog: Swedish, then Persian, then Swedish again from the catalog read once.
    assert error_in("sv") == "Fältet får inte vara längre än 2 tecken."
    assert re.search("[\u0600-\u06ff]", error_in("fa"))
    assert error_in("sv") == "Fältet får inte vara längre än 2 tecken."
