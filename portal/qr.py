"""QR codes for letters (the rebooking link) and for the staff's TOTP enrolment, made by zxing-cpp.

zxing-cpp encodes with zint, in C: a code with the mask chosen by the standard's penalty rules takes a fraction
of a millisecond. segno, the pure-Python encoder used before, spent 4-5 ms of every outreach letter choosing that
mask, 6-9 % of the letter's time.
"""

from __future__ import annotations

import urllib.parse

import zxingcpp


def _encode(text: str) -> zxingcpp.Barcode:
    """The QR code of `text` with the most error correction that still fits in the smallest size that holds it at
    level M (as segno's `boost_error` did): a letter that has been folded or creased still scans."""
    chosen = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    size = chosen.to_image(scale=1, add_quiet_zones=False).shape[0]
    for level in ("Q", "H"):
        code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level=level)
        if code.to_image(scale=1, add_quiet_zones=False).shape[0] > size:
            break
        chosen = code
    return chosen


def svg_for_print(text: str) -> str:
    """An SVG of the code with one unit per module and the standard's quiet zone of four white modules, for a
    printed document that sets its size. zint draws each row's run of dark modules as one rectangle of a single
    path, so no seam shows between neighbouring modules when it is printed or scanned."""
    return _encode(text).to_svg(scale=1, add_quiet_zones=True)


def svg_data_uri(text: str, *, scale: int = 5) -> str:
    """An SVG data URI with the standard's quiet zone, for a screen (sharp at any zoom)."""
    svg = _encode(text).to_svg(scale=scale, add_quiet_zones=True)
    return "data:image/svg+xml," + urllib.parse.quote(svg)

