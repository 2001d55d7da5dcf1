"""Reading one notice from loosely written fields (CSV row, API object, staff form) into checked values.

Liberal in what it accepts (FORMATS.md §1): header spellings with or without Swedish letters, English aliases,
dates as 2026-11-03, 20261103 or 3/11/2026 (day first), amounts as "12 500", "12500,50" or "12500.50",
personnummer with 10 or 12 digits. Every refusal is a plain Swedish sentence naming the column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import lru_cache

from outreach.notices.models import Children, Notice, NoticeKind
from portal.bounds import column_limit, control_character
from portal.clock import LOCAL_TZ
from portal.personnummer import InvalidIdentityNumber, Problem, parse

# English aliases accepted by the API (documented in the OpenAPI document) and by files.
ALIASES = {
    "type": "typ", "reference": "referens", "landlord": "hyresvard", "landlord_name": "hyresvard",
    "landlord_orgnr": "hyresvard_orgnr", "landlord_contact": "hyresvard_kontakt", "tenant_name": "hyresgast_namn",
    "personal_identity_number": "personnummer", "address": "adress", "postal_code": "postnummer", "city": "ort",
    "flat_number": "lagenhetsnummer", "flat_size": "lagenhet_storlek", "arrears": "skuld_kr",
    "termination_date": "uppsagning_datum", "served_date": "delgiven_datum", "received_date": "inkom_datum",
    "eviction_date": "avhysning_datum", "children": "barn_i_hushallet", "language": "sprak",
    "protected_identity": "skyddad_identitet", "corrects": "rattelse_av", "interpreter": "tolk",
    "interpreter_needed": "tolk", "tolkbehov": "tolk",
}
COLUMNS = ("typ", "referens", "hyresvard", "hyresvard_orgnr", "hyresvard_kontakt", "hyresgast_namn",
           "personnummer", "adress", "postnummer", "ort", "lagenhetsnummer", "lagenhet_storlek", "skuld_kr",
           "uppsagning_datum", "delgiven_datum", "inkom_datum", "avhysning_datum", "barn_i_hushallet", "sprak",
           "skyddad_identitet", "rattelse_av", "tolk")
REQUIRED_COLUMNS = ("typ", "referens", "hyresvard", "hyresgast_namn", "adress", "postnummer", "ort")
KRONOFOGDEN = "kronofogden"

_KINDS = {"uppsagning": NoticeKind.TERMINATION, "storning": NoticeKind.DISTURBANCE,
          "avhysning": NoticeKind.EVICTION, "ovrigt": NoticeKind.OTHER}
_YES = {"ja", "j", "yes", "y", "x", "1", "true"}
_NO = {"nej", "n", "no", "0", "false"}
_UNKNOWN = {"", "okant", "vet ej", "unknown", "-"}
# The column each text is stored in as written (its VARCHAR length is the limit: PostgreSQL refuses more).
STORED_AS = {"referens": Notice.reference, "hyresvard": Notice.landlord_name, "hyresvard_orgnr": Notice.landlord_orgnr,
             "hyresvard_kontakt": Notice.landlord_contact, "hyresgast_namn": Notice.tenant_name,
             "adress": Notice.address, "postnummer": Notice.postal_code, "ort": Notice.city,
             "lagenhetsnummer": Notice.flat_number, "lagenhet_storlek": Notice.flat_size,
             "skuld_kr": Notice.amount_text, "avhysning_datum": Notice.eviction_text,
             "sprak": Notice.language, "rattelse_av": Notice.corrects_reference}
# Columns read into something shorter (a kind, a date, a yes or no): generous for what a sender writes.
_PARSED_LIMIT = 20
FIELD_LIMITS = {column: (column_limit([STORED_AS[column]]) if column in STORED_AS else _PARSED_LIMIT)
                for column in COLUMNS}
PERSONNUMMER_PROBLEMS = {
    Problem.FORMAT: "personnumret ska ha 10 eller 12 siffror",
    Problem.DATE: "personnumret innehåller ett datum som inte finns",
    Problem.CHECKSUM: "personnumret har fel kontrollsiffra",
}


def fold(text: str) -> str:
    """Lower case without Swedish letters or accents: 'Hyresgäst_Namn' -> 'hyresgast_namn'."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=512)
def column_name(header: str) -> str:
    """The canonical column for a header as a sender wrote it (BOM, case, spaces, Swedish letters, aliases)."""
    name = re.sub(r"[\s\-]+", "_", fold(header.replace("\ufeff", "")))
    return ALIASES.get(name, name)


