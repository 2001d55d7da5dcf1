"""Outreach's part of the generated year of history (`portal demo load --history`): notices, their steps,
attempts to reach the household and decisions, and the intake items of those contacted.

Every history notice is decided, so the scheduler never acts on one (no letter, task or escalation today).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from outreach.notices import rules
from outreach.notices.models import (
    ActionKind,
    ActionStatus,
    Attempt,
    AttemptChannel,
    AttemptResult,
    Channel,
    Children,
    Decision,
    Notice,
    NoticeAction,
    NoticeKind,
    Outcome,
    TenancyOutcome,
)
from outreach.notices.parse import LOCAL_TZ
from outreach.notices.state import set_outcome, start
from portal.db import db
from portal.demo_history import HistoryContext, finish_item, new_item
from portal.intake.models import IntakeItem, Source, Urgency

PREFIX = "HIST-"
LANDLORDS = (("Stadsbostäder AB", "556000-0001"), ("Fastighets AB Söder", "556000-0002"),
             ("Hyreshus i Norr AB", "556000-0003"))
STREETS = ("Ringvägen", "Götgatan", "Hornsgatan", "Folkungagatan", "Krukmakargatan", "Tantogatan")
NO_CONTACT = "Fick inte kontakt trots flera försök; hyresvärden är informerad."

# Staff's own attempts (the household phoning or coming in is not drawn here).
OUTGOING = [AttemptChannel.LETTER, AttemptChannel.CALL, AttemptChannel.TEXT, AttemptChannel.HOME_VISIT]


def _notice(context: HistoryContext, number: int) -> Notice:
    rng = context.rng
    kind = rng.choices((NoticeKind.TERMINATION, NoticeKind.DISTURBANCE, NoticeKind.EVICTION, NoticeKind.OTHER),
                       (64, 14, 17, 5))[0]
    received = context.working_day(context.start, context.today - timedelta(days=2))
    served = received - timedelta(days=rng.randint(1, 3)) if kind == NoticeKind.TERMINATION else None
    eviction_at = (datetime.combine(received + timedelta(days=rng.randint(14, 40)), time(9), tzinfo=LOCAL_TZ)
                   .astimezone(UTC) if kind == NoticeKind.EVICTION else None)
    landlord, orgnr = ("Kronofogden", None) if kind == NoticeKind.EVICTION else rng.choice(LANDLORDS)
    address, postal_code = f"{rng.choice(STREETS)} {rng.randint(1, 140)}", f"11{rng.randint(600, 899)}"
    recovery = rules.recovery_deadline(kind, served=served, received=received)
    eviction_date = rules.eviction_date(eviction_at)
    person = context.people[number % len(context.people)]
    notice = Notice(sender=landlord, reference=f"{PREFIX}{number:05d}", kind=kind, channel=Channel.FILE,
                    landlord_name=landlord, landlord_orgnr=orgnr, tenant_name=context.name(),
                    personnummer=person.personnummer, address=address, postal_code=postal_code, city="Stockholm",
                    tenancy_key=rules.tenancy_key(address, postal_code),
                    amount_ore=rng.randint(40, 600) * 10000 if kind == NoticeKind.TERMINATION else None,
                    termination_date=received - timedelta(days=rng.randint(2, 6)) if served else None,
                    served_date=served, received_date=received, eviction_at=eviction_at,
                    children=rng.choices(list(Children), (35, 45, 20))[0], language=context.language(),
                    recovery_deadline=recovery, eviction_date=eviction_date,
                    deadline=rules.effective_deadline(recovery=recovery, eviction=eviction_date, received=received),
                    pipeline_due=False, created_at=context.office_time(received))
    start(notice)
    outcome = rng.choices((Outcome.CONTACTED, Outcome.KNOWN_CLIENT, Outcome.ESCALATED, Outcome.MANUAL,
                           Outcome.OUT_OF_AREA, Outcome.LINKED), (60, 20, 8, 5, 4, 3))[0]
    set_outcome(notice, outcome, "Genererad historik", at=notice.created_at)
    notice.amount_text = f"{notice.amount_ore // 100} kr" if notice.amount_ore else None
    db.session.add(notice)
    return notice


def _step(notice: Notice, kind: ActionKind, at: datetime, detail: str, ref_id: int | None = None) -> None:
    db.session.add(NoticeAction(notice_id=notice.id, kind=kind, status=ActionStatus.DONE, detail=detail,
                                ref_id=ref_id, created_at=at, done_at=at))


def _attempts(notice: Notice, context: HistoryContext) -> datetime | None:
    """One to four tries over the weeks after the notice; returns when the household was reached, if it was."""
    rng = context.rng
    staff_id = rng.choice(context.outreach_staff).id if context.outreach_staff else None
    day = notice.received_date
    for attempt in range(rng.randint(1, 4)):
        day = day + timedelta(days=rng.choice((1, 2, 2, 3, 4, 6, 9)) if attempt else rng.randint(0, 5))
        at = context.office_time(day)
        if at >= context.now:
            return None
        channel = rng.choices(OUTGOING, (15, 50, 20, 15))[0]
        reached = rng.random() < (0.6 if channel != AttemptChannel.HOME_VISIT else 0.75)
        result = AttemptResult.REACHED if reached else rng.choice((AttemptResult.NOT_REACHED,
                                                                   AttemptResult.MESSAGE_LEFT))
        db.session.add(Attempt(notice_id=notice.id, channel=channel, result=result, note="", staff_id=staff_id,
                               at=at))
        if reached:
            return at
    return None


def _decide(notice: Notice, context: HistoryContext, reached_at: datetime | None) -> None:
    rng = context.rng
    base = reached_at or context.office_time(notice.received_date + timedelta(days=rng.randint(5, 20)))
    notice.decided_at = min(base + timedelta(days=rng.randint(0, 3)), context.now - timedelta(hours=1))
    notice.decided_by_id = rng.choice(context.outreach_staff).id if context.outreach_staff else None
    if notice.outcome == Outcome.KNOWN_CLIENT:
        notice.decision, notice.decision_reason = Decision.NO_ACTION, "Aktuell klient; handläggaren är meddelad."
    elif notice.outcome == Outcome.OUT_OF_AREA:
        notice.decision = Decision.NO_ACTION
        notice.decision_reason = "Bostaden ligger i en annan kommun; vidarebefordrad."
    elif reached_at is not None:
        notice.decision = rng.choices((Decision.CONTACT_MADE, Decision.INVESTIGATION_OPENED), (65, 35))[0]
    else:
        notice.decision = rng.choices((Decision.NO_ACTION, Decision.INVESTIGATION_OPENED), (70, 30))[0]
        notice.decision_reason = NO_CONTACT if notice.decision == Decision.NO_ACTION else None
    if notice.outcome not in (Outcome.KNOWN_CLIENT, Outcome.OUT_OF_AREA):
        # Households reached keep their home far more often; that difference is what the board asks about.
        weights = (55, 25, 10, 5, 5) if reached_at is not None else (25, 10, 15, 20, 30)
        notice.tenancy_outcome = rng.choices(list(TenancyOutcome), weights)[0]
        notice.tenancy_outcome_at, notice.tenancy_outcome_by_id = notice.decided_at, notice.decided_by_id


def outreach_history(context: HistoryContext) -> int:
    """About a year of notices, thirty a month, written thirty at a time."""
    if db.session.scalar(select(Notice.id).where(Notice.reference.like(f"{PREFIX}%")).limit(1)) is not None:
        return 0
    count = 12 * 30
    made: list[Notice] = []
    for batch_start in range(0, count, 30):
        batch = [_notice(context, number) for number in range(batch_start, batch_start + 30)]
        db.session.flush()
        items = []
        for notice in batch:
            notice.case_id = notice.id
            earlier = [n for n in made[-40:] if n.received_date < notice.received_date]
            if notice.outcome == Outcome.LINKED and earlier:
                _link(notice, context.rng.choice(earlier))
            made.append(notice)
            item = _work(notice, context)
            if item is not None:
                items.append((notice, item))
        db.session.flush()
        for notice, item in items:
            notice.intake_item_id = item.id
            _step(notice, ActionKind.INTAKE_ITEM, notice.created_at, "post i intagskön (historik)", ref_id=item.id)
    return count


def _link(notice: Notice, first: Notice) -> None:
    """A second notice for a household and flat already in hand: the same case."""
    notice.case_id, notice.tenancy_key, notice.address = first.case_id, first.tenancy_key, first.address
    notice.postal_code, notice.personnummer = first.postal_code, first.personnummer
    notice.tenant_name, notice.children = first.tenant_name, first.children


def _work(notice: Notice, context: HistoryContext) -> IntakeItem | None:
    """The steps, attempts and decision on one notice; returns the intake item of a contacted household."""
    arrived = notice.created_at
    reached_at = None
    item = None
    if notice.outcome == Outcome.KNOWN_CLIENT:
        _step(notice, ActionKind.CASEWORKER_MAIL, arrived, "handläggaren meddelad (historik)")
    elif notice.outcome in (Outcome.MANUAL, Outcome.OUT_OF_AREA):
        _step(notice, ActionKind.MANUAL, arrived, "manuell hantering (historik)")
        reached_at = _attempts(notice, context) if notice.outcome == Outcome.MANUAL else None
    elif notice.outcome != Outcome.LINKED:
        person = next(p for p in context.people if p.personnummer == notice.personnummer)
        item = new_item(source=Source.OUTREACH, source_key=f"notice:{notice.id}", person_id=person.id,
                        summary=f"Underrättelse ({notice.kind}) från {notice.landlord_name} (historik)",
                        urgency=Urgency.EVICTION_RISK, language=notice.language, legal_deadline=notice.deadline,
                        received_at=arrived)
        if notice.outcome == Outcome.ESCALATED:
            notice.escalated_at, notice.escalation_reason = arrived, "ingen ledig tid före fristen (historik)"
            _step(notice, ActionKind.ESCALATION, arrived, notice.escalation_reason)
        else:
            _step(notice, ActionKind.LETTER_FIRST, arrived, "brev med bokad tid (historik)")
        reached_at = _attempts(notice, context)
        finish_item(item, context)
    _decide(notice, context, reached_at)
    return item

