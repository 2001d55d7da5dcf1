"""Upload checks on their own: the attack corpus is refused, real documents and phone photos pass."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable

import pytest
from PIL import Image

from portal.documents.checks import UploadRejected, check_name, check_upload, download_name
from tests.documents import samples

LIMIT = 20 * 1024 * 1024

# (what it is, the bytes, why it must be refused)
ATTACKS: list[tuple[str, Callable[[], bytes], str]] = [
    ("HTML page with a script renamed .pdf", lambda: samples.HTML_AS_PDF, "type"),
    ("SVG with a script renamed .pdf", lambda: samples.SVG_WITH_SCRIPT, "type"),
    ("GIF/JavaScript polyglot", lambda: samples.GIF_JS_POLYGLOT, "type"),
    ("PDF/HTML polyglot", samples.pdf_html_polyglot, "markup"),
    ("JPEG with HTML in its comment", samples.jpeg_with_script_comment, "markup"),
    ("zip bomb renamed .pdf", samples.zip_bomb, "type"),
    ("PNG decompression bomb", samples.png_bomb, "pixels"),
    ("empty file", lambda: b"", "empty"),
    ("PDF with document JavaScript", samples.pdf_with_javascript, "active"),
    ("PDF with escaped JavaScript run on open", samples.pdf_with_hidden_javascript, "open_action"),
    ("PDF with a launch action (escaped name)", samples.pdf_with_launch, "action /Launch"),
    ("PDF with an attached file", samples.pdf_with_embedded_file, "active"),
    ("password-protected PDF", samples.encrypted_pdf, "encrypted"),
    ("PDF that broke off", samples.truncated_pdf, "damaged"),
]


@pytest.mark.parametrize(("label", "make", "reason"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_every_file_in_the_attack_corpus_is_refused_with_a_message(label: str, make: Callable[[], bytes],
                                                                   reason: str) -> None:
    with pytest.raises(UploadRejected) as caught:
        check_upload(io.BytesIO(make()), max_bytes=LIMIT)
    assert caught.value.reason == reason
    assert len(str(caught.value)) > 20


class CountingStream(io.RawIOBase):
    """A body of `size` bytes made on demand, counting how much was read (100 MB never sits in memory)."""

    def __init__(self, size: int, head: bytes = b"%PDF-1.7\n") -> None:
        self.size, self.head, self.offset, self.consumed = size, head, 0, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        self.offset = {0: offset, 1: self.offset + offset, 2: self.size + offset}[whence]
        return self.offset

    def tell(self) -> int:
        return self.offset

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = max(0, min(len(buffer), self.size - self.offset))
        data = (self.head + b"0" * count)[:count] if self.offset == 0 else b"0" * count
        buffer[:count] = data
        self.offset += count
        self.consumed += count
        return count


def test_a_100_mb_file_is_refused_after_reading_little_more_than_the_limit() -> None:
    stream = CountingStream(100 * 1024 * 1024)
    with pytest.raises(UploadRejected) as caught:
        check_upload(stream, max_bytes=LIMIT)  # type: ignore[arg-type]
    assert caught.value.reason == "too_large"
    assert "20 MB" in str(caught.value)
    assert stream.consumed <= LIMIT + 1024 * 1024


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\windows\\win.ini", "konto\r\nutdrag.pdf",
                                  "konto\x00.pdf", "kvitto\u202efdp.exe"])
def test_file_names_with_paths_or_control_characters_are_refused(name: str) -> None:
    with pytest.raises(UploadRejected) as caught:
        check_name(name)
    assert caught.value.reason == "name"


def test_ordinary_file_names_are_kept_safe() -> None:
    assert check_name("C:\\Users\\Amina\\Kontoutdrag oktober.pdf") == "Kontoutdrag oktober.pdf"
    assert check_name("كشف الحساب.pdf") == "كشف الحساب.pdf"
    assert download_name("IMG_0042.HEIC", "jpg") == "IMG_0042.jpg"
    assert download_name("faktura", "pdf") == "faktura.pdf"


def test_a_real_pdf_is_kept_byte_for_byte() -> None:
    data = samples.real_pdf()
    with check_upload(io.BytesIO(data), max_bytes=LIMIT) as checked:
        stored = b"".join(checked.chunks())
    assert checked.media_type == "application/pdf"
    assert hashlib.sha256(stored).hexdigest() == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("junk", [1_000_000, 9_000_000], ids=["in memory", "spooled to disk"])
def test_junk_after_the_end_marker_is_kept_but_not_parsed(junk: int) -> None:
    # Readers ignore it; pypdf would look through it a byte at a time (a second of CPU for 9 MB), so it is
    # handed the file up to the marker, and the stored file is still the uploaded one.
    from portal.documents.checks import _mapped, _pdf_stream

    data = samples.real_pdf() + b"\n%" + b"0" * junk
    with check_upload(io.BytesIO(data), max_bytes=LIMIT) as checked:
        stored = b"".join(checked.chunks())
        with _mapped(checked.body) as mapped:
            assert _pdf_stream(mapped).read().endswith(b"%%EOF")
    assert stored == data


def test_a_large_pdf_in_a_stream_that_is_not_a_file_is_checked_too() -> None:
    from portal.documents.checks import check_file

    data = samples.real_pdf() + b"\n%" + b"0" * 3_000_000
    assert check_file(io.BytesIO(data)).media_type == "application/pdf"


def test_active_content_hidden_after_the_end_marker_is_still_found() -> None:
    data = samples.real_pdf() + b"\n%" + b"0" * 3_000_000 + b"\n<< /JavaScript (app.alert(1)) >>\n"
    with pytest.raises(UploadRejected) as caught:
        check_upload(io.BytesIO(data), max_bytes=LIMIT)
    assert caught.value.reason == "active"


def test_a_pdf_without_an_end_marker_is_damaged() -> None:
    data = samples.real_pdf().replace(b"%%EOF", b"%%EON")
    with pytest.raises(UploadRejected) as caught:
        check_upload(io.BytesIO(data), max_bytes=LIMIT)
    assert caught.value.reason == "damaged"


def test_a_pdf_that_only_opens_at_its_first_page_is_accepted() -> None:
    with check_upload(io.BytesIO(samples.pdf_opening_at_a_page()), max_bytes=LIMIT) as checked:
        assert checked.media_type == "application/pdf"


def test_a_phone_photo_is_turned_upright_and_loses_its_gps_position_and_metadata() -> None:
    with check_upload(io.BytesIO(samples.phone_jpeg(width=1200, height=900)), max_bytes=LIMIT) as checked:
        stored = b"".join(checked.chunks())
    assert checked.media_type == "image/jpeg"
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (900, 1200)  # orientation 6 applied to the pixels
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
    assert b"Phonemaker" not in stored


def test_a_heic_photo_is_stored_as_jpeg() -> None:
    with check_upload(io.BytesIO(samples.phone_heic()), max_bytes=LIMIT) as checked:
        stored = b"".join(checked.chunks())
    assert (checked.media_type, checked.extension) == ("image/jpeg", "jpg")
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.size == (640, 480)


def test_a_png_keeps_its_pixels_but_not_its_text_chunks() -> None:
    with check_upload(io.BytesIO(samples.png_image()), max_bytes=LIMIT) as checked:
        stored = b"".join(checked.chunks())
    assert checked.media_type == "image/png"
    assert b"Storgatan" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (640, 480)


def test_html_appended_to_a_jpeg_does_not_survive_the_re_encoding() -> None:
    with check_upload(io.BytesIO(samples.jpeg_with_appended_html()), max_bytes=LIMIT) as checked:
        stored = b"".join(checked.chunks())
    assert b"<script" not in stored
    assert stored.startswith(b"\xff\xd8\xff")


def test_a_png_of_8000_by_8000_pixels_is_refused_from_its_header_without_decoding() -> None:
    import io as _io
    import time

    from PIL import Image as _Image

    from portal.documents.checks import UploadRejected, check_file

    out = _io.BytesIO()
    _Image.new("L", (8000, 8000), 255).save(out, format="PNG")
    started = time.perf_counter()
    with pytest.raises(UploadRejected) as refused:
        check_file(_io.BytesIO(out.getvalue()))
    assert refused.value.reason == "pixels"
    assert time.perf_counter() - started < 0.5  # decoding 64 megapixels takes seconds


def test_a_50_megapixel_jpeg_is_decoded_at_a_reduced_scale() -> None:
    import io as _io

    from PIL import Image as _Image

    from portal.documents.checks import check_file, decoded_bytes

    out = _io.BytesIO()
    _Image.new("RGB", (8160, 6120), "white").save(out, format="JPEG", quality=50)
    with check_file(_io.BytesIO(out.getvalue())) as checked, _Image.open(checked.body) as image:
        assert image.size == (4080, 3060)
        assert decoded_bytes(image) < 80 * 1024 * 1024
