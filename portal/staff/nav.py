"""The navigation bar on every staff page: the sections the role may use, each with a count of what waits.

Areas register their sections (`add_section`) and their links on the staff home (`add_home_link`) in their
init_app, onto the app; a count is one small query (unread messages from residents, open follow-up tasks, letters
to approve), run only for the sections the role may see. The administrator's sections come after the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, request, url_for

from portal.registry import Registry
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


SECTIONS: Registry[Section] = Registry("staff_nav", key=lambda section: section.key)


def add_section(app: Flask, section: Section) -> None:
    """Add an area's section to the navigation bar."""
    SECTIONS.add(app, section)


# A count another area shows beside a section (the residents' unread messages beside the intake queue), so the
# section's own area need not import the area that knows the number.
COUNTS: Registry[tuple[str, Callable[[], int], str]] = Registry("staff_nav_counts", key=lambda entry: entry[0])


def add_count(app: Flask, section_key: str, count: Callable[[], int], count_label: str) -> None:
    """Show `count` beside the section `section_key` (one count per section)."""
    COUNTS.add(app, (section_key, count, count_label))


@dataclass(frozen=True)
class HomeLink:
    """A link on the staff home for the roles that may use the page."""

    roles: frozenset[Role]
    endpoint: str
    label: str


HOME_LINKS: Registry[HomeLink] = Registry("staff_home_links", key=lambda link: link.endpoint)


def add_home_link(app: Flask, roles: frozenset[Role], endpoint: str, label: str) -> None:
    """Put a link on the staff home for the roles that may use it."""
    HOME_LINKS.add(app, HomeLink(roles, endpoint, label))


def home_links(role: Role) -> list[HomeLink]:
    """The links this role finds on the staff home, in the order the areas added them."""
    return [link for link in HOME_LINKS.all() if grants(role, link.roles)]


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
    counts = {key: (count, label) for key, count, label in COUNTS.all()}
    entries = []
    # A stable sort: the administrator's own sections after the work sections, each group in the areas' order.
    for section in sorted(SECTIONS.all(), key=lambda section: section.roles == {Role.ADMIN}):
        if section.roles and not grants(role, section.roles):
            continue
        count, count_label = counts.get(section.key, (section.count, section.count_label))
        entries.append(NavEntry(section.label, url_for(section.endpoint), _is_current(section),
                                count() if count else None, count_label))
    # Only the most specific section is the current page (the staff home matches nothing else).
    return entries
