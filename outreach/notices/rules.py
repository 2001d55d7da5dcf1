"""The outreach rules as plain functions: deadlines (12 kap. 44 § jordabalken), priority, tenancy, area."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

from outreach.notices.models import NoticeKind
from outreach.notices.parse import fold
from portal.clock import LOCAL_TZ
from portal.workdays import legal_deadline

RECOVERY_WEEKS = 3
# Disturbance and other notices have no legal window, but still need contact: aim for the same three weeks.
CONTACT_TARGET_WEEKS = 3
CHILDREN_BONUS = 100
MAX_PRIORITY = 1000


def recovery_deadline(kind: NoticeKind, *, served: date | None, received: date) -> date | None:
    """Three weeks from the later of served and received, rolled to a working day; only for rent arrears."""
    if kind != NoticeKind.TERMINATION:
        return None
    start = max(served, received) if served else received
    return legal_deadline(start, weeks=RECOVERY_WEEKS)


def eviction_date(eviction_at: datetime | None) -> date | None:
    """The Swedish calendar date of Kronofogden's eviction."""
    return eviction_at.astimezone(LOCAL_TZ).date() if eviction_at else None


def effective_deadline(*, recovery: date | None, eviction: date | None, received: date) -> date:
    """The nearest hard deadline; without one, the contact target three weeks after the notice came in."""
    dates = [day for day in (recovery, eviction) if day is not None]
    return min(dates) if dates else legal_deadline(received, weeks=CONTACT_TARGET_WEEKS)


def priority(*, deadline: date, today: date, children: bool, kind: NoticeKind) -> int:
    """Higher is more urgent: the nearer the deadline the higher; children and eviction dates raise it."""
    days_left = (deadline - today).days
    score = MAX_PRIORITY - 10 * max(min(days_left, 90), -10)
    if children:
        # Social services has a special duty towards children affected by an eviction: about a week earlier.
        score += CHILDREN_BONUS
    if kind == NoticeKind.EVICTION:
        score += CHILDREN_BONUS // 2
    return max(score, 0)


def days_left(deadline: date | None, today: date) -> int | None:
    """Calendar days from today to the deadline (negative when it has passed)."""
    return None if deadline is None else (deadline - today).days


def tenancy_key(address: str, postal_code: str) -> str:
    """The flat, normalised: 'Ringvägen 12' + '11860' -> 'ringvagen 12|11860'."""
    street = re.sub(r"[^a-z0-9 ]", "", re.sub(r"\s+", " ", fold(address))).strip()
    digits = re.sub(r"\D", "", postal_code)
    return f"{street}|{digits}"[:220]


def same_household(a_personnummer: str | None, a_name: str, b_personnummer: str | None, b_name: str) -> bool:
    """Same person when both numbers are known and equal; without a number, the same name."""
    if a_personnummer and b_personnummer:
        return a_personnummer == b_personnummer
    return fold(a_name) == fold(b_name)


def _name_parts(name: str) -> set[str]:
    return {part for part in re.split(r"[^\w]+", fold(name)) if part}


def names_agree(held: str, given: str) -> bool:
    """True when two spellings name the same person: case, accents, order and a left-out middle name aside
    ('Amina Yusuf Ali' agrees with 'ALI, Amina'); a different first or last name does not."""
    a, b = _name_parts(held), _name_parts(given)
    if not a or not b:
        return True
    return a <= b or b <= a


def parse_area(setting: str) -> tuple[str, ...]:
    """PORTAL_OUTREACH_POSTAL_CODES: comma-separated postal codes or prefixes ('116,118,12345')."""
    return tuple(part for part in (re.sub(r"\D", "", piece) for piece in setting.split(",")) if part)


def in_area(postal_code: str, area: Iterable[str]) -> bool:
    """True when the postal code starts with one of the configured codes (no codes configured: everywhere)."""
    codes = tuple(area)
    return not codes or any(postal_code.startswith(code) for code in codes)
