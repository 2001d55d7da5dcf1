"""portal.typeset: a Typst template and its JSON data to a PDF that knows its page count."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from portal.typeset import TypesetError, page_count, typeset

PAGES = """#let data = json(bytes(sys.inputs.doc))
#set document(title: "t")
#for (i, line) in data.lines.enumerate() { if i > 0 { pagebreak() }; par(line) }
"""


@pytest.mark.parametrize("pages", [1, 3, 12])
def test_the_page_count_is_the_pdfs_own(tmp_path: Path, pages: int) -> None:
    template = tmp_path / "pages.typ"
    template.write_text(PAGES, encoding="utf-8")
    pdf = typeset(template, {"doc": {"lines": [f"sida {n}" for n in range(pages)]}})
    assert pdf.pages == pages == len(PdfReader(io.BytesIO(pdf)).pages)


def test_a_pdf_without_a_visible_page_tree_has_no_count() -> None:
    assert page_count(b"%PDF-1.7\n1 0 obj << /Type /ObjStm >> endobj") is None


def test_a_broken_template_is_a_clear_error(tmp_path: Path) -> None:
    template = tmp_path / "broken.typ"
    template.write_text("#let x = (\n", encoding="utf-8")
    with pytest.raises(TypesetError, match=r"broken\.typ"):
        typeset(template, {})


def test_a_template_cannot_read_outside_its_own_folder(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "secret.txt").write_text("hemligt", encoding="utf-8")
    template = tmp_path / "templates" / "reads.typ"
    template.write_text('#read("../secret.txt")', encoding="utf-8")
    with pytest.raises(TypesetError):
        typeset(template, {})
