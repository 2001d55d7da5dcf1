"""Storing notices: repeats, corrections (rättelse), linking to the household's tenancy, deadlines, area."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from flask import current_app
from sqlalchemy import select, tuple_, update

from outreach.notices import rules, state
from outreach.notices.models import Channel, NameCheck, Notice, Outcome
from outreach.notices.parse import NoticeInput
from outreach.notices.protection import inherit_protection
from portal import interpreter
from portal.db import db
from portal.people import Person, Protection


class Stored(StrEnum):
    """What storing one notice did."""

    CREATED = "created"
    REPEAT = "repeat"
    CORRECTION = "correction"


@dataclass
class StoreResult:
    """The outcome for one input: created, a repeat of an existing notice, or a correction."""

    line: int
    status: Stored
    notice_id: int
    reference: str
    note: str = ""


@dataclass
class _Known:
    """What linking needs to know of a notice (kept small: an import may hold 100,000 of these)."""

    id: int
    root: int
    personnummer: str | None
    name: str
    superseded: bool
    obj: Notice | None = None


@dataclass
class _Batch:
    by_key: dict[tuple[str, str], _Known] = field(default_factory=dict)
    by_tenancy: dict[str, list[_Known]] = field(default_factory=dict)


def area() -> tuple[str, ...]:
    """The unit's configured postal codes."""
    return rules.parse_area(current_app.config.get("OUTREACH_POSTAL_CODES", ""))


def apply_rules(notice: Notice, *, today: date) -> None:
    """(Re)compute the deadlines and the priority of a notice from its dates and household."""
    notice.recovery_deadline = rules.recovery_deadline(notice.kind, served=notice.served_date,
                                                       received=notice.received_date)
    notice.eviction_date = rules.eviction_date(notice.eviction_at)
    notice.deadline = rules.effective_deadline(recovery=notice.recovery_deadline, eviction=notice.eviction_date,
                                               received=notice.received_date)
    notice.priority = rules.priority(deadline=notice.deadline, today=today, children=notice.has_children,
                                     kind=notice.kind)


def _load(batch: _Batch, inputs: list[tuple[int, NoticeInput, str]]) -> None:
    """Fetch the existing notices the batch may repeat, correct or link to, in two queries."""
    keys = {(sender, inp.reference) for _, inp, sender in inputs}
    keys |= {(sender, inp.corrects_reference) for _, inp, sender in inputs if inp.corrects_reference}
    keys = {key for key in keys if key not in batch.by_key}
    tenancies = {rules.tenancy_key(inp.address, inp.postal_code) for _, inp, _ in inputs}
    columns = (Notice.id, Notice.case_id, Notice.personnummer, Notice.tenant_name, Notice.superseded,
               Notice.sender, Notice.reference, Notice.tenancy_key)
    found: list[Any] = []
    key_list = list(keys)
    for start in range(0, len(key_list), 500):
        found += db.session.execute(select(*columns).where(
            tuple_(Notice.sender, Notice.reference).in_(key_list[start:start + 500]))).all()
    tenancy_list = [key for key in tenancies if key not in batch.by_tenancy]
    for start in range(0, len(tenancy_list), 500):
        found += db.session.execute(select(*columns).where(
            Notice.tenancy_key.in_(tenancy_list[start:start + 500])).order_by(Notice.id)).all()
    seen: set[int] = set()
    for row in found:
        if row.id in seen:
            continue
        seen.add(row.id)
        known = _Known(id=row.id, root=row.case_id or row.id, personnummer=row.personnummer, name=row.tenant_name,
                       superseded=row.superseded)
        batch.by_key[(row.sender, row.reference)] = known
        batch.by_tenancy.setdefault(row.tenancy_key, []).append(known)
    for key in tenancy_list:
        batch.by_tenancy.setdefault(key, [])


