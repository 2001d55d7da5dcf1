"""A generated year of history, so the statistics have something true to count (`portal demo load --history`).

Deterministic: the same seed and the same day give the same rows (dates count back from the day it runs).
Only Skatteverket's published test personnummer are used, never generated ones: a made-up number with a
valid check digit may well belong to a real person. Each area adds its part with `add_history_loader`; each
part looks for its own marker first and adds nothing when its history is already there.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import Flask
from sqlalchemy import select

from portal.applications.models import Application, ChecklistItem, ItemState, Kind, PersonRole, Status
from portal.applications.rules import RULES_BY_KEY
from portal.booking.models import Booking, BookingStatus, Purpose
from portal.clock import LOCAL_TZ, local_today
from portal.db import db, utcnow
from portal.documents.models import Document, DocumentStatus
from portal.intake.models import IntakeEvent, IntakeItem, Source, State, Urgency
from portal.intake.service import refresh_deadlines, set_state
from portal.people import Person, get_or_add_person
from portal.registry import Registry
from portal.roles import Role as StaffRole
from portal.staff.models import StaffUser
from portal.storage import store_file
from portal.workdays import add_working_days, is_working_day

LOCAL = LOCAL_TZ
SEED = 2026
DAYS = 365
ACTOR = "historik"

# Skatteverket's published test numbers (../shared/data/test-personnummer.txt), samordningsnummer last.
HISTORY_PERSONNUMMER = ("201701012393", "202503082386", "202508242381", "202510022383", "202503312387",
                        "202509012387", "202512232386", "202504182391", "200306062381", "200802122390",
                        "200607092384", "189506299818", "189002099811", "189103179801", "190006129803",
                        "190704019801", "190108219817", "197010632391")
# Applications go to people the demo does not log in as, so a demo resident's own pages stay as the demo made them.
APPLICANT_NUMBERS = ("189506299818", "189002099811", "189103179801", "190704019801", "190108219817",
                     "197010632391")
FIRST_NAMES = ("Amal", "Bashir", "Hiwet", "Leila", "Mikael", "Nadia", "Oksana", "Pekka", "Reza", "Sara", "Tesfay",
               "Ulrika", "Yusuf", "Zahra", "Anders", "Fatima")
LAST_NAMES = ("Ahmed", "Berhane", "Eriksson", "Hosseini", "Johansson", "Korhonen", "Mohamed", "Nilsson",
              "Petrenko", "Warsame")
LANGUAGE_WEIGHTS = (("sv", 40), ("ar", 16), ("so", 10), ("uk", 9), ("ti", 7), ("fa", 7), ("en", 6), ("fi", 5))
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class HistoryContext:
    """What every part of the history shares: its own random generator, the year, people and staff."""

    rng: random.Random
    start: date
    today: date
    now: datetime
    people: list[Person]
    caseworkers: list[StaffUser]
    outreach_staff: list[StaffUser]

    def working_day(self, first: date, last: date) -> date:
        """A random working day between first and last (inclusive), or the last working day before."""
        day = first + timedelta(days=self.rng.randrange(max((last - first).days, 0) + 1))
        while not is_working_day(day) and day > first:
            day -= timedelta(days=1)
        return day

    def office_time(self, day: date, earliest: int = 8, latest: int = 16) -> datetime:
        """A UTC moment in office hours on a Swedish day."""
        local = datetime.combine(day, time(self.rng.randrange(earliest, latest), self.rng.randrange(0, 60, 5)),
                                 tzinfo=LOCAL)
        return local.astimezone(UTC)

    def language(self) -> str:
        """A resident language, as often as the unit meets it."""
        codes, weights = zip(*LANGUAGE_WEIGHTS, strict=True)
        return self.rng.choices(codes, weights)[0]

    def name(self) -> str:
        """An invented name."""
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"


LOADERS: Registry[tuple[str, Callable[[HistoryContext], int]]] = Registry("demo_history", key=lambda entry: entry[0])


def add_history_loader(app: Flask, name: str, loader: Callable[[HistoryContext], int]) -> None:
    """Let an area add its part of the history (from its init_app); the loader returns how many rows it added
    (0 when present). They run in the order added: the reception's year before outreach's."""
    LOADERS.add(app, (name, loader))


def _people(rng: random.Random) -> list[Person]:
    people = []
    for number in HISTORY_PERSONNUMMER:
        person = get_or_add_person(number)
        if not person.name:
            person.name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        people.append(person)
    db.session.flush()
    return people


def load(*, today: date | None = None, seed: int = SEED) -> dict[str, int]:
    """Add every area's year of history that is not there yet; returns rows added per area."""
    today = today or local_today()
    people = _people(random.Random(f"{seed}:people"))
    staff = list(db.session.scalars(select(StaffUser).order_by(StaffUser.id)))
    added = {}
    for name, loader in LOADERS.all():
        context = HistoryContext(rng=random.Random(f"{seed}:{name}"), start=today - timedelta(days=DAYS),
                                 today=today, now=utcnow(), people=people,
                                 caseworkers=[s for s in staff if s.role == StaffRole.CASEWORKER],
                                 outreach_staff=[s for s in staff if s.role == StaffRole.OUTREACH])
        added[name] = loader(context)
        db.session.commit()
    return added


