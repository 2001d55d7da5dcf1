"""Languages: which one a page is in, its name and direction, and the URL prefix for residents.

The chain (STYLE.md §6): the language in the URL, then the resident's stored language, then
Accept-Language, then Swedish. Staff pages are Swedish.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from typing import Any

from babel import Locale, support
from flask import Flask, abort, current_app, g, request, session
from flask_babel import Babel, Domain, get_babel, get_locale

RTL_LANGUAGES = frozenset({"ar", "fa"})
_MEMO = "_portal_translations"


class RequestDomain(Domain):
    """Flask-Babel's message domain, with the translations of the locale in force remembered on `g`.

    Flask-Babel finds the translations again for every message: the request's namespace twice, the locale, the
    locale's name, then its process-wide cache. That was 6 of the 9 µs a message took, and a page translates
    50 to 100 messages (labels, form fields, the template's own). The memo is one (locale object, translations)
    pair, checked by identity: `force_locale` and `refresh` put another locale object in place (and the old one
    back), so a message always gets the translations of the locale in force, and the memo ends with `g`.
    """

    def get_translations(self) -> support.NullTranslations:
        locale = get_locale()
        if locale is None:  # outside an app context: Flask-Babel's answer (no translations)
            return super().get_translations()
        memo = g.get(_MEMO)
        if memo is not None and memo[0] is locale:
            return memo[1]
        translations = super().get_translations()
        setattr(g, _MEMO, (locale, translations))
        return translations


class PortalBabel(Babel):
    """Flask-Babel with the request-remembering domain (the portal's catalogs are the one domain, "messages")."""

    @cached_property
    def domain_instance(self) -> Domain:
        return RequestDomain()


def _install_template_gettext(app: Flask) -> None:
    """The templates' `_`, `gettext` and friends, going straight to the portal's domain.

    Flask-Babel's own look the domain up on every message, and the i18n extension's `_` is an alias that
    looks `gettext` up again; a page of 50 messages spent a sixth of its rendering there. Same semantics:
    jinja2's new-style gettext (autoescaped, always %-formatted).
    """
    domain = get_babel(app).instance.domain_instance
    env = app.jinja_env
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added to the environment by jinja2.ext.i18n
        gettext=lambda s: domain.get_translations().ugettext(s),
        ngettext=lambda s, p, n: domain.get_translations().ungettext(s, p, n),
        pgettext=lambda c, s: domain.get_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: domain.get_translations().unpgettext(c, s, p, n),
        newstyle=True)
    env.globals["_"] = env.globals["gettext"]


def languages() -> tuple[str, ...]:
    """Configured resident languages; the first is the source language."""
    langs: tuple[str, ...] = current_app.config["LANGUAGES"]
    return langs


def source_language() -> str:
    """The language texts are written in (Swedish)."""
    return languages()[0]


def person_language(*known: str | None) -> str:
    """The language to write to a resident in: the first of the languages known for them (their own choice
    first, then what a form or a notice said) that the portal has, else the source language.

    The one place this rule lives: letters, e-mails, notices and links all ask it."""
    offered = languages()
    return next((code for code in known if code in offered), source_language())


@lru_cache(maxsize=32)
def native_name(code: str) -> str:
    """The language's name in itself, as the switcher shows it (Swedish 'svenska', Arabic 'العربية')."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:] if code not in RTL_LANGUAGES else name


def direction(code: str) -> str:
    """'rtl' for Arabic and Persian, 'ltr' otherwise."""
    return "rtl" if code in RTL_LANGUAGES else "ltr"


def list_separator() -> str:
    """What separates the items of a list in the language in force: the Arabic comma in Arabic and Persian
    ("، "), a comma elsewhere."""
    locale = get_locale()
    return "، " if locale is not None and locale.language in RTL_LANGUAGES else ", "


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
    if session.get("language") != lang:  # a write would re-sign the session and send it back on every page
        session["language"] = lang


def add_lang(endpoint: str, values: dict[str, Any]) -> None:
    """Fill in the current language when a resident URL is built without one."""
    if "lang" in values:
        return
    if current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = g.get("lang") or select_locale()


_ANY_LANGUAGE = "_lang_"


def switch_url(code: str) -> str:
    """The current resident page in another language (the start page when there is no such page).

    The address is built once per request with a stand-in for the language, then filled in for each language
    of the switcher: building all eight was a tenth of a short page's time. The language is the address's first
    part, so the stand-in's first occurrence is the one replaced, whatever else the address holds."""
    from flask import url_for

    pattern: str | None = request.environ.get("portal.switch_url")  # this request's, however contexts nest
    if pattern is None:
        endpoint = request.endpoint
        if endpoint and current_app.url_map.is_endpoint_expecting(endpoint, "lang") and request.method == "GET":
            pattern = url_for(endpoint, **{**(request.view_args or {}), "lang": _ANY_LANGUAGE})
        else:
            pattern = url_for("public.start", lang=_ANY_LANGUAGE)
        request.environ["portal.switch_url"] = pattern
    return pattern.replace(_ANY_LANGUAGE, code, 1)


def init_app(app: Flask) -> None:
    """Expose language helpers to templates (after Flask-Babel's init_app, whose template gettext it replaces)."""
    _install_template_gettext(app)
    app.jinja_env.globals["switch_language_url"] = switch_url

    @app.context_processor
    def language_context() -> dict[str, Any]:
        lang = current_language()
        return {
            "page_lang": lang,
            "page_dir": direction(lang),
            "language_choices": [(code, native_name(code), direction(code)) for code in languages()],
        }