@dataclass
class NoticeInput:
    """A checked notice, ready to be stored."""

    kind: NoticeKind
    reference: str
    landlord_name: str
    landlord_orgnr: str | None
    landlord_contact: str | None
    tenant_name: str
    personnummer: str | None
    address: str
    postal_code: str
    city: str
    flat_number: str | None
    flat_size: str | None
    amount_text: str | None
    amount_ore: int | None
    termination_date: date | None
    served_date: date | None
    received_date: date
    eviction_at: datetime | None
    eviction_text: str | None
    children: Children
    language: str | None
    protected: bool
    corrects_reference: str | None
    # `tolk` (beyond FORMATS.md §1, optional): whether the tenant needs an interpreter, in `sprak` when given;
    # None when the sender does not say. Held on the person, not the notice (portal.interpreter).
    interpreter: bool | None = None

    @property
    def sender(self) -> str:
        """Who sent it: Kronofogden for eviction dates, else the landlord's organisation number or name."""
        return sender_key(self.kind, self.landlord_orgnr, self.landlord_name)


def sender_key(kind: NoticeKind, orgnr: str | None, name: str) -> str:
    """The sender part of a notice's identity (with the reference it identifies the notice)."""
    if kind == NoticeKind.EVICTION:
        return KRONOFOGDEN
    digits = re.sub(r"\D", "", orgnr or "")
    return digits or re.sub(r"\s+", " ", fold(name))[:120]


