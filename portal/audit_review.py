"""The monthly review of the access log that social services are expected to do, and subject-access exports."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select

from portal.audit import AuditEvent
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
    """'2026-11' → [1 Nov 00:00 UTC, 1 Dec 00:00 UTC)."""
    start = datetime.strptime(month + "-01", "%Y-%m-%d").replace(tzinfo=UTC)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return start, end


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


# Areas register what they hold about a person, so a subject-access export is whole.
EXPORTERS: list[tuple[str, Callable[[int], Any]]] = []


def add_exporter(name: str, exporter: Callable[[int], Any]) -> None:
    """Let an area add its data about a person (person id → JSON-friendly value) to the export."""
    if all(existing != name for existing, _ in EXPORTERS):
        EXPORTERS.append((name, exporter))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_person(person: Person) -> dict[str, Any]:
    """Everything the product holds about one person, with the access log entries about them."""
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.person_id == person.id)
                                .order_by(AuditEvent.chain_seq)).all()
    data: dict[str, Any] = {
        "person": {column.name: _jsonable(getattr(person, column.key))
                   for column in Person.__table__.columns},
        "access_log": [{"at": e.at.isoformat(), "who": e.actor_label, "kind": e.actor_kind, "action": e.action,
                        "object": f"{e.object_type}:{e.object_id}" if e.object_type else None}
                       for e in events],
    }
    for name, exporter in EXPORTERS:
        data[name] = exporter(person.id)
    return data
