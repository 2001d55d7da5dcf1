"""What a rendered document may load: only what it carries itself (data: URLs), never a local file or the network."""

from __future__ import annotations

import base64
import io
import subprocess
from pathlib import Path

from PIL import Image

from portal.pdf import html_to_pdf


def images_in(pdf: bytes, tmp_path: Path) -> int:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True).stdout
    return len(listing.splitlines()) - 2  # two header lines


def test_an_image_in_the_document_is_drawn_but_a_local_file_or_web_address_is_not_fetched(tmp_path: Path) -> None:
    png = io.BytesIO()
    Image.new("L", (8, 8), 0).save(png, format="PNG")
    (tmp_path / "secret.png").write_bytes(png.getvalue())
    carried = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
    local = (tmp_path / "secret.png").as_uri()

    def page(*sources: str) -> str:
        images = "".join(f'<img src="{source}" alt="">' for source in sources)
        return f"<!doctype html><html><head><title>x</title></head><body><p>Brev</p>{images}</body></html>"

    assert images_in(html_to_pdf(page(carried)), tmp_path) == 1
    assert images_in(html_to_pdf(page(local)), tmp_path) == 0, "a file:// image was read from disk"
    # An unroutable address: refused before any connection is tried, so the test waits for nothing.
    assert images_in(html_to_pdf(page("http://192.0.2.1/pixel.png", local, carried)), tmp_path) == 1
