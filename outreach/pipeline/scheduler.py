"""The scheduler process: APScheduler running every job of the schedule, each in its own app context.

Jobs have explicit ids, replace_existing, max_instances=1 and coalesce, so a restart re-registers harmlessly
and a slow run is never stacked on itself. Several scheduler processes may run against one PostgreSQL:
correctness comes from claims and unique constraints in the jobs, not from there being one scheduler.
"""

from __future__ import annotations

import logging
import signal
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from portal.jobs import run_job, scheduled_jobs
from portal.pdf import settle_for_batches

log = logging.getLogger("outreach.scheduler")


def build_scheduler(app: Flask) -> BlockingScheduler:
    """A scheduler with every job of the schedule (portal.jobs.SCHEDULE)."""
    scheduler = BlockingScheduler(timezone="Europe/Stockholm")
    for spec in scheduled_jobs(app):
        scheduler.add_job(run_job, spec.trigger, args=[app, spec], id=spec.id, name=spec.id,
                          replace_existing=True, max_instances=1, coalesce=True, **spec.trigger_args)
    return scheduler


def run_forever(app: Flask) -> None:
    """Run until SIGTERM or SIGINT, then let the running job finish and stop."""
    scheduler = build_scheduler(app)
    settle_for_batches()

    def stop(signum: int, frame: FrameType | None) -> None:
        # Ctrl-C reaches the whole process group, and `portal dev` then sends SIGTERM as well: stop once.
        if scheduler.running:
            log.info("scheduler stopping (signal %s)", signum)
            scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler started with jobs: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    scheduler.start()
