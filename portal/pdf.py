"""PDF rendering: HTML and CSS to PDF with real text shaping (Arabic, Persian, Ge'ez script) via WeasyPrint, for
the documents made one at a time (the application receipt, the statistics report). Letters, made by the
thousand, are typeset by Typst (portal.typeset).

Fonts come from Debian's fonts-noto-core (installed by make), never from files in the repository.
"""

from __future__ import annotations

import gc
import logging
import threading
from typing import Any

from flask import render_template
from flask_babel import force_locale

_local = threading.local()
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


def settle_for_batches() -> None:
    """Tune Python's garbage collector for a long-lived process that renders documents by the thousand.

    A pass of the pipeline allocates and drops many objects (ORM rows, translated texts, letters' data), and the
    collector kept rescanning the process's whole startup heap (application, templates, translations) while
    doing so: 4 % of a letter's time when WeasyPrint drew them. Frozen, that heap is never scanned again; young
    objects are collected in larger rounds.
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


# PDF/UA-1: a tagged PDF (headings, paragraphs, lists and tables as structure, each part's language) that a
# screen reader reads in order, with the document's title shown instead of its file name.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def html_to_pdf(html: str) -> RenderedPdf:
    """Render an HTML document to a tagged PDF (PDF/UA-1) as bytes.

    The document must carry what it shows: only `data:` URLs are fetched (see _url_fetcher)."""
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_url_fetcher()).render(font_config=_font_config(), **PDF_OPTIONS)
    return RenderedPdf(document.write_pdf(**PDF_OPTIONS), len(document.pages))


def render_pdf(template: str, *, language: str, **context: Any) -> bytes:
    """Render a Jinja template in `language` (no request needed) and turn it into a PDF."""
    with force_locale(language):
        html = render_template(template, **context)
    return html_to_pdf(html)
