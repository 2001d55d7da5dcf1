"""The outreach letter: Swedish first, then the person's language (or a short panel in every language), as PDF."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, format_date, format_time
from markupsafe import Markup

from portal import qr as qr_code
from portal.i18n import direction, native_name
from portal.pdf import html_to_pdf

KINDS = ("outreach_first", "outreach_second")
STYLESHEET = Path(__file__).with_name("letter.css")
DEFAULTS = Path(__file__).with_name("letter_ua.css")


@dataclass(frozen=True)
class LetterData:
    """What the letter says, the same in every language section."""

    kind: str
    recipient_name: str
    booking_starts_at: datetime | None
    rebooking_code: str | None
    rebooking_url: str | None
    recovery_deadline: date | None
    amount_text: str | None
    eviction_at: datetime | None
    phone: str
    phone_hours: str
    place: str
    reference: str


def _section(template: str, lang: str, data: LetterData) -> Markup:
    """One language's part of the letter, with dates formatted and text translated in that language."""
    with force_locale(lang):
        booked_day = format_date(data.booking_starts_at, "full") if data.booking_starts_at else None
        booked_time = format_time(data.booking_starts_at, "HH:mm") if data.booking_starts_at else None
        deadline = format_date(data.recovery_deadline, "full") if data.recovery_deadline else None
        eviction = format_date(data.eviction_at, "full") if data.eviction_at else None
        html = render_template(template, d=data, lang=lang, dir=direction(lang), language_name=native_name(lang),
                               booked_day=booked_day, booked_time=booked_time, deadline=deadline, eviction=eviction)
    return Markup(html)  # noqa: S704  # nosec B704 - rendered by our own autoescaping template


def outreach_letter_html(*, kind: str, language: str | None, recipient_name: str,
                         address_lines: list[str] | None, booking_starts_at: datetime | None,
                         rebooking_code: str | None, rebooking_url: str | None, recovery_deadline: date | None,
                         amount_text: str | None, eviction_at: datetime | None, phone: str | None, reference: str,
                         rebooking_qr_url: str | None = None) -> str:
    """The outreach letter's HTML, for an A4 sheet in a C5 window envelope; no address at all when address_lines
    is None.

    Swedish comes first, then the person's language when it is known and not Swedish; when it is unknown, a short
    panel in every supported language. `phone` None means the reception's number from the configuration.
    `rebooking_url` is printed for typing; the QR code opens `rebooking_qr_url` (the code's own page) when given.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown outreach letter kind: {kind}")
    config = current_app.config
    data = LetterData(kind=kind, recipient_name=recipient_name, booking_starts_at=booking_starts_at,
                      rebooking_code=rebooking_code, rebooking_url=rebooking_url,
                      recovery_deadline=recovery_deadline, amount_text=amount_text, eviction_at=eviction_at,
                      phone=phone or config["RECEPTION_PHONE"], phone_hours=config["RECEPTION_PHONE_HOURS"],
                      place=config["RECEPTION_ADDRESS"], reference=reference)
    languages = tuple(config["LANGUAGES"])
    source = languages[0] if languages else "sv"
    sections = [_section("outreach_letters/section.html", source, data)]
    panels: list[Markup] = []
    if language and language != source and language in languages:
        sections.append(_section("outreach_letters/section.html", language, data))
    elif not language or language not in languages:
        panels = [_section("outreach_letters/panel.html", lang, data) for lang in languages if lang != source]
    qr = None
    qr_target = rebooking_qr_url or rebooking_url
    if qr_target:
        # One pixel per module; the stylesheet scales it up without smoothing. An SVG of the same code cost
        # WeasyPrint ten times as long to draw.
        qr = qr_code.png_data_uri(qr_target, border=1)
    with force_locale(source):
        return render_template("outreach_letters/letter.html", sections=sections, panels=panels, lang=source,
                               address_lines=address_lines, recipient_name=recipient_name,
                               sender=config["LETTER_SENDER"], qr=qr, d=data)


def render_outreach_letter(**fields: Any) -> bytes:
    """The outreach letter as an A4 PDF; `fields` as for outreach_letter_html."""
    return html_to_pdf(outreach_letter_html(**fields), stylesheets=(STYLESHEET,), defaults=DEFAULTS)
