"""Demo data and the scheduler's job machinery."""

import re
from datetime import timedelta

import pytest
from flask import Flask

from outreach.pipeline.scheduler import build_scheduler
from portal import jobs
from portal.db import db
from portal.jobs import JobRun, JobSpec, run_job
from portal.roles import Role
from portal.staff.models import StaffUser


def test_demo_load_creates_every_role_once(runner: object, app: Flask) -> None:
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    roles = set(db.session.scalars(db.select(StaffUser.role)))
    assert roles == set(Role)
    second = runner.invoke(args=["demo", "load"])
    assert "redan data" in second.output
    assert db.session.scalar(db.select(db.func.count()).select_from(StaffUser)) == len(roles) + 1


def test_scheduler_runs_exactly_these_jobs_at_these_times_with_safe_options(app: Flask) -> None:
    scheduler = build_scheduler(app)
    scheduled = {job.id: job for job in scheduler.get_jobs()}
    intervals = {job_id: job.trigger.interval for job_id, job in scheduled.items() if hasattr(job.trigger, "interval")}
    assert intervals == {"outreach.pipeline": timedelta(minutes=2), "intake.retry_handoffs": timedelta(minutes=5),
                         "applications.send_reminders": timedelta(minutes=30),
                         "portal.purge_expired_sessions": timedelta(minutes=30),
                         "booking.capacity_warning": timedelta(minutes=30)}
    daily = {job_id: {field.name: str(field) for field in job.trigger.fields if field.name in ("hour", "minute")}
             for job_id, job in scheduled.items() if job_id not in intervals}
    assert daily == {"outreach.retention": {"hour": "2", "minute": "30"},
                     "portal.prune_job_runs": {"hour": "3", "minute": "0"}}
    assert all(job.max_instances == 1 and job.coalesce for job in scheduled.values())
    assert all(str(job.trigger.timezone) == "Europe/Stockholm" for job in scheduled.values())


def test_each_scheduled_job_has_exactly_one_function_and_every_function_a_place_in_the_schedule(app: Flask) -> None:
    with pytest.raises(ValueError, match="registered twice"):
        jobs.provide(app, "outreach.pipeline", lambda: None)
    with pytest.raises(ValueError, match=re.escape("not in portal.jobs.SCHEDULE")):
        jobs.provide(app, "outreach.unscheduled", lambda: None)
    bare = Flask("bare")
    jobs.init_app(bare)  # the portal's own jobs only: the areas' jobs have no function
    with pytest.raises(RuntimeError, match=re.escape("without a function: outreach.pipeline, intake.retry_handoffs")):
        jobs.scheduled_jobs(bare)


def test_a_failing_job_is_recorded_and_does_not_raise(app: Flask) -> None:
    def broken() -> None:
        raise RuntimeError("boom")

    run_job(app, JobSpec(id="test.broken", func=broken))
    run_job(app, JobSpec(id="test.ok", func=lambda: 3))
    runs = {run.job_id: run for run in db.session.scalars(db.select(JobRun))}
    assert runs["test.broken"].status == "failed"
    assert (runs["test.ok"].status, runs["test.ok"].result) == ("ok", "3")


def test_a_rendering_process_settles_its_garbage_collector() -> None:
    """`portal worker` freezes its startup heap and collects young objects in larger rounds (in a child process:
    the test process keeps its own collector)."""
    import subprocess
    import sys

    script = ("import gc; from portal.pdf import settle_for_batches; settle_for_batches(); "
              "print(gc.get_freeze_count() > 1000, gc.get_threshold()[0])")
    output = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert output.split() == ["True", "10000"]
