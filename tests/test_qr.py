"""QR codes: what they hold scans back, with as much error correction as fits in the smallest size."""

from __future__ import annotations

import re

import zxingcpp

from portal import qr


def scan(text: str) -> zxingcpp.Barcode:
    found = zxingcpp.read_barcodes(qr._encode(text).to_image(scale=6, add_quiet_zones=True))
    assert len(found) == 1
    return found[0]


def size(text: str) -> int:
    return int(qr._encode(text).to_image(scale=1, add_quiet_zones=False).shape[0])


def test_a_code_holds_its_text_with_the_most_error_correction_that_keeps_its_size() -> None:
    # The smallest code (21 modules) holds eight capitals and digits even at level H; fourteen bytes at M, not Q.
    short, longer = scan("ABCD2345"), scan("https://a.se/x")
    assert short.text == "ABCD2345" and short.ec_level == "H"
    assert longer.text == "https://a.se/x" and longer.ec_level == "M"
    assert size("ABCD2345") == size("https://a.se/x") == 21


def test_the_printed_svg_is_the_code_inside_a_quiet_zone_of_four_modules() -> None:
    text = "https://a.se/sv/tid/ABCD234567"
    n = size(text)
    svg = qr.svg_for_print(text)
    assert f'width="{n + 8}" height="{n + 8}"' in svg
    assert f'<rect x="0" y="0" width="{n + 8}" height="{n + 8}" fill="#FFFFFF"/>' in svg
    runs = [(int(x), int(y), int(w)) for x, y, w in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\d+Z", svg)]
    assert runs and all(x >= 4 and x + w <= n + 4 and 4 <= y < n + 4 for x, y, w in runs)
    assert (4, 4, 7) in runs, "the top-left finder pattern's first row"
