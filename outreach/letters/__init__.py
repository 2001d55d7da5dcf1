"""The outreach letter: Swedish first, then the person's language (or a short panel in every language), as PDF.

What the letter says is put together here, translated and formatted in each section's language; `letter.typ`
lays it out (portal.typeset).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from babel import Locale
from flask import current_app
from flask_babel import force_locale, format_date, format_time, gettext

from portal import qr as qr_code
from portal.bidi import ltr_text as _isolated
from portal.bidi import own_text
from portal.i18n import direction, native_name
from portal.pdf import RenderedPdf
from portal.typeset import typeset

KINDS = ("outreach_first", "outreach_second")
TEMPLATE = Path(__file__).with_name("letter.typ")
# Stands in for the rebooking code while its sentence is translated, so the code can be set in its own type.
_CODE = "\ufffc"


def ltr_text(value: str) -> str:
    """A number, time, amount or address isolated left to right (LRI … PDI), kept on one line (no-break
    spaces): an Arabic or Persian line draws an unisolated `08-508 123 45` as `45 123 508-08`."""
    return _isolated(value.replace(" ", "\u00a0"))


def date_text(value: date | datetime, form: str) -> str:
    """A date in the section's language, isolated in its own direction: an Arabic or Persian date in words reads
    right to left as those languages write it (day, month, year), and no number beside it joins its digits;
    on one line."""
    return own_text(format_date(value, form))


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
    dated: date | None = None
    notice_kind: str = "uppsagning"
    reason: str | None = None
    deadline: date | None = None
    interpreter_needed: bool = False
    interpreter_language: str | None = None
    # A letter-variant test's heading and opening per language (outreach.funnel.variants), written by an
    # administrator in every language; None for the standard letter.
    variant: dict[str, Any] | None = None


# Why a follow-up letter is sent (outreach.pipeline.followup): it says what happened.
REASONS = ("no_answer", "missed", "cancelled")


def _opening(data: LetterData) -> str:
    """What the notice is about, in words for its kind (the Kronofogden text with the eviction's date and time)."""
    if data.notice_kind == "avhysning" and data.eviction_at is not None:
        return gettext("Kronofogden har meddelat oss att du ska avhysas från din bostad den %(date)s klockan "
                       "%(time)s. Vi på kommunens socialtjänst vill hjälpa dig. Kontakta oss så snart du kan.",
                       date=date_text(data.eviction_at, "full"),
                       time=ltr_text(format_time(data.eviction_at, "HH:mm")))
    if data.notice_kind == "avhysning":
        return gettext("Kronofogden har meddelat oss att du kan bli avhyst från din bostad. Vi på kommunens "
                       "socialtjänst vill hjälpa dig. Kontakta oss så snart du kan.")
    if data.notice_kind == "storning":
        return gettext("Din hyresvärd har meddelat oss att det har kommit klagomål om störningar från din bostad "
                       "och att du kan förlora den. Vi på kommunens socialtjänst vill hjälpa dig. Ofta finns det "
                       "en lösning om vi får kontakt i tid.")
    if data.notice_kind == "ovrigt":
        return gettext("Din hyresvärd har skickat ett meddelande till oss om ditt hyresavtal, och du kan förlora "
                       "din bostad. Vi på kommunens socialtjänst vill hjälpa dig. Ofta finns det en lösning om vi "
                       "får kontakt i tid.")
    return gettext("Din hyresvärd har meddelat oss att hyran inte är betald och att du kan förlora din bostad. Vi "
                   "på kommunens socialtjänst vill hjälpa dig. Ofta finns det en lösning om vi får kontakt i tid.")


def _what_happened(reason: str | None) -> str:
    """The follow-up letter's first sentence: what actually happened since the first letter."""
    if reason == "missed":
        return gettext("Du kom inte till den tid vi hade bokat åt dig. Vi vill gärna träffa dig ändå.")
    if reason == "cancelled":
        return gettext("Du avbokade tiden vi hade bokat åt dig. Vi vill gärna träffa dig ändå, så välj en ny "
                       "tid eller ring oss.")
    return gettext("Vi skrev till dig tidigare men har inte fått kontakt med dig.")


def _interpreter(lang: str, data: LetterData) -> str:
    """The interpreter paragraph: the booking of one when the person needs it (named in this section's
    language when Babel knows its name), else how to get one."""
    if not data.interpreter_needed:
        return gettext("Du kan få en tolk gratis. Säg vilket språk du talar när du ringer eller kommer till oss.")
    name = Locale.parse(lang).languages.get(data.interpreter_language) if data.interpreter_language else None
    if name:
        return gettext("Vi bokar en tolk på %(language)s till dig när vi träffas. Tolken är gratis för dig.",
                       language=name)
    return gettext("Vi bokar en tolk till dig när vi träffas. Tolken är gratis för dig.")


def _section(lang: str, data: LetterData) -> dict[str, Any]:
    """One language's part of the letter, with dates formatted and text translated in that language."""
    texts = (data.variant or {}).get(lang)
    with force_locale(lang):
        heading = texts["heading"] if texts else gettext("Vi vill hjälpa dig att behålla din bostad")
        blocks: list[dict[str, Any]] = [{"kind": "h1", "text": heading}]
        if data.dated is not None:
            blocks.append({"kind": "p", "text": gettext("Datum: %(date)s", date=date_text(data.dated, "long"))})
        blocks.append({"kind": "p", "text": gettext("Hej %(name)s,", name=data.recipient_name)})
        if data.kind == "outreach_second":
            blocks.append({"kind": "p", "text": _what_happened(data.reason)})
        blocks.append({"kind": "p", "text": texts["opening"] if texts else _opening(data)})
        if not data.booking_starts_at and data.rebooking_code and data.rebooking_url:
            # No time fitted before the deadline (or the person needs a new one): phone, drop in, or pick one.
            before, _, after = gettext("Kod: %(code)s", code=_CODE).partition(_CODE)
            blocks += [
                {"kind": "h2", "text": gettext("Välj en tid eller kom till oss")},
                {"kind": "p", "text": gettext(
                    "Vi har inte kunnat boka en tid åt dig. Ring oss eller kom in till oss på %(place)s, "
                    "vardagar klockan %(hours)s. Du kan också gå till %(url)s och skriva koden nedan. Där väljer "
                    "du själv en ledig tid.", place=data.place, hours=ltr_text(data.phone_hours),
                    url=ltr_text(data.rebooking_url))},
                {"kind": "code", "before": before, "code": data.rebooking_code, "after": after}]
        elif data.booking_starts_at:
            blocks += [
                {"kind": "h2", "text": gettext("Vi har bokat en tid åt dig")},
                {"kind": "box", "lines": [
                    gettext("Tid: %(day)s klockan %(time)s", day=date_text(data.booking_starts_at, "full"),
                            time=ltr_text(format_time(data.booking_starts_at, "HH:mm"))),
                    gettext("Plats: %(place)s", place=data.place)]}]
            if data.rebooking_code and data.rebooking_url:
                before, _, after = gettext("Kod: %(code)s", code=_CODE).partition(_CODE)
                blocks += [
                    {"kind": "p", "text": gettext(
                        "Passar inte tiden? Gå till %(url)s och skriv koden nedan. Där kan du välja en annan tid "
                        "eller avboka. Du kan också ringa oss.", url=ltr_text(data.rebooking_url))},
                    {"kind": "code", "before": before, "code": data.rebooking_code, "after": after}]
            else:
                blocks.append({"kind": "p", "text": gettext("Passar inte tiden? Ring oss så bokar vi en ny tid.")})
        else:
            blocks.append({"kind": "p", "text": gettext("Ring oss så bokar vi en tid som passar dig.")})
        blocks += [
            {"kind": "h2", "text": gettext("Ring oss")},
            {"kind": "p", "text": gettext("Telefon: %(phone)s, vardagar klockan %(hours)s.",
                                          phone=ltr_text(data.phone), hours=ltr_text(data.phone_hours))},
            {"kind": "p", "text": gettext(
                "Det är frivilligt att kontakta oss. Det du berättar stannar hos oss: vi har tystnadsplikt.")}]
        important = []
        if data.recovery_deadline:
            important.append(gettext("Om hela skulden betalas senast %(date)s kan du ha rätt att bo kvar.",
                                     date=date_text(data.recovery_deadline, "full")))
        if data.amount_text:
            important.append(gettext("Skulden enligt hyresvärden: %(amount)s", amount=ltr_text(data.amount_text)))
        # The standard Kronofogden opening names the eviction's day; a variant's own opening may not.
        if data.eviction_at and (data.notice_kind != "avhysning" or texts):
            important.append(gettext("Kronofogden har bestämt en dag för avhysning: %(date)s.",
                                     date=date_text(data.eviction_at, "full")))
        if important:
            blocks += [{"kind": "h2", "text": gettext("Viktigt att veta")}, {"kind": "box", "lines": important}]
        blocks += [
            {"kind": "h2", "text": gettext("Hjälp med ekonomi och skulder")},
            {"kind": "p", "text": gettext(
                "Kommunens budget- och skuldrådgivning hjälper dig gratis att göra en budget och att hantera "
                "skulder. Ring samma nummer.")},
            {"kind": "h2", "text": gettext("Tolk")},
            {"kind": "p", "text": _interpreter(lang, data)},
            {"kind": "closing", "lines": [gettext("Med vänliga hälsningar"), gettext("Kommunens socialtjänst")]}]
    return {"lang": lang, "dir": direction(lang), "blocks": blocks}


def _panel(lang: str, data: LetterData) -> dict[str, Any]:
    """The short panel in one language, for a letter to someone whose language is not known."""
    with force_locale(lang):
        text = gettext("Det här brevet är från kommunens socialtjänst. Vi vill hjälpa dig att behålla din bostad. "
                       "Ring %(phone)s. Du kan få en tolk gratis.", phone=ltr_text(data.phone))
    return {"lang": lang, "dir": direction(lang), "name": native_name(lang), "text": text}


def outreach_letter_content(*, kind: str, language: str | None, recipient_name: str,
                            address_lines: list[str] | None, booking_starts_at: datetime | None,
                            rebooking_code: str | None, rebooking_url: str | None, recovery_deadline: date | None,
                            amount_text: str | None, eviction_at: datetime | None, phone: str | None,
                            reference: str, rebooking_qr_url: str | None = None, dated: date | None = None,
                            notice_kind: str = "uppsagning", reason: str | None = None,
                            deadline: date | None = None, variant: dict[str, Any] | None = None,
                            interpreter_needed: bool = False, interpreter_language: str | None = None,
                            ) -> dict[str, Any]:
    """What the outreach letter says, for `letter.typ`: an A4 sheet in a C5 window envelope; no address at all
    when address_lines is None.

    Swedish comes first, then the person's language when it is known and not Swedish; when it is unknown, a short
    panel in every supported language. `phone` None means the reception's number from the configuration.
    `rebooking_url` is printed for typing; the QR code opens `rebooking_qr_url` (the code's own page) when given.
    `interpreter_needed` (the person's record, portal.interpreter) makes each section say an interpreter is booked,
    in `interpreter_language` (a code) when given.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown outreach letter kind: {kind}")
    if reason is not None and reason not in REASONS:
        raise ValueError(f"unknown follow-up reason: {reason}")
    config = current_app.config
    data = LetterData(kind=kind, recipient_name=recipient_name, booking_starts_at=booking_starts_at,
                      rebooking_code=rebooking_code, rebooking_url=rebooking_url,
                      recovery_deadline=recovery_deadline, amount_text=amount_text, eviction_at=eviction_at,
                      phone=phone or config["RECEPTION_PHONE"], phone_hours=config["RECEPTION_PHONE_HOURS"],
                      place=config["RECEPTION_ADDRESS"], dated=dated, notice_kind=notice_kind, reason=reason,
                      deadline=deadline, variant=variant, interpreter_needed=interpreter_needed,
                      interpreter_language=interpreter_language)
    languages = tuple(config["LANGUAGES"])
    source = languages[0] if languages else "sv"
    sections = [_section(source, data)]
    panels: list[dict[str, Any]] = []
    if language and language != source and language in languages:
        sections.append(_section(language, data))
    elif not language or language not in languages:
        panels = [_panel(lang, data) for lang in languages if lang != source]
    qr_target = rebooking_qr_url or rebooking_url
    with force_locale(source):
        return {
            "lang": source, "title": gettext("Brev från kommunen"),
            "reference": gettext("Referens: %(reference)s", reference=ltr_text(reference)),
            "sender": config["LETTER_SENDER"],
            "address": None if address_lines is None else [recipient_name, *address_lines],
            "qr": qr_code.svg_for_print(qr_target) if qr_target else None, "qr_alt": qr_target,
            "sections": sections, "panels": panels,
            "panels_heading": gettext("Information på andra språk")}


def render_outreach_letter(**fields: Any) -> RenderedPdf:
    """The outreach letter as an A4 PDF; `fields` as for outreach_letter_content."""
    return typeset(TEMPLATE, {"letter": outreach_letter_content(**fields)})
