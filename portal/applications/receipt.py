"""The receipt PDF: the same receipt in the resident's language and in Swedish, one after the other."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from portal.applications import labels
from portal.applications.checklist import outstanding_items
from portal.applications.models import Application
from portal.i18n import direction, source_language
from portal.pdf import html_to_pdf


def receipt_languages(language: str) -> list[str]:
    """The resident's language first, then Swedish (once, when they are the same)."""
    source = source_language()
    return [language] if language == source else [language, source]


def receipt_pdf(application: Application, *, language: str) -> bytes:
    """Render the receipt for a sent application as PDF bytes."""
    sections = []
    for code in receipt_languages(language):
        with force_locale(code):
            # Marked safe: the section is our own template, rendered with autoescaping on.
            sections.append(Markup(render_template(  # noqa: S704  # nosec B704
                "applications/receipt_section.html", application=application, labels=labels,
                outstanding=outstanding_items(application), section_lang=code, section_dir=direction(code))))
    with force_locale(language):
        html = render_template("applications/receipt_pdf.html", sections=sections, page_lang=language,
                               page_dir=direction(language), application=application)
    return html_to_pdf(html)
