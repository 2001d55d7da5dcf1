"""Logging residents in, whichever way they proved who they are."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portal import audit
from portal.db import db
from portal.people import Person, get_or_add_person
from portal.personnummer import parse


class Method(StrEnum):
    """How the resident identified."""

    EID = "eid"
    DEVELOPMENT = "development"


@dataclass(frozen=True)
class Identification:
    """What an identity provider vouches for: a personnummer and the assurance level."""

    personnummer: str
    assurance_level: str
    method: Method


class DevelopmentLoginRefused(PermissionError):
    """The development login was attempted outside development mode."""


def check_development_login_allowed(*, development: bool, enabled: bool) -> None:
    """The server refuses the development login unless in development mode with it switched on."""
    if not (development and enabled):
        raise DevelopmentLoginRefused("development login is not available")


def login_resident(identification: Identification, *, language: str | None) -> Person:
    """Find or add the person, remember their language, record the login with its assurance level."""
    number = parse(identification.personnummer)
    person = get_or_add_person(number.digits)
    if language:
        person.language = language
    audit.record("resident.login", person_id=person.id, object_type="person", object_id=person.id,
                 detail=f"method={identification.method.value} loa={identification.assurance_level}",
                 actor=("resident", person.id, "resident"))
    db.session.commit()
    return person
