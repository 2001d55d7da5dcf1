"""Intake statistics: new items by source, states, decisions within the promised time, caseworker load."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from portal.db import db
from portal.intake.models import IntakeItem, Source, State
from portal.staff.models import StaffUser
from portal.statistics.tables import Period, Table, share

SOURCE_LABELS = {Source.E_APPLICATION: "E-ansökan", Source.OUTREACH: "Uppsökande", Source.PHONE: "Telefon",
                 Source.WALK_IN: "Besök"}
STATE_LABELS = {State.NEW: "Ny", State.IN_REVIEW: "Under granskning", State.WAITING_FOR_RESIDENT: "Väntar på sökande",
                State.READY_FOR_ASSIGNMENT: "Klar för fördelning", State.ASSIGNED: "Fördelad",
                State.HANDED_OVER: "Aktualiserad", State.CLOSED: "Avslutad"}


def _bounds(period: Period) -> tuple[datetime, datetime]:
    return (datetime.combine(period.start, time.min, tzinfo=UTC),
            datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=UTC))


def _week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-v{week:02d}"


def new_by_week(period: Period) -> Table:
    """New intake items per ISO week and source."""
    start, end = _bounds(period)
    rows = db.session.execute(select(IntakeItem.received_at, IntakeItem.source)
                              .where(IntakeItem.received_at >= start, IntakeItem.received_at < end)).all()
    counts: Counter[tuple[str, str]] = Counter((_week(at), str(source)) for at, source in rows)
    weeks = sorted({week for week, _ in counts})
    sources = list(SOURCE_LABELS)
    return Table(key="new_by_week", title="Nya ärenden per vecka och källa",
                 columns=["Vecka", *(SOURCE_LABELS[s] for s in sources)],
                 rows=[[week, *(counts[(week, s.value)] for s in sources)] for week in weeks])


def by_state() -> Table:
    """Open and finished items by state, as they are now."""
    rows = dict(db.session.execute(select(IntakeItem.state, func.count()).group_by(IntakeItem.state)).all())
    return Table(key="by_state", title="Ärenden per läge just nu", columns=["Läge", "Antal"],
                 rows=[[label, int(rows.get(state, 0))] for state, label in STATE_LABELS.items()])


def within_promise(period: Period, minimum: int) -> Table:
    """Of the items decided (assigned) in the period, how many within the promised working days."""
    start, end = _bounds(period)
    rows = db.session.execute(select(IntakeItem.source, IntakeItem.assigned_at, IntakeItem.due_on)
                              .where(IntakeItem.assigned_at >= start, IntakeItem.assigned_at < end)).all()
    table_rows: list[list[int | float | str | None]] = []
    for source, label in SOURCE_LABELS.items():
        mine = [(at, due) for src, at, due in rows if src == source and at is not None]
        on_time = len([1 for at, due in mine if at.astimezone(UTC).date() <= due])
        table_rows.append([label, len(mine), on_time, share(on_time, len(mine), minimum)])
    return Table(key="within_promise", title="Fördelade inom utlovad tid", chart=None,
                 columns=["Källa", "Fördelade", "Inom tid", "Andel inom tid (%)"], rows=table_rows,
                 note="Andelen visas inte när underlaget är för litet.")


def caseworker_load() -> Table:
    """Open items per caseworker now (the intake meeting's view of load)."""
    open_states = (State.ASSIGNED,)
    rows = db.session.execute(
        select(StaffUser.name, func.count(IntakeItem.id)).join(IntakeItem, IntakeItem.assigned_to_id == StaffUser.id)
        .where(IntakeItem.state.in_(open_states)).group_by(StaffUser.name).order_by(StaffUser.name)).all()
    return Table(key="caseworker_load", title="Fördelade öppna ärenden per handläggare",
                 columns=["Handläggare", "Ärenden"], rows=[[name, int(count)] for name, count in rows])


def build(period: Period, minimum: int) -> list[Table]:
    """Every intake table for the period."""
    return [new_by_week(period), by_state(), within_promise(period, minimum), caseworker_load()]
