"""PDF rendering: HTML and CSS to PDF with real text shaping (Arabic, Persian, Ge'ez script) via WeasyPrint.

Fonts come from Debian's fonts-noto-core (installed by make), never from files in the repository.
"""

from __future__ import annotations

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


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render an HTML document to PDF bytes."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf(font_config=_font_config())
    return pdf


def render_pdf(template: str, *, language: str, **context: Any) -> bytes:
    """Render a Jinja template in `language` (no request needed) and turn it into a PDF."""
    with force_locale(language):
        html = render_template(template, **context)
    return html_to_pdf(html)
