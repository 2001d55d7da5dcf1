"""Real PDFs for letter tests, rendered with WeasyPrint."""

from __future__ import annotations

from portal.pdf import html_to_pdf


def letter_pdf(marker: str, pages: int = 1) -> bytes:
    """An A4 PDF of `pages` pages, each page showing `marker` and its page number."""
    body = "".join(
        f'<section class="p">{marker} sida {n}</section>' for n in range(1, pages + 1))
    html = ("<!doctype html><html><head><style>@page { size: A4 } .p { page-break-after: always }"
            ".p:last-child { page-break-after: auto }</style></head><body>" + body + "</body></html>")
    return html_to_pdf(html)
