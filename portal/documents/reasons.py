"""Why staff ask for a new copy of a document: a short list staff choose from, said to the resident in their
language, plus staff's own words (which are shown as written)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# What the resident reads on the status page, in their language.
RESIDENT_REASONS = {
    "unreadable": _l("Det går inte att läsa dokumentet. Fota eller skanna det igen så att all text syns."),
    "incomplete": _l("Sidor saknas. Skicka hela dokumentet, med alla sidor."),
    "wrong_period": _l("Dokumentet gäller en annan tid än den vi behöver."),
    "wrong_document": _l("Det här är inte det dokument vi bad om."),
    "name_missing": _l("Vi kan inte se vems dokumentet är. Namnet måste synas."),
    "other": _l("Läs meddelandet från mottagningen nedan."),
}
# What staff choose from (staff pages are Swedish only).
STAFF_REASONS = {
    "unreadable": "Går inte att läsa",
    "incomplete": "Sidor saknas",
    "wrong_period": "Fel period",
    "wrong_document": "Fel dokument",
    "name_missing": "Namnet syns inte",
    "other": "Annat skäl (skriv det nedan)",
}


def resident_reason(code: str | None) -> str:
    """The reason with this code in the current language (empty for an unknown code)."""
    label = RESIDENT_REASONS.get(code or "")
    return str(label) if label is not None else ""
