"""Scheduled work as data: each job has an explicit id and a thin function around a service.

`SCHEDULE` lists every job and when it runs; the areas give each its function in their init_app, and the
scheduler process (`portal worker`) runs them; several scheduler processes may run, so every
job must be safe to run twice at once (claims in the database, unique constraints). Each run is recorded.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, db, utcnow
from portal.registry import Registry

log = logging.getLogger("portal.jobs")


@dataclass(frozen=True)
class Slot:
    """When a job runs: its id, its name on the staff home, and APScheduler trigger arguments."""

    id: str
    label: str
    trigger: str
    trigger_args: dict[str, Any]


# The one schedule: every job the scheduler runs and how often (APScheduler reads cron hours as Swedish time).
# Each area provides its jobs' functions in its init_app (`provide`); a slot with no function, or a function
# with no slot, stops the scheduler from starting.
SCHEDULE: tuple[Slot, ...] = (
    Slot("outreach.pipeline", "Underrättelser: kontroll, brev och bokningar", "interval", {"minutes": 2}),
    Slot("intake.retry_handoffs", "Överlämningar, nytt försök", "interval", {"minutes": 5}),
    Slot("applications.send_reminders", "Påminnelser om handlingar", "interval", {"minutes": 30}),
    Slot("portal.purge_expired_sessions", "Rensa utgångna inloggningar", "interval", {"minutes": 30}),
    Slot("booking.capacity_warning", "Mottagningens lediga tider: varning till administratörer", "interval",
         {"minutes": 30}),
    Slot("outreach.retention", "Gallring av underrättelser", "cron", {"hour": 2, "minute": 30}),
    Slot("portal.prune_job_runs", "Rensa jobbloggen", "cron", {"hour": 3}),
)


@dataclass(frozen=True)
class JobSpec:
    """A periodic job: id, the function (run inside an app context) and APScheduler trigger arguments."""

    id: str
    func: Callable[[], object]
    trigger: str = "interval"
    trigger_args: dict[str, Any] = field(default_factory=dict)
    label: str = ""


_FUNCTIONS: Registry[tuple[str, Callable[[], object]]] = Registry("jobs", key=lambda entry: entry[0])


def provide(app: Flask, job_id: str, func: Callable[[], object]) -> None:
    """Give the scheduled job `job_id` its function (from the area's init_app); the id must be in SCHEDULE."""
    if job_id not in {slot.id for slot in SCHEDULE}:
        raise ValueError(f"job {job_id!r} is not in portal.jobs.SCHEDULE")
    _FUNCTIONS.add(app, (job_id, func))


def scheduled_jobs(app: Flask | None = None) -> list[JobSpec]:
    """Every job of the schedule with its function, in the schedule's order; raises when one has none."""
    functions = dict(_FUNCTIONS.all(app))
    missing = [slot.id for slot in SCHEDULE if slot.id not in functions]
    if missing:
        raise RuntimeError(f"scheduled jobs without a function: {', '.join(missing)}")
    return [JobSpec(slot.id, functions[slot.id], slot.trigger, slot.trigger_args, slot.label) for slot in SCHEDULE]


class JobRun(Base):
    """One run of one job by one scheduler process."""

    __tablename__ = "job_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(80), index=True)
    worker: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    result: Mapped[str | None] = mapped_column(Text)


def worker_name() -> str:
    """Host and process id: which scheduler process did the work."""
    return f"{socket.gethostname()}:{os.getpid()}"


def run_job(app: Flask, spec: JobSpec) -> None:
    """Run one job in an app context; log and record start, end and failure, never raise into the scheduler."""
    with app.app_context():
        run = JobRun(job_id=spec.id, worker=worker_name(), status="running")
        db.session.add(run)
        db.session.commit()
        log.info("job %s started", spec.id)
        try:
            result = spec.func()
        except Exception:
            db.session.rollback()
            log.exception("job %s failed", spec.id)
            run.status, run.finished_at = "failed", utcnow()
            db.session.commit()
            return
        run.status, run.finished_at, run.result = "ok", utcnow(), None if result is None else str(result)[:2000]
        db.session.commit()
        log.info("job %s finished: %s", spec.id, result)


def last_runs() -> list[JobRun]:
    """The latest run of each job, for the administrator's overview."""
    latest = select(JobRun.job_id, db.func.max(JobRun.id).label("last_id")).group_by(JobRun.job_id).subquery()
    return list(db.session.scalars(select(JobRun).join(latest, JobRun.id == latest.c.last_id)
                                   .order_by(JobRun.job_id)))


def interval_of(spec: JobSpec) -> timedelta:
    """How often the job runs: its interval, or a day for a daily cron job (an hour when only minutes are set)."""
    args = spec.trigger_args
    if spec.trigger == "interval":
        return timedelta(weeks=args.get("weeks", 0), days=args.get("days", 0), hours=args.get("hours", 0),
                         minutes=args.get("minutes", 0), seconds=args.get("seconds", 0))
    if "day_of_week" in args or "day" in args:
        return timedelta(days=7)
    return timedelta(hours=1) if "hour" not in args and "minute" in args else timedelta(days=1)


@dataclass(frozen=True)
class JobStatus:
    """One job on the staff home: when it last ran, how, and whether it is late (no run for twice its interval)."""

    id: str
    label: str
    interval: timedelta
    last: JobRun | None
    late: bool


def job_overview(now: datetime | None = None) -> list[JobStatus]:
    """Every registered job with its latest run; late when it has not started for twice its interval."""
    now = now or utcnow()
    runs = {run.job_id: run for run in last_runs()}
    overview = []
    for spec in scheduled_jobs():
        run = runs.get(spec.id)
        interval = interval_of(spec)
        late = run is None or now - run.started_at > 2 * interval
        overview.append(JobStatus(spec.id, spec.label, interval, run, late))
    return overview


def prune_job_runs(keep_days: int = 30) -> int:
    """Delete run records older than keep_days; the records are operational, not personal data."""
    cutoff = utcnow() - timedelta(days=keep_days)
    result = db.session.execute(db.delete(JobRun).where(JobRun.started_at < cutoff))
    db.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def purge_expired_sessions() -> int:
    """Delete expired sessions from the database store (a session past its time is refused even before)."""
    from portal.sessions import purge_expired

    return purge_expired()


def init_app(app: Flask) -> None:
    """The portal's own housekeeping jobs."""
    provide(app, "portal.prune_job_runs", prune_job_runs)
    provide(app, "portal.purge_expired_sessions", purge_expired_sessions)
