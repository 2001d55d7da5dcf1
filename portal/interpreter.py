"""Interpreter need (tolkbehov): held once, on the person, whoever said it; read wherever staff meet the person.

Three kinds of source say it: the person's own e-application answer, a notice (a column of the file or the
typed-in form), and staff (on the intake item's or the notice's page, or when registering a phone or walk-in
contact). A source that is not staff only fills in what is not known, or turns a "no" it did not get from staff
into a "yes": a need is never dropped by a later form or file, only by a staff member, and that change is
audit-logged. Every change is in the audit log as `person.interpreter`, which is also where the notice's and the
item's timelines read it from, so there is one record of it and one history.

An intake item with no person (a caller who gave no personnummer) keeps the need on the item, as it keeps the
caller's name and phone number; `for_item` answers for both.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from babel import Locale
from flask import current_app
from sqlalchemy import select

from portal import audit
from portal.db import db, utcnow
from portal.people import Person

if TYPE_CHECKING:
    from portal.intake.models import IntakeItem
    from portal.staff.models import StaffUser

ACTION = "person.interpreter"
# Sources that are not a staff member's own decision (how they are named in the person's record and history).
APPLICATION = "e-ansökan"
NOTICE = "underrättelse"
MIGRATED = "tidigare uppgift"
AUTOMATIC = frozenset({APPLICATION, NOTICE, MIGRATED})
# Languages staff choose an interpreter language from, besides the resident languages: those most asked for in
# Swedish municipal interpreting that the portal is not translated into (names from Babel, in Swedish).
OTHER_LANGUAGES = ("am", "bs", "ckb", "es", "fr", "hr", "kmr", "pl", "ps", "ro", "ru", "sq", "sr", "th", "tr",
                   "ur", "zh")


class InterpreterError(ValueError):
    """The need cannot be recorded as asked (message in Swedish)."""


@dataclass(frozen=True)
class Need:
    """What staff see: needed or not (None: not known), and the interpreter's language in Swedish words."""

    needed: bool | None
    language: str | None

    @property
    def label(self) -> str:
        """'Behöver tolk (arabiska)', 'Behöver inte tolk' or 'Okänt'."""
        if self.needed is None:
            return "Okänt"
        if not self.needed:
            return "Behöver inte tolk"
        return f"Behöver tolk ({self.language})" if self.language else "Behöver tolk"


@dataclass(frozen=True)
class Change:
    """One recorded change, for a timeline."""

    at: datetime
    actor: str
    detail: str


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def language_codes() -> tuple[str, ...]:
    """The codes staff choose from: the resident languages, then the others."""
    resident = tuple(current_app.config["LANGUAGES"])
    return resident + tuple(code for code in OTHER_LANGUAGES if code not in resident)


@lru_cache(maxsize=8)
def _names_index(codes: tuple[str, ...]) -> dict[str, str]:
    """Folded language name (in any resident language, or the language's own) -> code."""
    index: dict[str, str] = {}
    for locale_code in ("sv", "en", "ar", "fa", "so", "ti", "fi", "uk", *codes):
        try:
            names = Locale.parse(locale_code).languages
        except (ValueError, LookupError):
            continue
        for code in codes:
            if names.get(code):
                index.setdefault(_fold(names[code]), code)
    for code in codes:
        index.setdefault(code, code)
    return index


def language_code(text: str | None) -> str | None:
    """The code for a language written as a code or a name in one of the portal's languages ('Arabiska',
    'Arabic', 'العربية' -> 'ar'); None when it is none of the languages staff choose from."""
    if not text or not text.strip():
        return None
    return _names_index(language_codes()).get(_fold(text))


def language_name(value: str | None, locale: str = "sv") -> str | None:
    """A stored interpreter language in words of `locale` ('ar' -> 'arabiska'); words the person wrote that are
    no known code are given back as written; None when Babel has no name for the code in that locale."""
    if not value:
        return None
    code = language_code(value)
    if code is None:
        return value if locale == "sv" else None
    return Locale.parse(locale).languages.get(code) or (value if locale == "sv" else None)


def staff_choices() -> list[tuple[str, str]]:
    """(code, Swedish name) for a select, the resident languages first."""
    return [(code, language_name(code) or code) for code in language_codes()]


def need_of(person: Person | None) -> Need:
    """The person's need as staff see it."""
    if person is None:
        return Need(None, None)
    language = _spoken(person) if person.interpreter_needed else None
    return Need(person.interpreter_needed, language_name(language))


