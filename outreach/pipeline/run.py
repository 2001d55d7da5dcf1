"""The outreach pipeline: every due notice is linked, triaged and moved on exactly once.

Claiming: `claim_due` selects due notices FOR UPDATE SKIP LOCKED (PostgreSQL), so two scheduler processes
take different notices, and each notice's steps are written in the same transaction that clears its
`pipeline_due`. A process killed mid-batch leaves its transaction uncommitted: the rows stay due and the next
pass does them. Every step is also unique per notice in the database, so even a bypassed claim adds nothing twice.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from outreach.notices import rules
from outreach.notices.actions import add_action, escalate, forget, preload
from outreach.notices.known_clients import KnownClient
from outreach.notices.models import (
    ActionKind,
    ActionStatus,
    Attempt,
    AttemptResult,
    NameCheck,
    Notice,
    NoticeAction,
    NoticeKind,
    Outcome,
)
from outreach.notices.service import apply_rules
from outreach.notices.state import set_outcome
from outreach.pipeline import delivery
from outreach.pipeline.followup import check_soon, schedule, urgent_reason
from portal.clock import local_today
from portal.db import db
from portal.intake.models import IntakeItem, Source, Urgency
from portal.intake.service import add_intake_item, set_legal_deadline
from portal.people import Person, get_or_add_person

log = logging.getLogger("outreach.pipeline")
# Test hook: the process hangs (holding its uncommitted batch) after this many notices, to be killed with -9.
HANG_AFTER_ENV = "PORTAL_OUTREACH_TEST_HANG_AFTER"
MAX_BATCH_RETRIES = 5
KIND_LABELS = {NoticeKind.TERMINATION: "uppsägning", NoticeKind.DISTURBANCE: "störning",
               NoticeKind.EVICTION: "avhysning", NoticeKind.OTHER: "övrigt"}


@dataclass
class PassResult:
    """What one pass did."""

    processed: int = 0
    retried: int = 0
    followed_up: int = 0
    mailed: int = 0

    def __str__(self) -> str:
        return (f"behandlade {self.processed}, kompletterade {self.retried}, uppföljda {self.followed_up}, "
                f"e-post {self.mailed}")


@dataclass
class Lookups:
    """The people, known-client register rows, intake items and cases of one claimed batch, read in five queries
    rather than four per notice (on PostgreSQL every query is a round trip to the server). People added while the
    batch is processed are added here too."""

    people: dict[str, Person]
    known: dict[str, KnownClient]
    items: dict[str, IntakeItem]
    cases: dict[int, list[Notice]]
    # Notices of the batch whose household an attempt has reached (for the next follow-up day).
    reached: set[int] = field(default_factory=set)

    def case(self, notice: Notice) -> list[Notice]:
        """Every notice of the notice's household and tenancy, oldest first (as `case_notices`)."""
        return self.cases[notice.case_id or notice.id]


def lookups_for(notices: list[Notice]) -> Lookups:
    """Read the batch's people and register rows by personnummer, and the intake items made for its notices (the
    notices are locked by this transaction, so no other can add one meanwhile; the unique source key guards
    anything that bypasses the claim)."""
    keys = [_source_key(notice) for notice in notices]
    items = {item.source_key: item for item in db.session.scalars(
        select(IntakeItem).where(IntakeItem.source_key.in_(keys)))}
    cases = _cases(notices)
    numbers = sorted({notice.personnummer for notice in notices if notice.personnummer})
    if not numbers:
        return Lookups(people={}, known={}, items=items, cases=cases, reached=_reached(notices))
    people = db.session.scalars(select(Person).where(Person.personnummer.in_(numbers)))
    known = db.session.scalars(select(KnownClient).where(KnownClient.personnummer.in_(numbers)))
    return Lookups(people={person.personnummer: person for person in people},
                   known={client.personnummer: client for client in known}, items=items, cases=cases,
                   reached=_reached(notices))


def _reached(notices: list[Notice]) -> set[int]:
    ids = [notice.id for notice in notices]
    return set(db.session.scalars(select(Attempt.notice_id).where(Attempt.notice_id.in_(ids),
                                                                  Attempt.result == AttemptResult.REACHED)))


