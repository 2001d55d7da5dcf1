"""The outreach letter read back from the PDF: Swedish first, then the person's language in its own script; tagged
for screen readers, and whatever a notice's text holds is printed as it is."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale, gettext

from outreach.letters import TEMPLATE, outreach_letter_content, render_outreach_letter
from portal.typeset import warnings_of
from tests.letters.factories import outreach_letter_fields
from tests.scan import qr_codes_in_pdf

LANGUAGES = ["sv", "en", "ar", "fa", "so", "ti", "uk", "fi"]
SCRIPTS = {"ar": r"[\u0600-\u06FF]", "fa": r"[\u0600-\u06FF]", "ti": r"[\u1200-\u137F]", "uk": r"[\u0400-\u04FF]"}
HEADING = "Vi vill hjälpa dig att behålla din bostad"


def render(language: str | None, *, address: bool = True) -> bytes:
    return render_outreach_letter(**outreach_letter_fields(language, address=address))


def text_of(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), f"every font embedded:\n{fonts}"
    raw = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", plain(raw))


def plain(text: str) -> str:
    """Text without the bidi marks and joiners text extraction adds or drops, in NFKC form."""
    return unicodedata.normalize("NFKC", re.sub("[\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text))


def words_in_order(phrase: str, text: str) -> bool:
    """Each word of `phrase` appears in `text`, in reading order.

    Words with a lam ligature (lam-alef, lam-yeh) are left out: extraction gives its letters in visual order.
    """
    position = 0
    for word in plain(phrase).split():
        if re.search("ل[اأإآى]", word):
            continue
        found = text.find(word, position)
        if found < 0:
            return False
        position = found + len(word)
    return True


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_reads_back_with_swedish_first(app: Flask, language: str, tmp_path: Path) -> None:
    text = text_of(render(language), tmp_path)
    assert "Åsa Öberg-Ähl" in text and "Storgatan 3 lgh 1101" in text
    assert "torsdag 3 december 2026 klockan 10:00" in text, "booked time in Swedish local time"
    assert "torsdag 10 december 2026" in text and "12 345,50 kr" in text, "deadline and amount as on the notice"
    assert "ABCD234567" in text and "http://portal.example/tid" in text
    assert app.config["RECEPTION_PHONE"] in text
    swedish_at = text.index(HEADING)
    if language == "sv":
        assert text.count(HEADING) == 1
        return
    with force_locale(language):
        heading = gettext(HEADING)
    assert heading != HEADING, f"{language}: the heading is translated"
    assert words_in_order(heading, text[swedish_at:]), f"{language}: the heading reads back in logical order"
    if language in SCRIPTS:
        assert re.search(SCRIPTS[language], text[swedish_at:]), f"{language} in its own script"


def test_unknown_language_gets_a_short_panel_in_every_language(app: Flask, tmp_path: Path) -> None:
    text = text_of(render(None), tmp_path)
    assert text.count(HEADING) == 1
    panel = "Det här brevet är från kommunens socialtjänst."
    for language in LANGUAGES[1:]:
        with force_locale(language):
            sentence = gettext("Det här brevet är från kommunens socialtjänst. Vi vill hjälpa dig att behålla din "
                               "bostad. Ring %(phone)s. Du kan få en tolk gratis.", phone=app.config["RECEPTION_PHONE"])
        assert words_in_order(" ".join(sentence.split()[:4]), text), f"panel in {language}"
        assert panel not in sentence


def test_protected_identity_gets_no_address_at_all(app: Flask, tmp_path: Path) -> None:
    text = text_of(render("sv", address=False), tmp_path)
    assert "Storgatan 3" not in text and "123 45" not in text
    assert "Åsa Öberg-Ähl" in text, "the greeting still names the person"


@pytest.mark.parametrize("language", ["sv", "ar", "ti", None])
def test_the_printed_qr_code_scans_to_the_codes_own_page(app: Flask, language: str | None, tmp_path: Path) -> None:
    fields = outreach_letter_fields(language)
    # At 150 dpi, a coarse rendering of the printed sheet (the code is 28 mm wide).
    assert qr_codes_in_pdf(render(language), tmp_path) == [fields["rebooking_qr_url"]]


def test_a_notice_becomes_a_letter_whose_code_opens_the_rebooking_page(app: Flask, tmp_path: Path) -> None:
    from flask.testing import FlaskClient

    from outreach.notices.actions import get_action
    from outreach.notices.models import ActionKind
    from outreach.pipeline.run import run_pass
    from portal.booking import opening_hours
    from portal.booking.models import Booking
    from portal.db import db
    from portal.letters.models import Letter
    from portal.letters.service import read_letter_pdf
    from tests.outreach.factories import import_rows, notice_by_reference, row

    import_rows(row(referens="E2E-1", namn="Faduma Warsame", sprak="so", skuld="8 450"))
    run_pass()
    notice = notice_by_reference("E2E-1")
    booking_step = get_action(notice.id, ActionKind.BOOKING)
    letter_step = get_action(notice.id, ActionKind.LETTER_FIRST)
    assert booking_step is not None and letter_step is not None
    booking = db.session.get(Booking, booking_step.ref_id)
    letter = db.session.get(Letter, letter_step.ref_id)
    assert booking is not None and letter is not None and letter.language == "so"
    local = booking.starts_at.astimezone(opening_hours.LOCAL)
    assert opening_hours.is_open_day(local.date()) and notice.deadline is not None
    assert local.date() < notice.deadline, "booked before the deadline"
    assert local.replace(tzinfo=None).time() in {s.astimezone(opening_hours.LOCAL).replace(tzinfo=None).time()
                                                 for s in opening_hours.slot_starts(local.date(),
                                                                                      opening_hours.get_settings())}
    text = text_of(read_letter_pdf(letter), tmp_path)
    assert "Faduma Warsame" in text and f"klockan {local:%H:%M}" in text and "8 450" in text
    code = re.search(r"Kod: ([A-Z0-9]{10})", text)
    assert code is not None
    client: FlaskClient = app.test_client()
    page = client.get(f"/so/tid/{code.group(1)}")
    assert page.status_code == 200 and f"{local:%H:%M}" in page.get_data(as_text=True)
    assert "Faduma" not in page.get_data(as_text=True)
    scanned = qr_codes_in_pdf(read_letter_pdf(letter), tmp_path)
    assert len(scanned) == 1 and scanned[0].endswith(f"/so/tid/{code.group(1)}"), scanned


@pytest.mark.parametrize("language", ["sv", "ar", None])
def test_page_count_comes_with_the_pdf_and_survives_a_process_hand_over(app: Flask, language: str | None) -> None:
    import io
    import pickle

    from pypdf import PdfReader

    from portal.letters.service import count_pages
    from portal.pdf import RenderedPdf

    pdf = render(language)
    read_back = len(PdfReader(io.BytesIO(pdf)).pages)
    assert isinstance(pdf, RenderedPdf) and pdf.pages == read_back == count_pages(pdf)
    handed_over = pickle.loads(pickle.dumps(pdf))  # noqa: S301 - our own object, as a worker pool passes it
    assert isinstance(handed_over, RenderedPdf) and handed_over.pages == read_back and handed_over == pdf
    assert count_pages(bytes(pdf)) == read_back  # a PDF from elsewhere is read back


@pytest.mark.parametrize("language", [*LANGUAGES, None])
def test_every_language_typesets_without_a_warning(app: Flask, language: str | None) -> None:
    # A missing font or glyph is only a warning to Typst (the letter would print boxes): none is allowed.
    content = outreach_letter_content(**outreach_letter_fields(language))
    assert warnings_of(TEMPLATE, {"letter": content}) == []


def test_the_letter_is_a_tagged_pdf_with_its_title(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(render("ar"))
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), "structure for screen readers"
    assert re.search(r"^Title:\s+Brev från kommunen$", info, re.M)


def test_markup_in_a_notice_is_printed_as_text_and_reaches_no_file(app: Flask, tmp_path: Path) -> None:
    # Names and addresses come from landlords' files; to Typst they are data, never code.
    name = '#read("/etc/passwd") *fet* _kursiv_ $x^2$ <b>Åsa</b> \\ ] @ref'
    fields = outreach_letter_fields("sv") | {"recipient_name": name,
                                             "address_lines": ['#include "/etc/hostname"', "123 45 Staden"]}
    text = text_of(render_outreach_letter(**fields), tmp_path)
    # The window is narrow: a line may break inside the name, so spaces are not compared.
    assert text.replace(" ", "").count(name.replace(" ", "")) == 2, "in the window and the greeting, as it is"
    assert '#include "/etc/hostname"' in text
    assert "root:" not in text


@pytest.mark.parametrize("language", ["sv", "ar", "fa"])
def test_the_page_number_is_at_the_bottom_right_of_every_page(app: Flask, language: str, tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(render(language))
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True,
                           text=True).stdout
    for page in boxes.split("<page ")[1:]:
        width, height = (float(v) for v in re.findall(r'(?:width|height)="([\d.]+)"', page)[:2])
        footer = [(float(x), text) for x, y, text in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<',
                                                                page) if float(y) > height * 0.93]
        assert [text for _, text in footer].count("/") == 1, f"one page number n / N at the foot: {footer}"
        assert all(x > width * 0.8 for x, _ in footer), f"at the right: {footer}"
