"""PDF typeset by Typst from a fixed template and JSON data: for documents made by the thousand (outreach letters).

Typst (a typesetting engine in Rust; HarfBuzz-compatible shaping by rustybuzz, the Unicode bidi algorithm)
lays out a two-page letter in Arabic or Tigrinya in about a fifth of WeasyPrint's time, and writes a tagged
PDF (headings, paragraphs and reading order for screen readers). The HTML documents that are made one at a time
(receipts, reports) stay with WeasyPrint (portal.pdf).

The data goes in as one JSON string through `sys.inputs` and the template shows it as text; it is never parsed
as Typst markup, so nothing in a name, an address or a translation can change the document or make the
compiler read a file.

Fonts are the system's (Debian's fonts-noto-core, installed by make) plus Typst's own embedded ones (its
DejaVu Sans Mono prints the rebooking code); loaded once per thread.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from pathlib import Path
from typing import Any

import typst

from portal.pdf import RenderedPdf

log = logging.getLogger(__name__)
_local = threading.local()
# The page tree's root counts every page. Typst writes one flat, uncompressed page tree; should a later
# version not, the PDF is read back instead (tests compare the two).
_PAGE_COUNT = re.compile(rb"/Type\s*/Pages\s*/Count\s+(\d+)")


class TypesetError(RuntimeError):
    """Typst could not make the document (a template error; the data cannot cause one)."""


def _fonts() -> typst.Fonts:
    fonts = getattr(_local, "fonts", None)
    if fonts is None:
        fonts = _local.fonts = typst.Fonts(include_system_fonts=True, include_embedded_fonts=True)
    return fonts


def _compiler(template: Path) -> typst.Compiler:
    """One compiler per template and thread: it keeps the parsed template, the fonts and its layout caches
    between documents. Per thread, because a compiler is not shared between threads."""
    compilers: dict[Path, typst.Compiler] = _local.__dict__.setdefault("compilers", {})
    compiler = compilers.get(template)
    if compiler is None:
        compiler = compilers[template] = typst.Compiler(template, root=template.parent, font_paths=_fonts())
    return compiler


def page_count(pdf: bytes) -> int | None:
    """The page count Typst wrote in the page tree's root, or None when it cannot be seen without parsing."""
    counts = [int(found) for found in _PAGE_COUNT.findall(pdf)]
    return max(counts) if counts else None


def _compile(template: Path, data: dict[str, Any]) -> tuple[bytes, list[str]]:
    """The PDF and Typst's warnings, with `data` as `sys.inputs.<key>` JSON strings."""
    inputs = {key: json.dumps(value, ensure_ascii=False) for key, value in data.items()}
    try:
        pdf, warnings = _compiler(template).compile_with_warnings(format="pdf", sys_inputs=inputs)
    except typst.TypstError as error:
        raise TypesetError(f"{template.name}: {error.message}") from error
    if not isinstance(pdf, bytes):
        raise TypesetError(f"{template.name}: no PDF")
    return pdf, [warning.message for warning in warnings]


def typeset(template: Path, data: dict[str, Any]) -> RenderedPdf:
    """The Typst `template` compiled to PDF with `data` as `sys.inputs.<key>` JSON strings.

    Warnings (a missing font, say) are logged: the document is still made, and the tests fail on any.
    """
    pdf, warnings = _compile(template, data)
    for warning in warnings:
        log.warning("%s: %s", template.name, warning)
    pages = page_count(pdf)
    if pages is None:
        from portal.letters.service import count_pages

        pages = count_pages(pdf)
    return RenderedPdf(pdf, pages)


def warnings_of(template: Path, data: dict[str, Any]) -> list[str]:
    """The warnings compiling `template` with `data` gives (for tests: a letter must compile without any)."""
    return _compile(template, data)[1]
