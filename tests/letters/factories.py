"""Real PDFs for letter tests, rendered with WeasyPrint."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from portal.pdf import html_to_pdf


def outreach_letter_fields(language: str | None, *, address: bool = True) -> dict[str, Any]:
    """A first outreach letter's fields (invented person, booking, code, deadline and amount)."""
    return {"kind": "outreach_first", "language": language, "recipient_name": "Åsa Öberg-Ähl",
            "address_lines": ["Storgatan 3 lgh 1101", "123 45 Staden"] if address else None,
            "booking_starts_at": datetime(2026, 12, 3, 9, 0, tzinfo=UTC), "rebooking_code": "ABCD234567",
            "rebooking_url": "http://portal.example/tid",
            "rebooking_qr_url": "http://portal.example/sv/tid/ABCD234567",
            "recovery_deadline": date(2026, 12, 10), "amount_text": "12 345,50 kr", "eviction_at": None,
            "phone": None, "reference": "HV-2026-001"}


def letter_pdf(marker: str, pages: int = 1) -> bytes:
    """An A4 PDF of `pages` pages, each page showing `marker` and its page number."""
    body = "".join(
        f'<section class="p">{marker} sida {n}</section>' for n in range(1, pages + 1))
    html = ("<!doctype html><html><head><style>@page { size: A4 } .p { page-break-after: always }"
            ".p:last-child { page-break-after: auto }</style></head><body>" + body + "</body></html>")
    return html_to_pdf(html)


def stored_letter_path(app: Any, letter: Any) -> Path:
    """Where the letter's PDF lies in the app's storage (to damage it, as a failing disk would)."""
    from portal.db import db
    from portal.storage import StoredFile

    key = db.session.get(StoredFile, letter.stored_file_id).key
    (path,) = Path(app.config["STORAGE_DIR"]).rglob(key)
    return path
