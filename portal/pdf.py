"""PDF rendering: HTML and CSS to PDF with real text shaping (Arabic, Persian, Ge'ez script) via WeasyPrint.

Fonts come from Debian's fonts-noto-core (installed by make), never from files in the repository.
"""

from __future__ import annotations

import functools
import gc
import logging
import sys
import threading
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import render_template
from flask_babel import force_locale

_local = threading.local()
T = TypeVar("T")
# WeasyPrint logs every rendering step at INFO; the scheduler's log should say what was done, not how.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _font_config() -> Any:
    """One WeasyPrint font configuration per thread: fontconfig and Pango load and match the fonts once,
    not for every letter (a fresh one per document was most of a short letter's time). Per thread, because
    Pango's font map is not shared safely between threads."""
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def _url_fetcher() -> Any:
    """One URL fetcher per thread, for `data:` URLs only. Our documents carry everything they show (the letter's
    QR code is a data URL), so a document can never make the renderer read a local file or call out to the
    network, whatever text ends up in it. Kept, because WeasyPrint builds a fresh urllib opener for every
    document otherwise; per thread, because a fetcher keeps its current request on itself."""
    fetcher = getattr(_local, "url_fetcher", None)
    if fetcher is None:
        from weasyprint.urls import URLFetcher

        fetcher = _local.url_fetcher = URLFetcher(allowed_protocols={"data"})
    return fetcher


def stylesheet(path: Path) -> Any:
    """The parsed CSS file at `path`, parsed once per thread: a letter batch renders thousands of documents with
    the same stylesheet, and parsing it was a tenth of each letter's time."""
    cache: dict[Path, Any] = _local.__dict__.setdefault("stylesheets", {})
    parsed = cache.get(path)
    if parsed is None:
        from weasyprint import CSS

        parsed = cache[path] = CSS(string=path.read_text(encoding="utf-8"), font_config=_font_config(),
                                   url_fetcher=_url_fetcher())
    return parsed


def settle_for_batches() -> None:
    """Tune Python's garbage collector for a long-lived process that renders documents by the thousand.

    Each letter allocates and drops tens of thousands of layout objects, and the collector kept rescanning the
    process's whole startup heap (application, templates, fonts, translations) while doing so: 4 % of a letter's
    time. Frozen, that heap is never scanned again; young objects are collected in larger rounds.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


class RenderedPdf(bytes):
    """PDF bytes that know their page count: the renderer has it for free, while reading it back from the
    compressed PDF cost a stored letter 4 ms."""

    pages: int

    def __new__(cls, data: bytes, pages: int) -> RenderedPdf:
        rendered = super().__new__(cls, data)
        rendered.pages = pages
        return rendered

    def __reduce__(self) -> tuple[type[RenderedPdf], tuple[bytes, int]]:
        # Kept when a rendering process hands the PDF to the one that stores it.
        return RenderedPdf, (bytes(self), self.pages)


def _call(function: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
    return function(*args, **kwargs)


@functools.cache
def _roomy_frame(slots: int = 40_000) -> Callable[..., Any]:
    """`_call`, with a frame of `slots` unused local variables more (320 KB); made on first use (12 ms).

    CPython keeps Python frames in 16 KB chunks of memory and unmaps a chunk as soon as the frame at its start
    returns. WeasyPrint's layout recursion hovers around chunk ends, so rendering a letter mapped and unmapped a
    chunk 200 to 300 times (counted with strace), 5-8 % of the letter's time. A frame this large gets a
    512 KB chunk of its own, and a whole document's layout then fits in the 190 KB left after it: one chunk per
    document. Only CPython lays frames out like this; elsewhere `_call` is used as it is.
    """
    if sys.implementation.name != "cpython":
        return _call
    code = _call.__code__
    roomy = code.replace(co_varnames=code.co_varnames + tuple(f"_unused{n}" for n in range(slots)),
                         co_nlocals=code.co_nlocals + slots)
    return types.FunctionType(roomy, _call.__globals__, "_call_in_roomy_frame")


@functools.cache
def _html_with_own_defaults() -> Any:
    """WeasyPrint's HTML with a user-agent stylesheet of our choosing. WeasyPrint has no option for it; its own
    test suite swaps the sheet by overriding `_ua_stylesheets` in the same way. Should a later WeasyPrint drop
    that hook, documents render as before with its own sheet, only slower."""
    from weasyprint import HTML

    class HTMLWithOwnDefaults(HTML):
        defaults: Any

        def _ua_stylesheets(self, *args: Any, **kwargs: Any) -> list[Any]:
            return [self.defaults]

    return HTMLWithOwnDefaults


def html_to_pdf(html: str, *, stylesheets: tuple[Path, ...] = (), defaults: Path | None = None) -> RenderedPdf:
    """Render an HTML document to PDF bytes, with the CSS files in `stylesheets` after the document's own.

    The document must carry what it shows: only `data:` URLs are fetched (see _url_fetcher).

    `defaults` replaces WeasyPrint's user-agent stylesheet (HTML's default styles for every element) with a short
    one for documents rendered by the thousand that use a few elements only."""
    return _roomy_frame()(_html_to_pdf, (html, stylesheets, defaults), {})


def _html_to_pdf(html: str, stylesheets: tuple[Path, ...], defaults: Path | None) -> RenderedPdf:
    from weasyprint import HTML

    if defaults is None:
        source = HTML(string=html, url_fetcher=_url_fetcher())
    else:
        source = _html_with_own_defaults()(string=html, url_fetcher=_url_fetcher())
        source.defaults = stylesheet(defaults)
    document = source.render(font_config=_font_config(), stylesheets=[stylesheet(path) for path in stylesheets])
    return RenderedPdf(document.write_pdf(), len(document.pages))


def render_pdf(template: str, *, language: str, **context: Any) -> bytes:
    """Render a Jinja template in `language` (no request needed) and turn it into a PDF."""
    with force_locale(language):
        html = render_template(template, **context)
    return html_to_pdf(html)
