"""Keyword-only factories for test data."""

from __future__ import annotations

import secrets

from portal.db import db
from portal.people import Person, Protection
from portal.roles import Role
from portal.staff.models import StaffUser
from portal.staff.service import create_staff

PASSWORD = "correct horse battery staple"
# A secret key production accepts: 32 random bytes, drawn anew for each test run.
GOOD_KEY = secrets.token_hex(32)


def create_person(*, personnummer: str = "201701012393", name: str = "Test Testsson", language: str | None = "sv",
                  protection: Protection = Protection.NONE) -> Person:
    """A committed person."""
    person = Person(personnummer=personnummer, name=name, language=language, protection=protection)
    db.session.add(person)
    db.session.commit()
    return person


def create_staff_user(*, email: str = "rita@example.org", role: Role = Role.RECEPTION,
                      password: str = PASSWORD, name: str | None = None) -> StaffUser:
    """A committed staff account."""
    return create_staff(email=email, role=role, password=password, name=name)
