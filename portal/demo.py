"""Demo data for `make run`: staff for every role, residents, and whatever each area adds.

Only Skatteverket's published test personnummer are used. Loading happens only into an empty database, so
running it again never duplicates or overwrites anything.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import func, select

from portal.db import db
from portal.people import Person, Protection
from portal.registry import Registry
from portal.roles import Role
from portal.staff.models import StaffUser
from portal.staff.service import create_staff

# Skatteverket's test numbers (never assigned to real people).
TEST_PERSONNUMMER = ("201701012393", "202503082386", "202508242381", "202510022383", "202503312387",
                     "202509012387", "202512232386", "202504182391")

DEMO_STAFF = (
    ("reception@example.org", "Rita Receptionist", Role.RECEPTION),
    ("samordnare@example.org", "Sam Samordnare", Role.COORDINATOR),
    ("handlaggare@example.org", "Hanna Handläggare", Role.CASEWORKER),
    ("handlaggare2@example.org", "Hugo Handläggare", Role.CASEWORKER),
    ("uppsokare@example.org", "Ulla Uppsökare", Role.OUTREACH),
    ("admin@example.org", "Adam Administratör", Role.ADMIN),
)

DEMO_RESIDENTS = (
    (TEST_PERSONNUMMER[0], "Amina Hassan", "so"),
    (TEST_PERSONNUMMER[1], "Mariam Tesfaye", "ti"),
    (TEST_PERSONNUMMER[2], "Olena Kovalenko", "uk"),
    (TEST_PERSONNUMMER[3], "Karim Haddad", "ar"),
)


@dataclass(frozen=True)
class DemoAccount:
    """A created staff account and its one-time password."""

    email: str
    role: Role
    password: str


# Areas add loaders in their init_app; each runs once, after the staff and residents exist.
LOADERS: Registry[tuple[str, Callable[[], object]]] = Registry("demo", key=lambda entry: entry[0])


def add_loader(app: Flask, name: str, loader: Callable[[], object]) -> None:
    """Let an area add its demo data (a calendar, notices, applications)."""
    LOADERS.add(app, (name, loader))


def is_empty() -> bool:
    """True when no staff account exists yet (demo data goes only into an empty database)."""
    return (db.session.scalar(select(func.count()).select_from(StaffUser)) or 0) == 0


def load() -> list[DemoAccount]:
    """Create the demo data; returns the staff accounts with their passwords (shown once)."""
    accounts = []
    for email, name, role in DEMO_STAFF:
        password = secrets.token_urlsafe(12)
        create_staff(email=email, name=name, role=role, password=password)
        accounts.append(DemoAccount(email=email, role=role, password=password))
    for number, name, language in DEMO_RESIDENTS:
        db.session.add(Person(personnummer=number, name=name, language=language, protection=Protection.NONE))
    db.session.commit()
    for _, loader in LOADERS.all():
        loader()
    return accounts
