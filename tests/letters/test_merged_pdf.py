"""The print batch's merging writer: every page with what it uses, nothing else, and the same bytes each time."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, NullObject

from portal.letters.merged_pdf import MergedPdfWriter
from tests.letters.factories import letter_pdf


def handmade_pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalog), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    start = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start))
    return out.getvalue()


def stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)


# Two pages that take their size and their font from the page tree, the first with a link to the second.
INHERITING = handmade_pdf([
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 300 400]"
    b" /Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Annots [8 0 R] >>",
    b"<< /Type /Page /Parent 2 0 R /Contents 7 0 R >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    stream(b"BT /F1 12 Tf 20 300 Td (Arvsida ett) Tj ET"),
    stream(b"BT /F1 12 Tf 20 300 Td (Arvsida tva) Tj ET"),
    b"<< /Type /Annot /Subtype /Link /Rect [0 0 50 50] /Dest [4 0 R /Fit] >>",
])


def merged(*pdfs: bytes, blank_after_odd: bool = True) -> bytes:
    out = io.BytesIO()
    writer = MergedPdfWriter(out)
    for pdf in pdfs:
        if writer.add_pdf(pdf) % 2 and blank_after_odd:
            writer.add_blank_page(595.2756, 841.8898)
    writer.finish(title="Utskrift 2026-12-01")
    return out.getvalue()


def test_pages_in_order_with_blank_backs_and_a_valid_file(tmp_path: Path) -> None:
    data = merged(letter_pdf("Brev-ett", 1), letter_pdf("Brev-tva", 2), INHERITING)
    path = tmp_path / "letters.pdf"
    path.write_bytes(data)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout.split("\f")[:-1]
    assert len(text) == 6
    assert "Brev-ett sida 1" in text[0] and text[1].strip() == ""
    assert "Brev-tva sida 1" in text[2] and "Brev-tva sida 2" in text[3]
    # The font came from the page tree: without it there would be no text to read back.
    assert "Arvsida ett" in text[4] and "Arvsida tva" in text[5]
    reader = PdfReader(path)
    assert reader.metadata is not None and reader.metadata.title == "Utskrift 2026-12-01"
    assert [round(float(page.mediabox.width)) for page in reader.pages] == [595, 595, 595, 595, 300, 300]


def test_a_link_to_another_page_points_at_its_copy_and_no_stray_pages_are_written() -> None:
    reader = PdfReader(io.BytesIO(merged(letter_pdf("Brev-ett", 1), INHERITING)))
    pages = reader.pages
    link = pages[2]["/Annots"][0].get_object()
    assert link["/Dest"][0].get_object().indirect_reference == pages[3].indirect_reference
    # The file's only pages are the page tree's, and its only page tree is the catalog's (the letter's own tree
    # and its pages were not copied a second time through the link).
    types: dict[int, str] = {}
    for number in range(1, int(reader.trailer["/Size"])):
        obj = reader.get_object(number)
        if isinstance(obj, DictionaryObject) and "/Type" in obj:
            types[number] = str(obj["/Type"])
    assert {n for n, kind in types.items() if kind == "/Page"} == {
        page.indirect_reference.idnum for page in pages if page.indirect_reference is not None}
    assert [n for n, kind in types.items() if kind == "/Pages"] == [
        reader.trailer["/Root"].raw_get("/Pages").idnum]


def test_a_reference_to_a_missing_object_becomes_null_and_the_file_stays_valid(tmp_path: Path) -> None:
    # A damaged letter whose page points at an annotation that is not in the file.
    dangling = handmade_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] /Contents 4 0 R /Annots [9 0 R]"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        stream(b"BT /F1 12 Tf 20 300 Td (Trasig sida) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])
    path = tmp_path / "letters.pdf"
    path.write_bytes(merged(dangling, blank_after_odd=False))
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    reader = PdfReader(path)
    assert len(reader.pages) == 1 and "Trasig sida" in reader.pages[0].extract_text()
    assert isinstance(reader.pages[0]["/Annots"][0].get_object(), NullObject)


def test_the_same_pdfs_give_the_same_bytes() -> None:
    one, two = letter_pdf("Brev-ett", 1), letter_pdf("Brev-tva", 3)
    assert merged(one, two) == merged(one, two)
    assert merged(one, two) != merged(two, one)


def test_no_letters_is_one_blank_page_and_still_a_pdf() -> None:
    out = io.BytesIO()
    writer = MergedPdfWriter(out)
    writer.add_blank_page(595.2756, 841.8898)
    writer.finish(title="Utskrift")
    reader = PdfReader(io.BytesIO(out.getvalue()))
    assert len(reader.pages) == 1 and reader.pages[0].extract_text() == ""
