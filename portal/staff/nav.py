"""The navigation bar on every staff page: the sections the role may use, each with a count of what waits.

Areas register their sections (`add_section`) when the app is made; a count is one small query (unread messages
from residents, open follow-up tasks, letters to approve), run only for the sections the role may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import request, url_for

from portal.roles import Role, grants
from portal.security import current_role


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    endpoint: str
    roles: frozenset[Role]  # empty: every staff role
    # The endpoints (or blueprint names, ending in ".") that count as being in this section.
    matches: tuple[str, ...]
    count: Callable[[], int] | None = None
    count_label: str = ""  # "olästa meddelanden": read as "3 olästa meddelanden"


SECTIONS: list[Section] = []


def add_section(section: Section) -> None:
    """Add (or replace) a section; create_app runs many times in one process (tests)."""
    for index, existing in enumerate(SECTIONS):
        if existing.key == section.key:
            SECTIONS[index] = section
            return
    SECTIONS.append(section)


@dataclass(frozen=True)
class NavEntry:
    label: str
    url: str
    current: bool
    count: int | None
    count_label: str


def _is_current(section: Section) -> bool:
    endpoint = request.endpoint or ""
    return any(endpoint == match or (match.endswith(".") and endpoint.startswith(match)) for match in section.matches)


def staff_nav() -> list[NavEntry]:
    """The logged-in staff member's sections, in order, with their counts (empty when not logged in)."""
    role = current_role()  # from the database, never the session
    if role is None:
        return []
    entries = []
    for section in SECTIONS:
        if section.roles and not grants(role, section.roles):
            continue
        entries.append(NavEntry(section.label, url_for(section.endpoint), _is_current(section),
                                section.count() if section.count else None, section.count_label))
    # Only the most specific section is the current page (the staff home matches nothing else).
    return entries
