"""The monthly review of the access log that social services are expected to do (subject-access exports are in
portal.subject_access)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.clock import LOCAL_TZ
from portal.db import db
from portal.people import Person, Protection

# A staff member whose reads in a month exceed this many times the median of their colleagues is flagged.
UNUSUAL_FACTOR = 3.0
UNUSUAL_MINIMUM = 50


@dataclass
class ActorSummary:
    """One staff member's reads of personal data in the month."""

    actor_label: str
    reads: int
    persons: int
    protected_reads: int
    unusual: bool = False


@dataclass
class MonthReport:
    """Who looked at which persons, unusual volumes, and reads of protected identities."""

    month: str
    actors: list[ActorSummary] = field(default_factory=list)
    protected: list[tuple[datetime, str, str, int | None]] = field(default_factory=list)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """'2026-11' → [1 Nov 00:00, 1 Dec 00:00) in Swedish time, as UTC: a read at 00:30 on the first of a month
    in Sweden belongs to that month for the administrator reviewing it, though UTC is still in the month before."""
    start = datetime.strptime(month + "-01", "%Y-%m-%d").replace(tzinfo=LOCAL_TZ)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return start.astimezone(UTC), end.astimezone(UTC)


def month_report(month: str) -> MonthReport:
    """Build the review for one month from the staff events that concern a person."""
    start, end = month_bounds(month)
    in_month = (AuditEvent.at >= start, AuditEvent.at < end, AuditEvent.actor_kind == "staff",
                AuditEvent.person_id.is_not(None))
    protected = Person.protection != Protection.NONE
    rows = db.session.execute(
        select(AuditEvent.actor_label, func.count(), func.count(func.distinct(AuditEvent.person_id)),
               func.sum(db.case((protected, 1), else_=0)))
        .join(Person, Person.id == AuditEvent.person_id).where(*in_month)
        .group_by(AuditEvent.actor_label).order_by(func.count().desc())).all()
    report = MonthReport(month=month, actors=[ActorSummary(label, reads, persons, int(prot or 0))
                                              for label, reads, persons, prot in rows])
    if report.actors:
        median = statistics.median(a.reads for a in report.actors)
        for actor in report.actors:
            actor.unusual = actor.reads >= UNUSUAL_MINIMUM and actor.reads > UNUSUAL_FACTOR * max(median, 1)
    report.protected = [(at, label, action, pid) for at, label, action, pid in db.session.execute(
        select(AuditEvent.at, AuditEvent.actor_label, AuditEvent.action, AuditEvent.person_id)
        .join(Person, Person.id == AuditEvent.person_id).where(*in_month, protected).order_by(AuditEvent.at))]
    return report
