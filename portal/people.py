"""People the unit serves: residents who log in, and persons named on notices and intakes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, db, utcnow
from portal.search_keys import NameKeys, keep_name_keys


class Protection(StrEnum):
    """Protected identity levels (skyddade personuppgifter); any of them hides the address everywhere."""

    NONE = "none"
    CONFIDENTIALITY_MARKING = "sekretessmarkering"
    PROTECTED_REGISTRATION = "skyddad_folkbokforing"
    FICTITIOUS_IDENTITY = "fingerade_personuppgifter"
    # A landlord, a register or a colleague says the person is protected without saying which level.
    UNSPECIFIED = "skyddad_niva_okand"


class Person(NameKeys, Base):
    """A person, identified by a 12-digit personnummer or samordningsnummer."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    personnummer: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    protection: Mapped[Protection] = mapped_column(String(40), default=Protection.NONE)
    # Who said so first (a notice, the e-application, staff, a protected tenancy) and when: protection is
    # never lifted by a later source that does not say it, only by a named staff role (portal.protection).
    protection_source: Mapped[str | None] = mapped_column(String(40))
    protected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Interpreter need, held once for the person (portal.interpreter): None while nobody has said. The language
    # is a code (ar, ti) when known, else the words the person wrote; None means the person's own language.
    interpreter_needed: Mapped[bool | None] = mapped_column()
    interpreter_language: Mapped[str | None] = mapped_column(String(100))
    # Who said it last (e-ansökan, underrättelse, a staff member) and when: a later automatic source never
    # drops a need; only staff do (portal.interpreter).
    interpreter_source: Mapped[str | None] = mapped_column(String(254))
    interpreter_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_protected(self) -> bool:
        """True for any level of protected identity."""
        return self.protection != Protection.NONE


def get_person_by_personnummer(personnummer: str) -> Person | None:
    """The person with this 12-digit number, if known."""
    return db.session.scalar(select(Person).where(Person.personnummer == personnummer))


def get_or_add_person(personnummer: str) -> Person:
    """The person with this 12-digit number, added (not committed) when new."""
    person = get_person_by_personnummer(personnummer)
    if person is None:
        person = Person(personnummer=personnummer, protection=Protection.NONE)
        db.session.add(person)
        db.session.flush()
    return person


keep_name_keys(Person, "name")
