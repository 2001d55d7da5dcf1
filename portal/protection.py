"""Protected identity (skyddade personuppgifter) is a property of the person, never of one record.

Any source may set it: a notice's flag, staff, the e-application, or living on a protected tenancy. Once set it
holds for everything we hold on the person, past and future: no address is printed, shown or sent anywhere.
Only an administrator lifts it, with a reason, in the access log. Letters whose PDF prints an address are
withheld the moment their person becomes protected: a queued one is stopped, and a stored one is never served
or printed again (an export of an earlier day leaves it out).

Areas that hold more about the person than portal's core knows (outreach's notices and tenancies) listen to
`person_protected`; the app factory connects them, so the core never imports them.
"""

from __future__ import annotations

from blinker import Namespace
from flask import current_app
from sqlalchemy import select

from portal import audit
from portal.db import db, utcnow
from portal.letters.models import Letter, LetterStatus
from portal.people import Person, Protection

_signals = Namespace()
# Sent (inside the caller's transaction) when a person becomes protected; receivers get `person=`.
person_protected = _signals.signal("person-protected")

# What staff read wherever an address would be: that there is one, that it is secret, and who to ask.
PROTECTED_ADDRESS_TEXT = ("Skyddad adress: visas inte. Post går via Skatteverket; fråga samordnaren för skyddade "
                          "personuppgifter.")
# Letters still on their way to print; a withheld one is stopped.
_NOT_PRINTED = (LetterStatus.AWAITING_APPROVAL, LetterStatus.QUEUED, LetterStatus.FILE_DAMAGED)


class ProtectionError(ValueError):
    """Protection cannot be changed as asked (message in Swedish)."""


def protect_person(person: Person, *, source: str, level: Protection = Protection.UNSPECIFIED) -> bool:
    """Mark the person protected (no commit); False when they already were (a known level is kept).

    Every letter of theirs that prints an address is withheld, and the areas listening are told, in the same
    transaction: there is no moment in which the person is protected and a letter with the address is queued.
    """
    if level == Protection.NONE:
        raise ProtectionError("Ange en skyddsnivå.")
    if person.is_protected:
        if person.protection == Protection.UNSPECIFIED and level != Protection.UNSPECIFIED:
            person.protection = level
        return False
    person.protection, person.protection_source, person.protected_at = level, source[:40], utcnow()
    db.session.flush()
    withhold_letters(list(db.session.scalars(select(Letter).where(Letter.person_id == person.id,
                                                                  Letter.address_printed.is_(True)))))
    audit.record("person.protection_set", person_id=person.id, object_type="person", object_id=person.id,
                 detail=f"{level.value} ({source})")
    person_protected.send(current_app._get_current_object(), person=person)  # type: ignore[attr-defined]
    return True


def lift_protection(person: Person, *, reason: str) -> None:
    """Lift protection (an administrator, with a reason; commits). Letters withheld stay withheld: they were
    made while the address was secret, and a new letter is made when one is needed."""
    if not person.is_protected:
        raise ProtectionError("Personen har inte skyddade personuppgifter.")
    if not reason.strip():
        raise ProtectionError("Skriv varför skyddet tas bort.")
    previous = person.protection
    person.protection, person.protection_source, person.protected_at = Protection.NONE, None, None
    audit.record("person.protection_lifted", person_id=person.id, object_type="person", object_id=person.id,
                 detail=f"{previous}: {reason.strip()[:1000]}")
    db.session.commit()


def withhold_letters(letters: list[Letter]) -> int:
    """Withhold letters that print an address that is now secret (no commit); returns how many were stopped
    before printing. A letter already printed is withheld too, so it is never served or printed again."""
    stopped = 0
    for letter in letters:
        if letter.withheld:
            continue
        letter.withheld = True
        detail = "skyddade personuppgifter: hålls inne"
        if letter.status in _NOT_PRINTED:
            letter.status = LetterStatus.CANCELLED
            stopped += 1
            detail = "skyddade personuppgifter: stoppat före utskrift"
        audit.record("letter.withheld", person_id=letter.person_id, object_type="letter", object_id=letter.id,
                     detail=detail)
    return stopped


def letter_is_withheld(letter: Letter) -> bool:
    """True when a letter's PDF must not be served or printed: it prints an address that is now secret."""
    if letter.withheld:
        return True
    if not letter.address_printed or letter.person_id is None:
        return False
    person = db.session.get(Person, letter.person_id)
    return person is not None and person.is_protected