def store_inputs(inputs: list[tuple[int, NoticeInput, str]], *, channel: Channel, today: date,
                 batch: _Batch | None = None) -> list[StoreResult]:
    """Add (not commit) notices given as (line, input, sender); a repeat of (sender, reference) adds nothing.

    A row with `rattelse_av` supersedes the earlier notice (its deadline restarts from the correction's dates,
    NJA 1985 s. 586); a notice for the same household and flat as an earlier one joins that case.
    """
    batch = batch or _Batch()
    _load(batch, inputs)
    results: list[StoreResult] = []
    codes = area()
    pending: list[tuple[int, Notice, _Known, _Known | None, Stored, str]] = []
    interpreters: dict[Notice, bool] = {}
    for line, inp, sender in inputs:
        existing = batch.by_key.get((sender, inp.reference))
        if existing is not None:
            results.append(StoreResult(line, Stored.REPEAT, existing.id, inp.reference,
                                       "finns redan; ingenting ändrades"))
            continue
        key = rules.tenancy_key(inp.address, inp.postal_code)
        notice = Notice(
            sender=sender, reference=inp.reference, kind=inp.kind, channel=channel, landlord_name=inp.landlord_name,
            landlord_orgnr=inp.landlord_orgnr, landlord_contact=inp.landlord_contact, tenant_name=inp.tenant_name,
            personnummer=inp.personnummer, address=inp.address, postal_code=inp.postal_code, city=inp.city,
            tenancy_key=key, flat_number=inp.flat_number, flat_size=inp.flat_size, amount_text=inp.amount_text,
            amount_ore=inp.amount_ore, termination_date=inp.termination_date, served_date=inp.served_date,
            received_date=inp.received_date, eviction_at=inp.eviction_at, eviction_text=inp.eviction_text,
            children=inp.children, language=inp.language, sender_protected=inp.protected, protected=inp.protected,
            corrects_reference=inp.corrects_reference, superseded=False, pipeline_due=True,
            out_of_area=not rules.in_area(inp.postal_code, codes))
        state.start(notice)
        apply_rules(notice, today=today)
        status, note = Stored.CREATED, ""
        root: _Known | None = None
        if inp.corrects_reference:
            earlier = batch.by_key.get((sender, inp.corrects_reference))
            if earlier is None:
                note = f"rättelse av {inp.corrects_reference}, som inte finns: sparad som ny underrättelse"
            else:
                status, root = Stored.CORRECTION, earlier
                note = f"rättar {inp.corrects_reference}; återvinningsfristen räknas om"
                _supersede(earlier, by=inp.reference)
        if root is None:
            root = next((known for known in batch.by_tenancy.get(key, [])
                         if rules.same_household(known.personnummer, known.name, inp.personnummer,
                                                 inp.tenant_name)), None)
        db.session.add(notice)
        if inp.interpreter is not None:
            interpreters[notice] = inp.interpreter
        known = _Known(id=0, root=0, personnummer=inp.personnummer, name=inp.tenant_name, superseded=False,
                       obj=notice)
        batch.by_key[(sender, inp.reference)] = known
        batch.by_tenancy.setdefault(key, []).append(known)
        pending.append((line, notice, known, root, status, note))
    db.session.flush()
    linked = False
    # Ids exist only after the flush; earlier rows come first, so a row's root is resolved before it is used.
    for line, notice, known, root, status, note in pending:
        known.id = notice.id
        if root is not None:
            known.root = root.root or root.id
            notice.case_id = known.root
            notice.corrects_id = root.id if status == Stored.CORRECTION else None
            linked = True
        else:
            known.root = notice.id
        known.obj = None
        results.append(StoreResult(line, status, notice.id, notice.reference, note))
    if linked:
        db.session.flush()
    created = [notice for _, notice, *_ in pending]
    attach_people(created, interpreters)
    # Protection is settled as the notice is stored, not when the pipeline comes round: a page read or a letter
    # in between must already see it.
    inherit_protection(created)
    results.sort(key=lambda result: result.line)
    return results


def attach_people(notices: list[Notice], interpreters: dict[Notice, bool] | None = None) -> None:
    """Tie each new notice to its person from the start (no commit), so that every read of it is logged against
    the person; a name that differs from the one held for the number is flagged for staff (NameCheck). What a
    notice says of an interpreter goes to the person (portal.interpreter), where every page and letter reads it."""
    numbers = sorted({notice.personnummer for notice in notices if notice.personnummer})
    if not numbers:
        return
    people = {person.personnummer: person for person in db.session.scalars(
        select(Person).where(Person.personnummer.in_(numbers)))}
    for notice in notices:
        if not notice.personnummer:
            continue
        person = people.get(notice.personnummer)
        if person is None:
            person = people[notice.personnummer] = Person(personnummer=notice.personnummer, name=notice.tenant_name,
                                                          language=notice.language, protection=Protection.NONE)
            db.session.add(person)
        elif person.name and not rules.names_agree(person.name, notice.tenant_name):
            notice.name_check = NameCheck.MISMATCH
        else:
            person.name = person.name or notice.tenant_name
    db.session.flush()
    for notice in notices:
        if notice.personnummer:
            notice.person_id = people[notice.personnummer].id
            said = (interpreters or {}).get(notice)
            if said is not None and notice.name_check != NameCheck.MISMATCH:
                # Not for a name that does not match: the notice may be about someone else.
                interpreter.record_from_source(people[notice.personnummer], needed=said, language=notice.language,
                                               source=interpreter.NOTICE)


def _supersede(earlier: _Known, *, by: str) -> None:
    """The corrected notice stops counting; if the pipeline has not reached it yet, it never will."""
    why = f"Rättad av underrättelse {by}"
    earlier.superseded = True
    if earlier.obj is not None:
        earlier.obj.superseded, earlier.obj.pipeline_due = True, False
        state.set_outcome(earlier.obj, Outcome.SUPERSEDED, why)
        earlier.obj.next_check_on = None
        return
    db.session.execute(update(Notice).where(Notice.id == earlier.id).values(superseded=True, next_check_on=None))
    state.supersede_waiting(earlier.id, why)


def get_notice(notice_id: int) -> Notice | None:
    """One notice by id."""
    return db.session.get(Notice, notice_id)


def case_notices(notice: Notice) -> list[Notice]:
    """Every notice of the same household and tenancy, oldest first."""
    root_id = notice.case_id or notice.id
    # Two indexed lookups: an OR over the key and case_id made SQLite scan the whole table.
    found = {n.id: n for n in db.session.scalars(select(Notice).where(Notice.case_id == root_id))}
    root = db.session.get(Notice, root_id)
    if root is not None:
        found[root.id] = root
    return [found[key] for key in sorted(found)]
