"""QR codes: what they hold scans back, with as much error correction as fits in the smallest size."""

from __future__ import annotations

import zxingcpp
from PIL import Image

from portal import qr


def scan(text: str) -> zxingcpp.Barcode:
    image = qr.modules(text, border=4)
    found = zxingcpp.read_barcodes(image.resize((image.width * 6, image.height * 6), Image.Resampling.NEAREST))
    assert len(found) == 1
    return found[0]


def test_a_code_holds_its_text_with_the_most_error_correction_that_keeps_its_size() -> None:
    # The smallest code (21 modules) holds eight capitals and digits even at level H; fourteen bytes at M, not Q.
    short, longer = scan("ABCD2345"), scan("https://a.se/x")
    assert short.text == "ABCD2345" and short.ec_level == "H"
    assert longer.text == "https://a.se/x" and longer.ec_level == "M"
    assert qr.modules("ABCD2345", border=0).size == qr.modules("https://a.se/x", border=0).size == (21, 21)


def test_the_border_is_white_modules_around_the_code() -> None:
    plain, bordered = qr.modules("ABCD2345", border=0), qr.modules("ABCD2345", border=1)
    assert bordered.size == (plain.width + 2, plain.height + 2)
    assert all(bordered.getpixel((x, 0)) for x in range(bordered.width))
    assert plain.getpixel((0, 0)) == 0, "the finder pattern's dark corner"


def test_the_printed_svg_draws_exactly_the_dark_modules() -> None:
    import re

    image = qr.modules("https://a.se/sv/tid/ABCD234567", border=1)
    svg = qr.svg_for_print("https://a.se/sv/tid/ABCD234567", border=1)
    assert f'viewBox="0 0 {image.width} {image.height}"' in svg
    drawn = set()
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+z", svg):
        drawn |= {(int(x) + n, int(y)) for n in range(int(width))}
    dark = {(x, y) for y in range(image.height) for x in range(image.width) if image.getpixel((x, y)) == 0}
    assert drawn == dark
