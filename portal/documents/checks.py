"""Upload checks: a file's type is decided from its content, never from its name or the browser's word.

Accepted: PDF, JPEG, PNG, and HEIC/HEIF photos from phones. Everything else is refused before anything is
stored. PDFs are kept byte for byte (a bank's signed statement must stay verifiable) after pypdf has parsed
them and found no encryption, scripts, launch actions or attached files. Images are decoded and encoded
again: that drops EXIF (GPS position, phone model), comments and anything appended to the pixels, so a
polyglot (an image that is also HTML or JavaScript) does not survive; HEIC becomes JPEG, which staff can open.
"""

from __future__ import annotations

import contextlib
import io
import mmap
import re
import tempfile
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, cast

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from portal.applications.uploads import UploadRefused
from portal.storage import safe_name

CHUNK = 256 * 1024
SPOOL_IN_MEMORY = 2 * 1024 * 1024
# Bytes after a PDF's last end marker that pypdf may look through itself (a line end or two is usual).
TRAILING_JUNK = 1024
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Phone cameras give 12–50 megapixels; more than that from a small file is a decompression bomb, and decoding
# it would take gigabytes of memory. Checked from the header, before a single pixel is decoded.
MAX_PIXELS = 50_000_000
# A JPEG is decoded at 1/2, 1/4 or 1/8 scale (libjpeg's draft mode) as long as both sides stay at least this
# long: a 50-megapixel photo becomes 12.5 megapixels, still a readable A4 page at 250 dpi.
JPEG_DRAFT_SIDE = 2048
# Decoded pixels one web process may hold at once. A PNG or HEIC (no draft mode) of 50 megapixels is 150-200
# MB; without a bound, four of them at once took a server from 0.3 to 2.3 GB. Uploads beyond the budget wait.
DECODE_BUDGET_BYTES = 320 * 1024 * 1024
JPEG_QUALITY = 88
# A statement or a scan has hundreds of objects; hundreds of thousands only make the walk below slow.
MAX_PDF_OBJECTS = 200_000
# Browsers sniff the first 1445 bytes of a response (WHATWG MIME Sniffing, "resource header"); markup there
# means someone wants a browser to read the file as a web page.
SNIFF_BYTES = 1445
# Only tags long enough never to turn up by chance in binary data (a JPEG's tables, a PDF's header).
MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed)", re.IGNORECASE)
HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"})
# Action types that run something, send something away, or open another file.
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
                            "/Rendition", "/RichMediaExecute", "/Sound", "/Movie"})
ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/XFA", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"})
# A quick first pass over the raw bytes; only long names, which compressed data never contains by chance
# (a short one like /JS would turn up in a few megabytes of scanned pages). The object walk catches the rest.
RAW_ACTIVE = re.compile(rb"/(?:JavaScript|Launch|EmbeddedFiles?|RichMedia)(?![A-Za-z0-9])")

EMPTY = _l("Filen är tom. Välj filen igen, eller ta ett nytt foto av dokumentet.")
WRONG_TYPE = _l("Vi kan bara ta emot PDF-filer och bilder (JPEG, PNG eller HEIC från en mobiltelefon). "
                "Den här filen är något annat, vad den än heter.")
DAMAGED = _l("Filen är skadad eller ofullständig och går inte att öppna. Försök med en ny kopia av filen.")
ENCRYPTED = _l("PDF-filen är skyddad med lösenord. Spara den utan lösenord och försök igen.")
ACTIVE = _l("PDF-filen innehåller skript, bifogade filer eller andra aktiva delar som vi inte kan ta emot. "
            "Skriv ut den till en ny PDF eller fota dokumentet, och försök igen.")
MARKUP_FOUND = _l("Filen innehåller webbkod och kan inte tas emot. Skicka dokumentet som en vanlig PDF eller bild.")
BAD_NAME = _l("Filens namn innehåller tecken som inte är tillåtna. Byt namn på filen, till exempel till "
              "kontoutdrag.pdf, och försök igen.")
TOO_MANY_PIXELS = _l("Bilden är för stor för att öppnas. Fota dokumentet med lägre upplösning och försök igen.")