def _cases(notices: list[Notice]) -> dict[int, list[Notice]]:
    """Each claimed notice's case (its root notice and every notice linked to the root), by root id. Linking is
    the importer's, never the pipeline's; a notice an import links to a case meanwhile is due itself, and sees
    the whole case when its turn comes."""
    roots = sorted({notice.case_id or notice.id for notice in notices})
    found: dict[int, dict[int, Notice]] = {root: {} for root in roots}
    # Two indexed lookups, as case_notices: an OR over the key and case_id made SQLite scan the whole table.
    for member in db.session.scalars(select(Notice).where(Notice.case_id.in_(roots))):
        found[member.case_id][member.id] = member  # type: ignore[index]  # in roots, so not None
    for root in db.session.scalars(select(Notice).where(Notice.id.in_(roots))):
        found[root.id][root.id] = root
    return {root: [members[key] for key in sorted(members)] for root, members in found.items()}


def _source_key(notice: Notice) -> str:
    return f"notice:{notice.id}"


def claim_due(limit: int) -> list[Notice]:
    """Lock up to `limit` due notices, most urgent first, skipping those another process holds."""
    query = (select(Notice).where(Notice.pipeline_due.is_(True)).order_by(Notice.priority.desc(), Notice.id)
             .limit(limit).with_for_update(skip_locked=True))
    return list(db.session.scalars(query))


def run_pass(*, today: date | None = None) -> PassResult:
    """One full pass: every due notice, pending deliveries, follow-up, and caseworker e-mail."""
    from outreach.pipeline import followup, mailer

    today = today or local_today()
    result = PassResult()
    batch_size = max(1, int(current_app.config.get("OUTREACH_BATCH", 50)))
    # Honoured only in development, so a stray variable can never stall a production scheduler.
    hang_after = int(os.environ.get(HANG_AFTER_ENV, "0") or 0) if current_app.config.get("DEVELOPMENT") else 0
    failures = 0
    while True:
        try:
            notices = claim_due(batch_size)
            if not notices:
                db.session.commit()
                break
            preload([notice.id for notice in notices])
            lookups = lookups_for(notices)
            for count, notice in enumerate(notices, start=1):
                # Autoflush before every lookup costs more than the lookups; flush once per notice instead.
                with db.session.no_autoflush:
                    process_notice(notice, today=today, lookups=lookups)
                db.session.flush()
                if hang_after and result.processed + count >= hang_after:
                    log.warning("test hook: hanging after %s notices", result.processed + count)
                    time.sleep(3600)
            db.session.commit()
            forget()
            result.processed += len(notices)
            failures = 0
        except (IntegrityError, OperationalError) as error:
            # Another process added the same person at the same moment, or the database broke a deadlock:
            # the whole batch rolls back (nothing half done) and is claimed again.
            db.session.rollback()
            forget()
            failures += 1
            log.warning("pipeline batch rolled back (%s), retrying", type(error.orig).__name__)
            if failures > MAX_BATCH_RETRIES:
                raise
    result.retried = retry_pending()
    result.followed_up = followup.follow_up(today=today)
    result.mailed = mailer.deliver_pending()
    return result


def process_notice(notice: Notice, *, today: date, lookups: Lookups) -> None:
    """Move one claimed notice on: link, deadlines, then known client, manual handling or contact.

    No audit event here: the steps are recorded in notice_action, and taking the audit chain's lock in the
    middle of a batch would order locks differently from other transactions (deadlocks between schedulers).
    Afterwards the notice's next follow-up day is set from what was done (outreach.pipeline.followup.next_check).
    """
    _move_on(notice, today=today, lookups=lookups)
    schedule(notice, today=today, is_reached=notice.id in lookups.reached)


