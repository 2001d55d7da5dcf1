"""Sample files for the upload tests: real documents and photos, and an attack corpus, all made here."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from functools import lru_cache

from PIL import Image, ImageDraw


def build_pdf(objects: list[bytes], *, root: int = 1, header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n") -> bytes:
    """A PDF from numbered object bodies (object n is objects[n-1]) with a correct cross-reference table."""
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    return bytes(out)


PAGE_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    b"/Resources << /Font << /F1 5 0 R >> >> >>",
    b"<< /Length 44 >>\nstream\nBT /F1 18 Tf 72 760 Td (Kontoutdrag) Tj ET\nendstream",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
]


def simple_pdf() -> bytes:
    """A small hand-made one-page PDF with text."""
    return build_pdf(PAGE_OBJECTS)


@lru_cache(maxsize=1)
def real_pdf() -> bytes:
    """A real bank-statement-like PDF, rendered by WeasyPrint as the product renders its own."""
    from portal.pdf import html_to_pdf

    rows = "".join(f"<tr><td>2026-10-{day:02d}</td><td>ICA Kvantum</td><td>-{day * 13},00</td></tr>"
                   for day in range(1, 29))
    return html_to_pdf("<!doctype html><html lang='sv'><head><meta charset='utf-8'><title>Kontoutdrag</title>"
                       "</head><body><h1>Kontoutdrag oktober 2026</h1><table>" + rows + "</table></body></html>")


def _with_catalog(catalog: bytes, *extra: bytes) -> bytes:
    return build_pdf([catalog, *PAGE_OBJECTS[1:], *extra])


def pdf_with_javascript() -> bytes:
    """A PDF whose document-level JavaScript runs when it opens."""
    return _with_catalog(b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript << /Names [(x) 6 0 R] >> >> >>",
                         b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>")


def pdf_with_hidden_javascript() -> bytes:
    """JavaScript in an OpenAction, the names escaped (#61 is 'a') so a plain byte search misses them."""
    return _with_catalog(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
                         b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")


def pdf_with_launch() -> bytes:
    """A link annotation that launches a program."""
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Annots [6 0 R] "
            b"/Resources << /Font << /F1 5 0 R >> >> >>")
    return build_pdf([PAGE_OBJECTS[0], PAGE_OBJECTS[1], page, PAGE_OBJECTS[3], PAGE_OBJECTS[4],
                      b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /L#61unch /F (cmd.exe) >> >>"])


def pdf_with_embedded_file() -> bytes:
    """A PDF carrying an attached file."""
    return _with_catalog(b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.exe) 6 0 R] >> "
                         b">> >>", b"<< /Type /Filespec /F (a.exe) >>")


def pdf_opening_at_a_page() -> bytes:
    """A harmless OpenAction (open at page 1), as many generated statements have."""
    return _with_catalog(b"<< /Type /Catalog /Pages 2 0 R /OpenAction [3 0 R /Fit] >>")


def encrypted_pdf() -> bytes:
    """A password-protected PDF."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(simple_pdf())))
    writer.encrypt(user_password="hemligt", owner_password="hemligt", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_html_polyglot() -> bytes:
    """A valid PDF whose first comment is a web page with a script (a browser sniffing it sees HTML)."""
    return build_pdf(PAGE_OBJECTS, header=b"%PDF-1.7\n%<html><body><script>alert(document.cookie)</script>\n")


def truncated_pdf() -> bytes:
    """The first half of a PDF: a download that broke off."""
    data = simple_pdf()
    return data[: len(data) // 3]


HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>fetch('/staff/').then(r=>r.text())</script></body></html>"
SVG_WITH_SCRIPT = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
                   b"<script>alert(document.domain)</script></svg>")
GIF_JS_POLYGLOT = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(document.domain);//" + b"\x00" * 20 + b";"


def zip_bomb(megabytes: int = 64) -> bytes:
    """A small zip that expands to `megabytes` of zeros (each request may bring one)."""
    out = io.BytesIO()
    block = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive, \
            archive.open("statement.pdf", "w", force_zip64=True) as member:
        for _ in range(megabytes):
            member.write(block)
    return out.getvalue()


def png_bomb(side: int = 50_000) -> bytes:
    """A tiny PNG that claims `side` x `side` pixels (2.5 gigapixels: gigabytes once decoded)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\x00" * side
    idat = zlib.compress(row * 16, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def _picture(width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for y in range(40, height - 40, 48):
        draw.rectangle([40, y, width - 40, y + 12], fill=(30, 30, 30))
    draw.rectangle([0, 0, width // 4, height // 8], fill=(200, 0, 0))  # marks the top left corner
    return image


GPS_IFD = 0x8825
ORIENTATION = 0x0112


def phone_jpeg(*, width: int = 1200, height: int = 900) -> bytes:
    """A phone photo: stored sideways with orientation 6 (turn 90°), with the phone's make and a GPS position."""
    image = _picture(width, height)
    exif = Image.Exif()
    exif[0x010F] = "Phonemaker"
    exif[0x0110] = "Phone 15"
    exif[ORIENTATION] = 6
    exif[GPS_IFD] = {1: "N", 2: (59.0, 19.0, 45.0), 3: "E", 4: (18.0, 4.0, 7.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, exif=exif)
    return out.getvalue()


def jpeg_with_script_comment() -> bytes:
    """A JPEG whose comment segment near the start is HTML with a script."""
    out = io.BytesIO()
    _picture(200, 100).save(out, format="JPEG", comment=b"<html><script>alert(1)</script></html>")
    return out.getvalue()


def jpeg_with_appended_html() -> bytes:
    """A JPEG with a web page appended after the image data (a classic polyglot)."""
    out = io.BytesIO()
    _picture(400, 300).save(out, format="JPEG")
    return out.getvalue() + b"<html><body><script>alert(document.cookie)</script></body></html>"


def png_image() -> bytes:
    """A screenshot-like PNG with a text chunk."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at Storgatan 1")
    out = io.BytesIO()
    _picture(640, 480).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def phone_heic() -> bytes:
    """An iPhone-style HEIC photo."""
    from pillow_heif import from_pillow

    heif = from_pillow(_picture(640, 480))
    out = io.BytesIO()
    heif.save(out, quality=70)
    return out.getvalue()