def too_large_message(max_bytes: int) -> Any:
    """The message for a file over the limit, naming the limit in megabytes."""
    return _l("Filen är större än %(mb)s MB. Välj en mindre fil, eller fota dokumentet med lägre upplösning.",
              mb=max_bytes // (1024 * 1024))


class UploadRejected(UploadRefused):
    """The file cannot be accepted; `message` says why in the resident's language (a lazy string)."""

    def __init__(self, message: Any, reason: str) -> None:
        super().__init__(str(reason))
        self.message = message
        self.reason = reason

    def __str__(self) -> str:
        return str(self.message)


@dataclass
class CheckedFile:
    """A file that passed the checks: what to store, its type and the extension that matches it."""

    body: IO[bytes]
    media_type: str
    extension: str

    def __enter__(self) -> CheckedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.body.close()

    def chunks(self) -> Iterator[bytes]:
        """The bytes to store, from the start, in chunks."""
        self.body.seek(0)
        while chunk := self.body.read(CHUNK):
            yield chunk


def _register_heif() -> bool:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # pragma: no cover - pillow-heif is a dependency; without it HEIC is refused
        return False
    register_heif_opener()
    return True


HEIF_AVAILABLE = _register_heif()


def spool(stream: IO[bytes], *, max_bytes: int) -> IO[bytes]:
    """Copy an upload into a temporary file, refusing it as soon as it passes `max_bytes` (never all in memory)."""
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 - returned to the caller
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            spooled.close()
            raise UploadRejected(too_large_message(max_bytes), "too_large")
        spooled.write(chunk)
    if size == 0:
        spooled.close()
        raise UploadRejected(EMPTY, "empty")
    spooled.seek(0)
    return spooled


def sniff(head: bytes) -> str | None:
    """The media type the first bytes prove, or None for anything not accepted."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image/heic"
    return None


def check_file(body: IO[bytes]) -> CheckedFile:
    """Decide what the file is from its content and check it; raises UploadRejected with the reason."""
    body.seek(0)
    head = body.read(SNIFF_BYTES)
    body.seek(0)
    media_type = sniff(head)
    if media_type is None:
        raise UploadRejected(MARKUP_FOUND if MARKUP.search(head) else WRONG_TYPE, "type")
    if MARKUP.search(head):
        raise UploadRejected(MARKUP_FOUND, "markup")
    if media_type == "application/pdf":
        check_pdf(body)
        return CheckedFile(body=body, media_type=media_type, extension="pdf")
    return reencode_image(body, media_type)


@contextlib.contextmanager
def _mapped(body: IO[bytes]) -> Iterator[bytes | mmap.mmap]:
    """The file's bytes: a spooled upload rolled to disk mapped into memory, a small one read into memory.
    Searched and read in C; through the SpooledTemporaryFile every read and tell pypdf made was a Python call."""
    size = body.seek(0, io.SEEK_END)
    body.seek(0)
    fileno = None
    if size > SPOOL_IN_MEMORY:
        with contextlib.suppress(OSError, AttributeError):  # a stream that is not a file is read instead
            fileno = body.fileno()
    if fileno is None:
        yield body.read()
        return
    with mmap.mmap(fileno, 0, access=mmap.ACCESS_READ) as view:
        yield view


def _pdf_stream(data: bytes | mmap.mmap) -> IO[bytes]:
    """A stream of the PDF up to its last end marker, for pypdf.

    Readers ignore what follows the marker, but pypdf looks for the marker from the end a byte at a time in
    Python: a second of CPU for 9 MB of trailing junk, which made a cheap way to tie up a server. A file
    without the marker is damaged (pypdf refuses it too, after reading the whole file backwards)."""
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise UploadRejected(DAMAGED, "damaged")
    end += len(b"%%EOF")
    if len(data) - end > TRAILING_JUNK:
        return io.BytesIO(data[:end])
    return io.BytesIO(data) if isinstance(data, bytes) else cast(IO[bytes], data)  # an mmap reads like a file


def check_pdf(body: IO[bytes]) -> None:
    """Parse the PDF and refuse encryption, active content and attachments (the bytes are kept unchanged)."""
    try:
        with _mapped(body) as data, warnings.catch_warnings():
            if RAW_ACTIVE.search(data):
                raise UploadRejected(ACTIVE, "active")
            stream = _pdf_stream(data)
            # pypdf warns about harmless oddities of real-world PDFs; the checks below decide.
            warnings.simplefilter("ignore")
            reader = PdfReader(stream, strict=False)
            if reader.is_encrypted:
                raise UploadRejected(ENCRYPTED, "encrypted")
            if len(reader.pages) < 1:
                raise UploadRejected(DAMAGED, "damaged")
            _check_pdf_objects(reader)
    except UploadRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError) as error:
        raise UploadRejected(DAMAGED, "damaged") from error
    finally:
        body.seek(0)


def _check_pdf_objects(reader: PdfReader) -> None:
    """Visit every object in the file, compressed object streams included, for active content.

    Names are compared after pypdf has decoded them, so an escaped name such as /J#61vaScript is caught.
    """
    catalog = reader.trailer["/Root"].get_object()
    if not isinstance(catalog, DictionaryObject):
        raise UploadRejected(DAMAGED, "no_catalog")
    _check_value(catalog, depth=0)
    open_action = catalog.get("/OpenAction")
    if open_action is not None:
        resolved = open_action.get_object()
        # Opening at a page (a destination array, or a GoTo) is what most generated statements do; anything
        # else that runs when the file opens is refused.
        if isinstance(resolved, DictionaryObject) and resolved.get("/S") != "/GoTo":
            raise UploadRejected(ACTIVE, "open_action")
    for count, (number, generation) in enumerate(_object_ids(reader)):
        if count >= MAX_PDF_OBJECTS:
            raise UploadRejected(DAMAGED, "too_many_objects")
        try:
            obj = reader.get_object(IndirectObject(number, generation, reader))
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
            continue  # an unreadable object cannot be run by a viewer either
        _check_value(obj, depth=0)


def _object_ids(reader: PdfReader) -> Iterator[tuple[int, int]]:
    seen: set[int] = set()
    for generation, numbers in reader.xref.items():
        for number in numbers:
            if number not in seen:
                seen.add(number)
                yield number, generation
    for number in reader.xref_objStm:
        if number not in seen:
            seen.add(number)
            yield number, 0


def _check_value(value: Any, *, depth: int) -> None:
    if depth > 64:
        raise UploadRejected(DAMAGED, "too_deep")
    if isinstance(value, DictionaryObject):
        for key, item in value.items():
            if key in ACTIVE_KEYS:
                raise UploadRejected(ACTIVE, f"key {key}")
            if key == "/S" and isinstance(item, NameObject) and item in ACTIVE_ACTIONS:
                raise UploadRejected(ACTIVE, f"action {item}")
            if not isinstance(item, IndirectObject):
                _check_value(item, depth=depth + 1)
    elif isinstance(value, ArrayObject):
        for item in value:
            if not isinstance(item, IndirectObject):
                _check_value(item, depth=depth + 1)


class _DecodeBudget:
    """A per-process budget of bytes for decoded pixels; a decode reserves its estimate and waits for room."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.free = total
        self._room = threading.Condition()

    @contextlib.contextmanager
    def reserve(self, amount: int) -> Iterator[None]:
        """Hold `amount` bytes of the budget (at most the whole budget, so one large image can always go)."""
        amount = min(amount, self.total)
        with self._room:
            while self.free < amount:
                self._room.wait()
            self.free -= amount
        try:
            yield
        finally:
            with self._room:
                self.free += amount
                self._room.notify_all()


DECODE_BUDGET = _DecodeBudget(DECODE_BUDGET_BYTES)


def decoded_bytes(image: Image.Image) -> int:
    """What decoding the image will take: its pixels at the size it will be decoded, twice (one conversion)."""
    width, height = image.size
    return width * height * max(Image.getmodebands(image.mode), 3) * 2


def reencode_image(body: IO[bytes], media_type: str) -> CheckedFile:
    """Decode the image (refusing bombs) and encode its pixels again, without any metadata."""
    if media_type == "image/heic" and not HEIF_AVAILABLE:  # pragma: no cover
        raise UploadRejected(WRONG_TYPE, "heif_unavailable")
    body.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(body) as image:
                # Only the header has been read so far: the size it claims decides before anything is decoded.
                if image.width * image.height > MAX_PIXELS:
                    raise UploadRejected(TOO_MANY_PIXELS, "pixels")
                if image.format == "JPEG":
                    image.draft("RGB", (JPEG_DRAFT_SIDE, JPEG_DRAFT_SIDE))
                with DECODE_BUDGET.reserve(decoded_bytes(image)):
                    checked = _encode_again(image, media_type)
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UploadRejected(TOO_MANY_PIXELS, "pixels") from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, MemoryError) as error:
        raise UploadRejected(DAMAGED, "damaged") from error
    checked.body.seek(0)
    return checked