def new_item(*, source: Source, source_key: str, person_id: int, summary: str, language: str | None,
             received_at: datetime, urgency: Urgency = Urgency.NORMAL,
             legal_deadline: date | None = None) -> IntakeItem:
    """An intake item as add_intake_item makes it, with its first history entry, without the look-up and flush
    a single new item needs (the history's keys are new by construction; the unique key still guards)."""
    item = IntakeItem(source=source, source_key=source_key, person_id=person_id, summary=summary, urgency=urgency,
                      priority=0, language=language, interpreter_needed=False, legal_deadline=legal_deadline,
                      state=State.NEW, is_open=True, received_at=received_at, paused_working_days=0)
    refresh_deadlines(item)
    item.events.append(IntakeEvent(at=received_at, actor_label=ACTOR, kind="created", detail=source.value))
    db.session.add(item)
    return item


def finish_item(item: IntakeItem, context: HistoryContext) -> None:
    """Move an intake item through documents, assignment and hand-over as the reception would have.

    Most are assigned within the promised working days, some late; the last weeks' items are still with
    their caseworker (the load the intake meeting sees), older ones are handed over or closed.
    """
    rng = context.rng
    received = item.received_at.astimezone(LOCAL).date()
    complete = add_working_days(received, rng.choice((0, 1, 1, 2, 3, 5, 8)))
    if complete > context.today:
        return
    item.documents_complete_on = complete
    refresh_deadlines(item)
    late = rng.random() < 0.12
    assigned_day = (add_working_days(item.due_on, rng.randint(1, 4)) if late
                    else add_working_days(complete, rng.randint(1, 4)))
    if late is False and assigned_day > item.due_on:
        assigned_day = item.due_on
    if assigned_day >= context.today:
        set_state(item, State.READY_FOR_ASSIGNMENT)
        return
    item.assigned_at = context.office_time(assigned_day, 9, 12)
    item.assigned_to_id = rng.choice(context.caseworkers).id if context.caseworkers else None
    if assigned_day >= context.today - timedelta(days=21) and item.assigned_to_id is not None:
        set_state(item, State.ASSIGNED)
    elif rng.random() < 0.85:
        set_state(item, State.HANDED_OVER)
    else:
        set_state(item, State.CLOSED)
        item.close_reason = rng.choice(("Sökanden återtog ansökan", "Behovet löstes på annat sätt"))


def _booking(item: IntakeItem, context: HistoryContext, number: int) -> Booking | None:
    """A first appointment a few working days after the item came in; past ones attended, missed or cancelled."""
    rng = context.rng
    day = add_working_days(item.received_at.astimezone(LOCAL).date(), rng.randint(2, 6))
    starts_at = datetime.combine(day, time(rng.choice((9, 10, 11, 13, 14)), rng.choice((0, 30))),
                                 tzinfo=LOCAL).astimezone(UTC)
    if starts_at >= context.now:
        return None
    status = rng.choices((BookingStatus.ATTENDED, BookingStatus.NO_SHOW, BookingStatus.CANCELLED), (80, 14, 6))[0]
    # Not a code anyone can type (the booking alphabet has no lower case or ':'), and long expired.
    code_hash = hashlib.sha256(f"history:{context.start.isoformat()}:{number}".encode()).hexdigest()
    booking = Booking(starts_at=starts_at, place=rng.randint(1, 2), purpose=Purpose.FIRST_APPOINTMENT,
                      status=status, intake_item_id=item.id, code_hash=code_hash, code_expires_at=starts_at,
                      created_at=item.received_at)
    db.session.add(booking)
    return booking


