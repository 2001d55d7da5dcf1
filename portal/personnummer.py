"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

Validation of the check digit and the date goes through python-stdnum; samordningsnummer (day + 60),
which stdnum does not know, are checked the same way after taking the 60 off the day.
Numbers are always stored in their 12-digit form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer as stdnum_personnummer

from portal import clock


class Kind(StrEnum):
    """Which kind of identity number."""

    PERSONNUMMER = "personnummer"
    SAMORDNINGSNUMMER = "samordningsnummer"


class Problem(StrEnum):
    """Why a number was refused; each has a message in portal.messages."""

    FORMAT = "format"
    DATE = "date"
    CHECKSUM = "checksum"


class InvalidIdentityNumber(ValueError):
    """The text is not a valid personnummer or samordningsnummer."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class IdentityNumber:
    """A validated identity number in 12-digit form."""

    digits: str
    kind: Kind

    @property
    def birth_date(self) -> date:
        """The date of birth (for a samordningsnummer, with the 60 taken off the day)."""
        day = int(self.digits[6:8])
        if self.kind is Kind.SAMORDNINGSNUMMER:
            day -= 60
        return date(int(self.digits[0:4]), int(self.digits[4:6]), day)

    def formatted(self) -> str:
        """The usual written form: YYYYMMDD-NNNN."""
        return f"{self.digits[:8]}-{self.digits[8:]}"

    def __str__(self) -> str:
        return self.digits


_PATTERN = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$", re.ASCII)
# Bidi marks and isolates a phone keyboard or a copied right-to-left text may carry around the number.
_INVISIBLE = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _western_digits(text: str) -> str:
    """Arabic-Indic, Persian and every other Unicode decimal digit as 0-9; a minus sign or dash as '-'."""
    out = []
    for char in text:
        if char.isdecimal():
            out.append(str(unicodedata.decimal(char)))
        elif char in "\u2010\u2011\u2012\u2013\u2212":
            out.append("-")
        else:
            out.append(char)
    return "".join(out)


def parse(text: str, today: date | None = None) -> IdentityNumber:
    """Parse 10 or 12 digits, with or without separator; raise InvalidIdentityNumber with the reason."""
    cleaned = _western_digits(re.sub(r"[\s:]", "", _INVISIBLE.sub("", text or "")))
    match = _PATTERN.match(cleaned)
    if not match:
        raise InvalidIdentityNumber(Problem.FORMAT)
    century, yymmdd, separator, tail = match.groups()
    ten = yymmdd + tail
    day = int(yymmdd[4:6])
    kind = Kind.SAMORDNINGSNUMMER if day > 60 else Kind.PERSONNUMMER
    if not luhn.is_valid(ten):
        raise InvalidIdentityNumber(Problem.CHECKSUM)
    if century is None:
        century = _century(yymmdd, separator, today or clock.local_today())
    real_day = day - 60 if kind is Kind.SAMORDNINGSNUMMER else day
    _check_date(century, yymmdd, real_day)
    if kind is Kind.PERSONNUMMER:
        try:
            stdnum_personnummer.validate(f"{century}{yymmdd}-{tail}")
        except ValidationError as error:
            raise InvalidIdentityNumber(Problem.DATE) from error
    return IdentityNumber(digits=f"{century}{yymmdd}{tail}", kind=kind)


def _check_date(century: str, yymmdd: str, real_day: int) -> None:
    try:
        date(int(century + yymmdd[:2]), int(yymmdd[2:4]), real_day)
    except ValueError as error:
        raise InvalidIdentityNumber(Problem.DATE) from error


def _century(yymmdd: str, separator: str, today: date) -> str:
    """The century of a 10-digit number: the latest that is not in the future, one more back for '+'."""
    year = int(yymmdd[:2])
    century = today.year // 100
    if year > today.year % 100:
        century -= 1
    if separator == "+":
        century -= 1
    return str(century)


def is_valid(text: str) -> bool:
    """True when text is a valid personnummer or samordningsnummer."""
    try:
        parse(text)
    except InvalidIdentityNumber:
        return False
    return True