def _move_on(notice: Notice, *, today: date, lookups: Lookups) -> None:
    notice.pipeline_due = False
    if notice.superseded:
        set_outcome(notice, Outcome.SUPERSEDED, "Ersatt av en rättelse innan den behandlades")
        return
    apply_rules(notice, today=today)
    case = lookups.case(notice)
    _case_deadline(notice, case)
    person = _person(notice, lookups)
    if notice.kind == NoticeKind.EVICTION:
        _escalate_case(notice, case)
    protected = notice.protected or (person is not None and person.is_protected)
    if notice.out_of_area:
        set_outcome(notice, Outcome.OUT_OF_AREA, "Lägenheten ligger utanför området")
        add_action(notice, ActionKind.MANUAL, detail="Lägenheten ligger utanför området: vidarebefordra till "
                                                     "rätt socialnämnd")
    elif protected:
        set_outcome(notice, Outcome.MANUAL, "Skyddade personuppgifter: inget brev")
        add_action(notice, ActionKind.MANUAL, detail="Skyddade personuppgifter: inget brev, hanteras manuellt")
    elif person is None:
        set_outcome(notice, Outcome.MANUAL, "Personnummer saknas")
        add_action(notice, ActionKind.MANUAL, detail="Personnummer saknas: matcha personen manuellt")
    elif notice.name_check == NameCheck.MISMATCH:
        # One name on the letter and another on the reception list and the hand-off is how a letter reaches
        # the wrong person: staff confirm which is right (or that the number is wrong) before anything goes.
        set_outcome(notice, Outcome.MANUAL, "Namnet stämmer inte med namnet för personnumret")
        add_action(notice, ActionKind.MANUAL, detail=f"Namnet på underrättelsen ({notice.tenant_name}) stämmer "
                                                     f"inte med namnet för personnumret ({person.name}): "
                                                     "bekräfta personen")
    elif (client := lookups.known.get(notice.personnummer or "")) is not None:
        # The caseworker already knows the person: tell them, send no letter (it would cross their work).
        set_outcome(notice, Outcome.KNOWN_CLIENT, "Aktuell klient: handläggaren meddelas, inget brev")
        add_action(notice, ActionKind.CASEWORKER_MAIL, detail=client.email, status=ActionStatus.PENDING)
    elif _case_in_hand(notice, case):
        # One household, one contact: the open case already has its letter, booking and intake item.
        if notice.escalated_at:
            set_outcome(notice, Outcome.ESCALATED, "Hushållets ärende är redan i hand; eskalerad")
        else:
            set_outcome(notice, Outcome.LINKED, "Hushållets ärende är redan i hand: ingen ny kontakt")
    else:
        _contact(notice, person, lookups, today=today)


def _person(notice: Notice, lookups: Lookups) -> Person | None:
    if not notice.personnummer:
        return None
    person = lookups.people.get(notice.personnummer)
    if person is None:
        person = lookups.people[notice.personnummer] = get_or_add_person(notice.personnummer)
    if notice.name_check is None:
        person.name = person.name or notice.tenant_name
    person.language = person.language or notice.language
    notice.person_id = person.id
    return person


def _case_deadline(notice: Notice, case: list[Notice]) -> None:
    """A Kronofogden eviction date anywhere in the case is this notice's deadline too, when it is nearer.

    Only a date still ahead: an eviction that was postponed (or done) months ago, with a new date in a new notice,
    would otherwise make the new notice overdue the day it arrives.
    """
    today = local_today()
    evictions = [other.eviction_date for other in case
                 if other.eviction_date and other.eviction_date >= today and not other.superseded]
    if evictions and notice.deadline is not None and min(evictions) < notice.deadline:
        notice.deadline = min(evictions)
        notice.priority = rules.priority(deadline=notice.deadline, today=today, children=notice.has_children,
                                         kind=NoticeKind.EVICTION)


def _escalate_case(notice: Notice, case: list[Notice]) -> None:
    """Kronofogden has set an eviction date: every open notice of the case gets the date and goes to staff."""
    others = [other for other in case if other.id != notice.id and not other.superseded]
    if not others:
        return
    reason = "Kronofogden har satt datum för avhysning"
    escalate(notice, reason)
    for other in others:
        if other.decision is None:
            escalate(other, reason)
            check_soon(other, today=local_today())  # its deadline may be nearer now
            if notice.eviction_date and (other.deadline is None or notice.eviction_date < other.deadline):
                other.deadline = notice.eviction_date
            other.priority = max(other.priority, notice.priority)
            item = db.session.get(IntakeItem, other.intake_item_id) if other.intake_item_id else None
            if item is not None and item.is_open and notice.eviction_date and (
                    item.legal_deadline is None or notice.eviction_date < item.legal_deadline):
                # The reception's queue must see the eviction date too, not only the outreach list.
                set_legal_deadline(item, deadline=notice.eviction_date, actor_label="uppsökande")