def _contacts(context: HistoryContext) -> int:
    """Phone and walk-in intakes week by week, each with its first appointment."""
    rng = context.rng
    added = 0
    for week in range(DAYS // 7):
        first = context.start + timedelta(days=7 * week)
        items = []
        for _ in range(rng.randint(4, 9)):
            day = context.working_day(first, min(first + timedelta(days=4), context.today - timedelta(days=1)))
            person = rng.choice(context.people)
            source = rng.choice((Source.PHONE, Source.PHONE, Source.WALK_IN))
            urgency = rng.choices(list(Urgency), (80, 10, 5, 5))[0]
            item = new_item(source=source, source_key=f"history:{source.value}:{added}", person_id=person.id,
                            summary="Historik: kontakt med mottagningen", urgency=urgency,
                            language=context.language(), received_at=context.office_time(day))
            finish_item(item, context)
            items.append((item, added))
            added += 1
        db.session.flush()
        for item, number in items:
            _booking(item, context, number)
    return added


def _applications(context: HistoryContext) -> int:
    """E-applications week by week: most are sent, some with documents still to come; each sent one is an item."""
    rng = context.rng
    applicants = [p for p in context.people if p.personnummer in APPLICANT_NUMBERS]
    keys = sorted(RULES_BY_KEY)
    added = 0
    for week in range(DAYS // 7):
        first = context.start + timedelta(days=7 * week)
        made: list[Application] = []
        for _ in range(rng.randint(3, 8)):
            started = context.office_time(first + timedelta(days=rng.randrange(7)), 7, 22)
            if started >= context.now:
                continue
            minutes = rng.choices((rng.randint(8, 14), rng.randint(15, 29), rng.randint(30, 59),
                                   rng.randint(60, 1439), rng.randint(1440, 10079)), (15, 40, 25, 12, 8))[0]
            submitted = started + timedelta(minutes=minutes) if rng.random() < 0.8 else None
            if submitted is not None and submitted >= context.now:
                submitted = None
            person = rng.choice(applicants)
            application = Application(person_id=person.id, reference=f"EB-HIST-{added:05d}",
                                      language=context.language(), answers={}, kind=Kind.FIRST,
                                      status=Status.SUBMITTED if submitted else Status.DRAFT,
                                      started_at=started, updated_at=submitted or started, submitted_at=submitted)
            db.session.add(application)
            for key in rng.sample(keys, rng.randint(1, 4)):
                _checklist_item(application, key, context)
            made.append(application)
            added += 1
        db.session.flush()
        items = []
        for application in made:
            if application.submitted_at is None:
                continue
            item = new_item(source=Source.E_APPLICATION, source_key=f"application:{application.id}",
                            person_id=application.person_id, summary="E-ansökan (historik)",
                            language=application.language, received_at=application.submitted_at)
            finish_item(item, context)
            if item.state in (State.HANDED_OVER, State.CLOSED):
                application.status = Status.DECIDED if item.state == State.HANDED_OVER else Status.CLOSED
            items.append((application, item))
        db.session.flush()
        for application, item in items:
            application.intake_item_id = item.id
            if rng.random() < 0.5:
                _booking(item, context, 100000 + application.id)
    return added


def _checklist_item(application: Application, key: str, context: HistoryContext) -> None:
    """One document on the checklist: sent before submission, after it, or not yet."""
    rng = context.rng
    created = application.started_at + timedelta(minutes=rng.randint(1, 5))
    item = ChecklistItem(key=key, person_role=PersonRole.APPLICANT, extra=False, state=ItemState.MISSING,
                         created_at=created, updated_at=created)
    application.checklist.append(item)
    end = application.submitted_at or application.started_at
    when = rng.choices(("before", "after", "never"), (55, 30, 15))[0]
    uploaded = (created + (end - created) * rng.random() if when == "before"
                else end + timedelta(days=rng.randint(1, 8), hours=rng.randint(0, 8)) if when == "after" else None)
    if uploaded is None or uploaded >= context.now or (application.submitted_at is None and when == "after"):
        if rng.random() < 0.4:
            item.state, item.later_since = ItemState.LATER, end
        return
    stored = store_file([MINIMAL_PDF], media_type="application/pdf", original_name=f"{key}.pdf")
    accepted = uploaded < context.now - timedelta(days=7)
    db.session.add(Document(checklist_item=item, stored_file=stored, original_name=f"{key}.pdf",
                            media_type="application/pdf", size=stored.size, sha256=stored.sha256,
                            status=DocumentStatus.ACCEPTED if accepted else DocumentStatus.RECEIVED,
                            uploaded_by_person_id=application.person_id, uploaded_at=uploaded))
    item.state, item.updated_at = (ItemState.ACCEPTED if accepted else ItemState.RECEIVED), uploaded


def reception_history(context: HistoryContext) -> int:
    """The reception's year: phone and walk-in contacts, e-applications, their items and appointments."""
    marker = db.session.scalar(select(IntakeItem.id).where(IntakeItem.source_key.like("history:%")).limit(1))
    if marker is not None:
        return 0
    return _contacts(context) + _applications(context)


def init_app(app: Flask) -> None:
    """The reception's year (intake, e-applications, bookings together, so no one area owns it); outreach adds
    its own after it."""
    add_history_loader(app, "reception", reception_history)