def _encode_again(image: Image.Image, media_type: str) -> CheckedFile:
    """Decode the pixels and write them as a new PNG or JPEG without metadata."""
    image.load()
    # Phones store the picture sideways with an orientation tag; turn it before the tag goes (in place: no copy).
    ImageOps.exif_transpose(image, in_place=True)
    upright = image
    out = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115 - returned
    try:
        if media_type == "image/png":
            upright = upright if upright.mode in ("RGB", "RGBA", "L", "LA", "P", "1") else upright.convert("RGBA")
            upright.save(out, format="PNG", optimize=False)
            return CheckedFile(body=out, media_type="image/png", extension="png")
        upright = upright if upright.mode in ("RGB", "L") else upright.convert("RGB")
        upright.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        return CheckedFile(body=out, media_type="image/jpeg", extension="jpg")
    except BaseException:
        out.close()
        raise
def check_upload(stream: IO[bytes], *, max_bytes: int) -> CheckedFile:
    """Spool an upload with the size limit, then check it; raises UploadRejected."""
    body = spool(stream, max_bytes=max_bytes)
    try:
        checked = check_file(body)
    except BaseException:
        body.close()
        raise
    if checked.body is not body:
        body.close()
    return checked


def check_name(name: str) -> str:
    """The file name made safe to store and show; refuses names no browser sends for an ordinary file.

    Control characters (a line break could split a header), bidirectional overrides (which make
    "gpj.exe" look like "exe.jpg") and a path that climbs ("../") are signs of an attack, not of a file.
    """
    if any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in name) \
            or ".." in re.split(r"[\\/]", name):
        raise UploadRejected(BAD_NAME, "name")
    return safe_name(name)


def download_name(original_name: str, extension: str) -> str:
    """The name a stored file is downloaded under: the original stem with the extension its content proves."""
    stem = original_name.rsplit(".", 1)[0] if "." in original_name else original_name
    return f"{stem or 'dokument'}.{extension}"