def for_item(item: IntakeItem) -> Need:
    """An intake item's need: its person's record, or the item's own for a contact with no person."""
    if item.person_id is not None and item.person is not None:
        return need_of(item.person)
    return Need(True if item.interpreter_needed else None, language_name(item.language)
                if item.interpreter_needed else None)


def letter_language(person: Person) -> str | None:
    """The code of the language the letter names for the interpreter (the person's own when none was given);
    None when no interpreter is needed."""
    if not person.interpreter_needed:
        return None
    return language_code(_spoken(person))


def _spoken(person: Person) -> str | None:
    """The interpreter's language: the one given, else the person's own (never the source language)."""
    if person.interpreter_language:
        return person.interpreter_language
    return person.language if person.language != current_app.config["LANGUAGES"][0] else None


def _describe(needed: bool | None, language: str | None) -> str:
    return Need(needed, language_name(language)).label


def _set(person: Person, *, needed: bool | None, language: str | None, source: str,
         actor: tuple[str, int | None, str] | None) -> bool:
    language = (language or "").strip()[:100] or None
    if needed is not True or language == current_app.config["LANGUAGES"][0]:
        # No interpreter into the source language: a Swedish speaker's "language" names no interpreter.
        language = None
    if person.interpreter_needed == needed and person.interpreter_language == language:
        return False
    before = _describe(person.interpreter_needed, person.interpreter_language)
    person.interpreter_needed, person.interpreter_language = needed, language
    person.interpreter_source, person.interpreter_at = source[:254], utcnow()
    audit.record(ACTION, person_id=person.id, object_type="person", object_id=person.id,
                 detail=f"{before} → {_describe(needed, language)} ({source})", actor=actor)
    return True


def record_from_source(person: Person, *, needed: bool | None, language: str | None, source: str,
                       actor: tuple[str, int | None, str] | None = None) -> bool:
    """What an application or a notice says (no commit): fills in what is not known, or turns a "no" that staff
    did not give into a "yes"; never drops a need. True when it changed the record."""
    if needed is None:
        return False
    current = person.interpreter_needed
    from_staff = person.interpreter_source is not None and person.interpreter_source not in AUTOMATIC
    if current is None or (needed and current is False and not from_staff):
        return _set(person, needed=needed, language=(language or person.language) if needed else None,
                    source=source, actor=actor)
    if needed and current and language and not person.interpreter_language:
        return _set(person, needed=True, language=language, source=source, actor=actor)
    return False


def staff_label(user: StaffUser) -> str:
    """How a staff member is named as the source."""
    return f"{user.name} ({user.email})"


def set_by_staff(person: Person, *, needed: bool | None, language: str | None, staff: StaffUser) -> bool:
    """A staff member records the need as they learnt it (no commit): it stands until staff change it again."""
    if language and needed is not True:
        raise InterpreterError("Välj ”Behöver tolk” för att ange ett språk för tolken.")
    if language and language not in language_codes():
        raise InterpreterError("Välj språket i listan.")
    return _set(person, needed=needed, language=language, source=staff_label(staff),
                actor=("staff", int(staff.id), str(staff.email)))


def history(person_id: int | None) -> list[Change]:
    """Every recorded change of the person's need, oldest first (for the notice's and the item's timeline)."""
    if person_id is None:
        return []
    event = audit.AuditEvent
    rows = db.session.scalars(select(event).where(event.person_id == person_id, event.action == ACTION)
                              .order_by(event.chain_seq))
    return [Change(at=row.at, actor=row.actor_label, detail=row.detail or "") for row in rows]


def parse_choice(value: str) -> bool | None:
    """A form's 'ja' / 'nej' / '' as the stored value."""
    return {"ja": True, "nej": False}.get(value)


def choice_of(needed: bool | None) -> str:
    """The stored value as a form's choice."""
    return "" if needed is None else ("ja" if needed else "nej")


def for_handoff(item: IntakeItem) -> dict[str, Any]:
    """The hand-off's words for it (FORMATS.md §5): needed, and the language as a code or as the person wrote it."""
    person = item.person if item.person_id is not None else None
    if person is None:
        needed = bool(item.interpreter_needed)
        return {"interpreter_needed": needed, "interpreter_language": item.language if needed else None}
    needed = bool(person.interpreter_needed)
    return {"interpreter_needed": needed,
            "interpreter_language": _spoken(person) if needed else None}
