"""Reading QR codes back as a phone would: the PDF rendered to pixels (poppler), the codes found by zxing-cpp."""

from __future__ import annotations

import subprocess
from pathlib import Path

import zxingcpp
from PIL import Image


def qr_codes_in_pdf(pdf: bytes, tmp_path: Path, *, page: int = 1, dpi: int = 150) -> list[str]:
    """The texts of the QR codes on one page of `pdf`, printed at `dpi` and scanned."""
    path = tmp_path / "scanned.pdf"
    path.write_bytes(pdf)
    out = tmp_path / "scanned"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                    str(path), str(out)], check=True)
    with Image.open(out.with_suffix(".pgm")) as image:
        return [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