def _case_in_hand(notice: Notice, case: list[Notice]) -> bool:
    """True when another current, undecided notice of the case was already contacted or sent to a caseworker."""
    return any(other.outcome in (Outcome.CONTACTED, Outcome.KNOWN_CLIENT, Outcome.ESCALATED)
               for other in case if other.id != notice.id and not other.superseded and other.decision is None)


def _contact(notice: Notice, person: Person, lookups: Lookups, *, today: date) -> None:
    """Intake item carrying the notice and deadlines, then booking and letter."""
    summary = (f"Underrättelse ({KIND_LABELS[notice.kind]}) från {notice.landlord_name}, ref {notice.reference}. "
               f"Frist: {notice.deadline}.")
    corrected = db.session.get(Notice, notice.corrects_id) if notice.corrects_id else None
    item = db.session.get(IntakeItem, corrected.intake_item_id) if corrected and corrected.intake_item_id else None
    if item is not None and item.is_open:
        # A correction of a notice already in the queue: the same item, with the restarted deadline.
        set_legal_deadline(item, deadline=notice.deadline, actor_label="uppsökande")
        add_action(notice, ActionKind.INTAKE_ITEM, detail="rättelse: fristen i intagskön ändrad", ref_id=item.id)
    else:
        # An item already made for this notice (by an older version, or by hand) is used, not made again.
        item = lookups.items.get(_source_key(notice))
        if item is None:
            item = lookups.items[_source_key(notice)] = add_intake_item(
                source=Source.OUTREACH, source_key=_source_key(notice), person_id=person.id, summary=summary,
                urgency=Urgency.EVICTION_RISK, priority=notice.priority, language=notice.language,
                legal_deadline=notice.deadline, actor_label="uppsökande", looked_up=True)
        add_action(notice, ActionKind.INTAKE_ITEM, detail="post i intagskön", ref_id=item.id)
    notice.intake_item_id = item.id
    delivery.first_contact(notice, person, intake_item_id=item.id)
    urgent = urgent_reason(notice.deadline, today=today,
                           urgent_days=int(current_app.config.get("OUTREACH_URGENT_WORKING_DAYS", 5)))
    if notice.outcome == Outcome.CONTACTED and urgent is not None:
        # The letter may not arrive in time: an outreach worker phones or visits now, with the deadline.
        task = add_action(notice, ActionKind.FOLLOWUP_TASK, detail=f"{urgent}: ring eller gör hembesök",
                          status=ActionStatus.PENDING)
        if not task.detail.startswith(urgent):  # the task made when no time fitted: urgent too
            task.detail = f"{urgent}. {task.detail}"


def claim_pending_deliveries(limit: int) -> list[Notice]:
    """Notices whose booking or letter is still waiting, locked for this process."""
    pending = select(NoticeAction.notice_id).where(
        NoticeAction.status == ActionStatus.PENDING,
        NoticeAction.kind.in_((ActionKind.BOOKING, ActionKind.LETTER_FIRST, ActionKind.LETTER_SECOND)))
    return list(db.session.scalars(select(Notice).where(Notice.id.in_(pending)).order_by(Notice.id)
                                   .limit(limit).with_for_update(skip_locked=True)))


def retry_pending() -> int:
    """Complete bookings and letters a crash or an earlier version left waiting."""
    done = 0
    for notice in claim_pending_deliveries(500):
        person = db.session.get(Person, notice.person_id) if notice.person_id else None
        if person is None or notice.intake_item_id is None or notice.protected or person.is_protected:
            continue
        delivery.first_contact(notice, person, intake_item_id=notice.intake_item_id)
        second = db.session.scalar(select(NoticeAction).where(NoticeAction.notice_id == notice.id,
                                                              NoticeAction.kind == ActionKind.LETTER_SECOND))
        if second is not None and second.status == ActionStatus.PENDING:
            delivery.write_letter(notice, person, kind="outreach_second", action=ActionKind.LETTER_SECOND,
                                  reason="no_answer")
        done += 1
    db.session.commit()
    return done
