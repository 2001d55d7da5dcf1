"""QR codes for letters (the rebooking link) and for the staff's TOTP enrolment, made by zxing-cpp.

zxing-cpp encodes with zint, in C: a code with the mask chosen by the standard's penalty rules takes a fraction
of a millisecond. segno, the pure-Python encoder used before, spent 4-5 ms of every outreach letter choosing that
mask, 6-9 % of the letter's time.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import zxingcpp
from PIL import Image, ImageOps


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


def modules(text: str, *, border: int) -> Image.Image:
    """The code as a 1-bit image with one pixel per module and `border` white modules around it."""
    pixels: Any = _encode(text).to_image(scale=1, add_quiet_zones=False)  # a buffer, which its stub leaves out
    height, width = pixels.shape
    image = Image.frombytes("L", (width, height), bytes(pixels)).convert("1")
    return ImageOps.expand(image, border=border, fill=1)


def svg_for_print(text: str, *, border: int = 1) -> str:
    """An SVG with one unit per module and `border` white modules around it, for a printed document that sets
    its size: one path of the dark modules, a run of each row as one rectangle, so no seam can show between
    neighbouring modules when it is printed or scanned."""
    image = modules(text, border=border)
    width, height = image.size
    dark = [value == 0 for value in image.convert("L").tobytes()]
    runs = []
    for y in range(height):
        row = dark[y * width:(y + 1) * width]
        x = 0
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h{start - x}z")
            else:
                x += 1
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" shape-rendering="crispEdges">'
            f'<rect width="{width}" height="{height}" fill="#fff"/><path fill="#000" d="{"".join(runs)}"/></svg>')


def svg_data_uri(text: str, *, scale: int = 5) -> str:
    """An SVG data URI with the standard's quiet zone, for a screen (sharp at any zoom)."""
    svg = _encode(text).to_svg(scale=scale, add_quiet_zones=True)
    return "data:image/svg+xml," + urllib.parse.quote(svg)

