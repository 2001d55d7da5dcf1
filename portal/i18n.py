"""Languages: which one a page is in, its name and direction, and the URL prefix for residents.

The chain (STYLE.md §6): the language in the URL, then the resident's stored language, then
Accept-Language, then Swedish. Staff pages are Swedish.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale
from flask import Flask, abort, current_app, g, request, session

RTL_LANGUAGES = frozenset({"ar", "fa"})


def languages() -> tuple[str, ...]:
    """Configured resident languages; the first is the source language."""
    langs: tuple[str, ...] = current_app.config["LANGUAGES"]
    return langs


def source_language() -> str:
    """The language texts are written in (Swedish)."""
    return languages()[0]


@lru_cache(maxsize=32)
def native_name(code: str) -> str:
    """The language's name in itself, as the switcher shows it (Swedish 'svenska', Arabic 'العربية')."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:] if code not in RTL_LANGUAGES else name


def direction(code: str) -> str:
    """'rtl' for Arabic and Persian, 'ltr' otherwise."""
    return "rtl" if code in RTL_LANGUAGES else "ltr"


def select_locale() -> str:
    """The locale for the current request (Flask-Babel's selector)."""
    lang = g.get("lang")
    if lang:
        return str(lang)
    # A page that does not exist still answers in the language its address asks for.
    prefix = request.path.strip("/").split("/", 1)[0]
    if prefix in languages():
        return prefix
    if request.blueprint and request.blueprint.startswith("staff"):
        return source_language()
    stored = session.get("language")
    if stored in languages():
        return str(stored)
    best = request.accept_languages.best_match(languages())
    return best or source_language()


def current_language() -> str:
    """The language of the page being rendered."""
    from flask_babel import get_locale

    locale = get_locale()
    return str(locale.language) if locale else source_language()


def pull_lang(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Take the language out of the URL values of a resident page and keep it in g."""
    if values is None or "lang" not in values:
        return
    lang = values.pop("lang")
    if lang not in languages():
        abort(404)
    g.lang = lang
    session["language"] = lang


def add_lang(endpoint: str, values: dict[str, Any]) -> None:
    """Fill in the current language when a resident URL is built without one."""
    if "lang" in values:
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = g.get("lang") or select_locale()


def switch_url(code: str) -> str:
    """The current resident page in another language (the start page when there is no such page)."""
    from flask import url_for

    endpoint = request.endpoint
    if endpoint and current_app.url_map.is_endpoint_expecting(endpoint, "lang") and request.method == "GET":
        values = dict(request.view_args or {})
        values["lang"] = code
        return url_for(endpoint, **values)
    return url_for("public.start", lang=code)


def init_app(app: Flask) -> None:
    """Expose language helpers to templates."""
    app.jinja_env.globals["switch_language_url"] = switch_url

    @app.context_processor
    def language_context() -> dict[str, Any]:
        lang = current_language()
        return {
            "page_lang": lang,
            "page_dir": direction(lang),
            "language_choices": [(code, native_name(code), direction(code)) for code in languages()],
        }
