"""The staff search (sök): one box on every staff page, answered by each area that has something to find.

The query is read once (`parse_query`): a personnummer in any common form (10 or 12 digits, with or without
`-`/`+`), otherwise a name, a reference and a booking code at the same time. Each area registers a provider
in its init_app (`add_provider`) with the roles that may open its pages; a provider is asked only for those
roles and applies need-to-know itself (a caseworker gets only what they may open).

Names are matched on folded keys stored beside the name (`name_key_columns`): lower case, accents removed
(å → a, é → e), everything but letters and digits dropped, once from the first word ("annamariaandersson")
and once from the last ("anderssonannamaria"), each with a plain index. A search for "and", "Ander",
"anna andersson" or "Andersson Anna" is a range on one of those indexes (key >= "and" and < "ane"), so it
costs the same at 1,000 rows as at 100,000; a middle name alone is not found. Every search is audit-logged
with its terms and the people it showed. Results never carry an address.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import Flask
from sqlalchemy import Select, or_, select, union
from sqlalchemy.sql.elements import ColumnElement

from portal import audit
from portal import personnummer as identity_numbers
from portal.people import Person
from portal.registry import Registry
from portal.roles import Role, grants
from portal.search_keys import fold, prefix_range
from portal.staff.models import StaffUser

MAX_HITS = 25  # per area; a search box, not a list page


def name_conditions(model: Any, query: Query) -> list[ColumnElement[bool]]:
    """The model's name starts with the query, from the first word or from the last: one condition per index."""
    return [prefix_range(model.name_key, query.name_key), prefix_range(model.name_key_last, query.name_key)]


def matches_name(model: Any, query: Query) -> ColumnElement[bool]:
    """The model's name starts with the query, from the first or from the last word."""
    return or_(*name_conditions(model, query))


def ids_matching(id_column: Any, conditions: list[ColumnElement[bool]]) -> Any:
    """The ids meeting any of the conditions, as a UNION of one indexed look-up each: an OR of them in one
    WHERE let SQLite walk the whole table in id order instead (4.5x slower at 100,000 notices than at 1,000)."""
    selects = [select(id_column).where(condition) for condition in conditions]
    return union(*selects) if len(selects) > 1 else selects[0]


def person_ids(query: Query) -> Select[Any] | None:
    """The people the query names (by personnummer or name), as a subquery; None when it names nobody."""
    conditions: list[ColumnElement[bool]] = []
    if query.personnummer:
        conditions.append(Person.personnummer == query.personnummer)
    if query.name_key:
        conditions.extend(name_conditions(Person, query))
    return ids_matching(Person.id, conditions) if conditions else None


@dataclass(frozen=True)
class Query:
    """What the searcher typed, read every way it can be meant."""

    text: str
    personnummer: str | None  # 12 digits, when the text is a valid personnummer or samordningsnummer
    name_key: str  # folded; empty when there is nothing to match a name on (too short, only digits)
    reference: str  # the text as typed, trimmed (references and booking codes are matched exactly)

    @property
    def empty(self) -> bool:
        return not (self.personnummer or self.name_key or self.reference)


MIN_NAME = 2


def parse_query(text: str) -> Query:
    """Read the search box: a personnummer in any common form, else a name, a reference and a code."""
    # Control characters (a NUL, which PostgreSQL refuses in text) and other unprintables are never part of a
    # name, number, reference or code: they are dropped, not searched for.
    printable = "".join(ch if ch.isprintable() else " " for ch in (text or ""))
    cleaned = " ".join(printable.split())[:100]
    number = None
    compact = re.sub(r"[\s]", "", cleaned)
    if re.fullmatch(r"(\d{2})?\d{6}[-+]?\d{4}", compact):
        try:
            number = identity_numbers.parse(compact).digits
        except identity_numbers.InvalidIdentityNumber:
            number = None
    key = fold(cleaned)
    if number or key.isdigit() or len(key) < MIN_NAME:
        key = ""
    return Query(text=cleaned, personnummer=number, name_key=key,
                 reference=cleaned if len(cleaned) >= MIN_NAME else "")


@dataclass(frozen=True)
class Hit:
    """One thing found: what it is, its reference, the person's name and a date; never an address."""

    area: str
    reference: str
    name: str
    when: date | datetime | None
    url: str
    person_id: int | None = None
    detail: str = ""


@dataclass
class Results:
    """The hits per area, in the order the areas registered."""

    query: Query
    sections: list[tuple[str, list[Hit]]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(hits) for _, hits in self.sections)


Provider = Callable[[Query, StaffUser], list[Hit]]


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    roles: frozenset[Role]
    provider: Provider


AREAS: Registry[Area] = Registry("search", key=lambda area: area.key)


def add_provider(app: Flask, key: str, title: str, roles: frozenset[Role], provider: Provider) -> None:
    """Let an area answer searches for the roles that may open its pages (from its init_app)."""
    AREAS.add(app, Area(key, title, roles, provider))


def search(text: str, staff: StaffUser) -> Results:
    """Ask every area this staff member's role may use; audit-log the terms and the people shown; commit."""
    query = parse_query(text)
    results = Results(query=query)
    if query.empty:
        return results
    role = Role(staff.role)
    for area in AREAS.all():
        if grants(role, area.roles):
            hits = area.provider(query, staff)[:MAX_HITS]
            results.sections.append((area.title, hits))
    persons = sorted({hit.person_id for _, hits in results.sections for hit in hits if hit.person_id is not None})
    audit.record_read("staff.search", person_id=persons[0] if len(persons) == 1 else None, object_type="search",
                      object_id=results.count,
                      detail=f"terms={query.text!r} persons={','.join(str(p) for p in persons)}")
    return results