@dataclass
class Problems:
    """Column -> reason for every field that could not be read."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, column: str, reason: str) -> None:
        """Note one problem."""
        self.items.append((column, reason))

    def __bool__(self) -> bool:
        return bool(self.items)

    def sentence(self) -> str:
        """All problems as one plain Swedish sentence."""
        return "; ".join(f"{column}: {reason}" for column, reason in self.items)


def parse_date(text: str) -> date:
    """2026-11-03, 20261103, 3/11/2026 or 3.11.2026 (day first); ValueError with a Swedish reason."""
    value = text.strip()
    match = (re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value) or re.fullmatch(r"(\d{4})(\d{2})(\d{2})", value))
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", value)
        if not match:
            raise ValueError(f"”{value}” är inte ett datum (skriv till exempel 2026-11-03)")
        day, month, year = (int(part) for part in match.groups())
    if not 2000 <= year <= 2099:
        raise ValueError(f"året i ”{value}” är inte rimligt")
    try:
        return date(year, month, day)
    except ValueError as error:
        raise ValueError(f"datumet ”{value}” finns inte") from error


def parse_datetime(text: str) -> tuple[datetime, date]:
    """A date with an optional time (2026-12-08 09:00), Swedish local time; returns UTC and the local date."""
    value = text.strip()
    match = re.fullmatch(r"(.+?)(?:[ T]+(\d{1,2})[:.](\d{2}))?", value, re.DOTALL)
    if match is None:  # only empty text is left; a line break no longer slips past the pattern
        raise ValueError(f"”{value}” är inte ett datum (skriv till exempel 2026-12-08 09:00)")
    day = parse_date(match.group(1))
    at = time(0, 0)
    if match.group(2):
        try:
            at = time(int(match.group(2)), int(match.group(3)))
        except ValueError as error:
            raise ValueError(f"klockslaget i ”{value}” finns inte") from error
    return datetime.combine(day, at, tzinfo=LOCAL_TZ).astimezone(UTC), day


def parse_amount(text: str) -> int:
    """Kronor as written ('12 500', '12500,50', '12 500.50 kr') -> öre; ValueError with a Swedish reason."""
    value = re.sub(r"[\s\u00a0\u202f]", "", text.strip().lower()).removesuffix("kr").removesuffix(":-")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d{1,2})?", value):
        value = value.replace(".", "")  # 12.500,50: dots group thousands
    value = value.replace(",", ".")
    match = re.fullmatch(r"(\d+)(?:\.(\d{1,2}))?", value)
    if not match:
        raise ValueError(f"”{text.strip()}” är inte ett belopp i kronor")
    return int(match.group(1)) * 100 + int((match.group(2) or "0").ljust(2, "0"))


def _text(values: dict[str, str], column: str, problems: Problems, *, required: bool = False) -> str | None:
    value = re.sub(r"\s+", " ", (values.get(column) or "").strip())
    if not value:
        if required:
            problems.add(column, "saknas")
        return None
    return value


def _optional_date(values: dict[str, str], column: str, problems: Problems, *, required: bool = False,
                   ) -> date | None:
    raw = (values.get(column) or "").strip()
    if not raw:
        if required:
            problems.add(column, "saknas")
        return None
    try:
        return parse_date(raw)
    except ValueError as error:
        problems.add(column, str(error))
        return None


def _unreadable(values: dict[str, str]) -> Problems:
    """Fields no sender writes on purpose: a control character or line break inside, or longer than the column.

    A NUL makes PostgreSQL refuse the whole transaction, and a line break inside a date or a name is a broken
    export; either way the row is refused with the reason, and the rest of the file goes on."""
    problems = Problems()
    for column in COLUMNS:
        value = (values.get(column) or "").strip()
        char = control_character(value)
        if char is not None:
            problems.add(column, f"innehåller ett styrtecken eller en radbrytning (U+{ord(char):04X}); "
                                 "skriv värdet på en rad")
        elif len(value) > FIELD_LIMITS[column]:
            problems.add(column, f"är för långt (högst {FIELD_LIMITS[column]} tecken)")
    return problems


def read_notice(raw: dict[str, str], *, today: date) -> tuple[NoticeInput | None, Problems]:
    """Check one notice given as column -> text; returns the input or the problems (never both)."""
    values = {column_name(key): ("" if value is None else str(value)) for key, value in raw.items() if key}
    problems = _unreadable(values)
    if problems:
        return None, problems
    kind_text = fold(values.get("typ", ""))
    kind = _KINDS.get(kind_text)
    if kind is None:
        problems.add("typ", "saknas" if not kind_text else
                     f"”{values.get('typ', '').strip()}” är ingen känd typ (uppsägning, störning, avhysning, övrigt)")
    texts = {column: _text(values, column, problems, required=column in REQUIRED_COLUMNS)
             for column in ("referens", "hyresvard", "hyresvard_orgnr", "hyresvard_kontakt", "hyresgast_namn",
                            "adress", "ort", "lagenhetsnummer", "lagenhet_storlek", "rattelse_av")}
    personnummer = None
    if (values.get("personnummer") or "").strip():
        try:
            personnummer = parse(values["personnummer"]).digits
        except InvalidIdentityNumber as error:
            problems.add("personnummer", PERSONNUMMER_PROBLEMS[error.problem])
    postal_code = re.sub(r"\s", "", values.get("postnummer") or "")
    if not postal_code:
        problems.add("postnummer", "saknas")
    elif not re.fullmatch(r"\d{5}", postal_code):
        problems.add("postnummer", f"”{values['postnummer'].strip()}” är inte ett postnummer med fem siffror")
    amount_text = (values.get("skuld_kr") or "").strip() or None
    amount_ore = None
    if amount_text:
        try:
            amount_ore = parse_amount(amount_text)
        except ValueError as error:
            problems.add("skuld_kr", str(error))
    elif kind == NoticeKind.TERMINATION:
        problems.add("skuld_kr", "saknas (krävs för uppsägning)")
    termination = _optional_date(values, "uppsagning_datum", problems,
                                 required=kind in (NoticeKind.TERMINATION, NoticeKind.DISTURBANCE))
    served = _optional_date(values, "delgiven_datum", problems)
    received = _optional_date(values, "inkom_datum", problems) or today
    eviction_at, eviction_text = None, (values.get("avhysning_datum") or "").strip() or None
    if eviction_text:
        try:
            eviction_at, _ = parse_datetime(eviction_text)
        except ValueError as error:
            problems.add("avhysning_datum", str(error))
    elif kind == NoticeKind.EVICTION:
        problems.add("avhysning_datum", "saknas (krävs för avhysning)")
    children_text = fold(values.get("barn_i_hushallet") or "")
    children = Children.UNKNOWN
    if children_text in _YES:
        children = Children.YES
    elif children_text in _NO:
        children = Children.NO
    elif children_text not in _UNKNOWN:
        problems.add("barn_i_hushallet", "ska vara ja, nej eller okänt")
    protected_text = fold(values.get("skyddad_identitet") or "")
    if protected_text not in _YES | _NO | {""}:
        problems.add("skyddad_identitet", "ska vara ja eller tomt")
    interpreter_text = fold(values.get("tolk") or "")
    interpreter = True if interpreter_text in _YES else False if interpreter_text in _NO else None
    if interpreter_text not in _YES | _NO | _UNKNOWN:
        problems.add("tolk", "ska vara ja, nej eller okänt")
    language = fold(values.get("sprak") or "") or None
    if language and not re.fullmatch(r"[a-z]{2,3}(-[a-z]{2})?", language):
        problems.add("sprak", f"”{language}” är ingen språkkod (till exempel ar, so)")
    if problems or kind is None:
        return None, problems
    return NoticeInput(
        kind=kind, reference=texts["referens"] or "", landlord_name=texts["hyresvard"] or "",
        landlord_orgnr=texts["hyresvard_orgnr"], landlord_contact=texts["hyresvard_kontakt"],
        tenant_name=texts["hyresgast_namn"] or "", personnummer=personnummer, address=texts["adress"] or "",
        postal_code=postal_code, city=texts["ort"] or "", flat_number=texts["lagenhetsnummer"],
        flat_size=texts["lagenhet_storlek"], amount_text=amount_text, amount_ore=amount_ore,
        termination_date=termination, served_date=served, received_date=received, eviction_at=eviction_at,
        eviction_text=eviction_text, children=children, language=language, protected=protected_text in _YES,
        corrects_reference=texts["rattelse_av"], interpreter=interpreter), problems
