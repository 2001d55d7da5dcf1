"""Demo data and the scheduler's job machinery."""

from flask import Flask

from outreach.pipeline.scheduler import build_scheduler
from portal.db import db
from portal.jobs import REGISTRY, JobRun, JobSpec, run_job
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


def test_scheduler_registers_every_job_once_with_safe_options(app: Flask) -> None:
    scheduler = build_scheduler(app)
    jobs = scheduler.get_jobs()
    assert sorted(job.id for job in jobs) == sorted(spec.id for spec in REGISTRY)
    assert all(job.max_instances == 1 and job.coalesce for job in jobs)


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
