"""Protection on notices follows the person and the tenancy (DESIGN.md: protection belongs to the person).

A notice is handled as protected when its sender says so, when its person is protected, or when anyone on the
same tenancy (flat) is: there the address itself is the secret. Whenever one of those becomes true, every
notice of the person and of the tenancy is marked at once, in the same transaction: their letters that print
the address are withheld, their outreach stops (manual handling), and the other people on the flat become
protected persons too, so every page, hand-off and statistic of theirs hides the address as well.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from outreach.notices.actions import add_action, get_action
from outreach.notices.models import ActionKind, ActionStatus, Notice, Outcome
from outreach.notices.state import set_outcome
from portal.db import db
from portal.letters.models import Letter, LetterStatus
from portal.people import Person, get_or_add_person, get_person_by_personnummer
from portal.protection import person_protected, protect_person, withhold_letters

MANUAL_DETAIL = "Skyddade personuppgifter: inget brev, hanteras manuellt"
_STOPPABLE = (Outcome.PENDING, Outcome.CONTACTED, Outcome.ESCALATED, Outcome.LINKED)


def protect_notice(notice: Notice, *, source: str) -> None:
    """A source says this notice's person is protected (no commit): the person, their notices and the tenancy."""
    _mark(notice)
    if notice.personnummer:
        person = get_or_add_person(notice.personnummer)
        notice.person_id = person.id
        # The signal comes back to `_on_person_protected`, which marks the person's notices and tenancies.
        if protect_person(person, source=source):
            return
    protect_tenancies({notice.tenancy_key}, source="lägenhet")


def inherit_protection(notices: list[Notice]) -> None:
    """Newly stored notices inherit protection from their person and their tenancy (no commit); a notice whose
    sender flags it protects the person and the tenancy in turn."""
    flagged = [notice for notice in notices if notice.sender_protected]
    keys = {notice.tenancy_key for notice in notices}
    numbers = {notice.personnummer for notice in notices if notice.personnummer}
    protected_keys = set(db.session.scalars(select(Notice.tenancy_key).where(
        Notice.tenancy_key.in_(keys), Notice.protected.is_(True)).distinct())) if keys else set()
    protected_numbers = set(db.session.scalars(select(Person.personnummer).where(
        Person.personnummer.in_(numbers), Person.protection != "none"))) if numbers else set()
    for notice in notices:
        if notice in flagged:
            protect_notice(notice, source="underrättelse")
        elif notice.tenancy_key in protected_keys:
            protect_notice(notice, source="lägenhet")
        elif notice.personnummer in protected_numbers:
            # A protected person's new flat is as secret as the old one.
            protect_notice(notice, source="person")


def protect_tenancies(keys: set[str], *, source: str) -> None:
    """Every notice on these tenancies is protected, and so is every person on them (no commit)."""
    pending = set(keys)
    done: set[str] = set()
    while pending:
        key = pending.pop()
        done.add(key)
        for notice in db.session.scalars(select(Notice).where(Notice.tenancy_key == key)):
            _mark(notice)
            person = (db.session.get(Person, notice.person_id) if notice.person_id else
                      get_person_by_personnummer(notice.personnummer) if notice.personnummer else None)
            if person is not None and not person.is_protected:
                notice.person_id = person.id
                # Protecting them marks their other notices; tenancies found there are handled by that call.
                protect_person(person, source=source)


def _on_person_protected(_sender: Any, person: Person, **_: Any) -> None:
    """The person became protected (from any source): their notices, and each of their tenancies."""
    notices = list(db.session.scalars(select(Notice).where(
        or_(Notice.person_id == person.id, Notice.personnummer == person.personnummer))))
    for notice in notices:
        notice.person_id = notice.person_id or person.id
        _mark(notice)
    protect_tenancies({notice.tenancy_key for notice in notices}, source="lägenhet")


def _mark(notice: Notice) -> None:
    """Handle one notice as protected: its letters withheld, no outreach, manual handling."""
    db.session.flush()
    for kind in (ActionKind.LETTER_FIRST, ActionKind.LETTER_SECOND):
        step = get_action(notice.id, kind)
        letter = db.session.get(Letter, step.ref_id) if step is not None and step.ref_id is not None else None
        if step is not None and letter is not None and letter.address_printed and not letter.withheld:
            printed = letter.status == LetterStatus.EXPORTED
            withhold_letters([letter])
            step.detail = ("skyddade personuppgifter: brevet var redan utskrivet, filen hålls inne" if printed
                           else "stoppat: skyddade personuppgifter")
    if notice.protected and get_action(notice.id, ActionKind.MANUAL) is not None:
        return
    notice.protected = True
    if notice.id is None or notice.pipeline_due or notice.superseded:
        return  # the pipeline has not reached it: it will see the flag
    for kind in (ActionKind.BOOKING, ActionKind.LETTER_FIRST, ActionKind.LETTER_SECOND):
        step = get_action(notice.id, kind)
        if step is not None and step.status == ActionStatus.PENDING:
            step.status, step.detail = ActionStatus.DONE, "stoppat: skyddade personuppgifter"
    if notice.decision is None and notice.outcome in _STOPPABLE:
        set_outcome(notice, Outcome.MANUAL, "Skyddade personuppgifter: inget brev")
    if get_action(notice.id, ActionKind.MANUAL) is None:
        add_action(notice, ActionKind.MANUAL, detail=MANUAL_DETAIL)


def is_protected(notice: Notice) -> bool:
    """True when the notice must be handled as protected (its own mark, or its person's)."""
    if notice.protected:
        return True
    person = (db.session.get(Person, notice.person_id) if notice.person_id else
              get_person_by_personnummer(notice.personnummer) if notice.personnummer else None)
    return person is not None and person.is_protected


def init_app() -> None:
    """Listen for people becoming protected (connected by the app factory, once per process)."""
    person_protected.connect(_on_person_protected)
