"""The staff home shows when the scheduler last ran each job, and warns when a job has not run for twice its
interval (issue 27 point 8)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from portal.db import db, utcnow
from portal.jobs import JobRun, interval_of, job_overview, scheduled_jobs
from portal.roles import Role
from tests.factories import PASSWORD, create_staff_user
from tests.pages import get_page, login_staff


def test_intervals_are_read_from_the_triggers(app: Flask) -> None:
    specs = {spec.id: spec for spec in scheduled_jobs()}
    assert interval_of(specs["outreach.pipeline"]) == timedelta(minutes=2)
    assert interval_of(specs["portal.prune_job_runs"]) == timedelta(days=1)


def test_the_home_shows_each_jobs_last_run_and_warns_when_one_is_late(app: Flask, client: FlaskClient) -> None:
    now = utcnow()
    for spec in scheduled_jobs():
        db.session.add(JobRun(job_id=spec.id, worker="test:1", started_at=now - timedelta(seconds=30),
                              finished_at=now, status="ok"))
    db.session.commit()
    assert not any(job.late for job in job_overview())
    user = create_staff_user(role=Role.RECEPTION)
    login_staff(client, user.email, PASSWORD)
    page = get_page(client, "/staff/")
    rows = page.select("#jobs-title ~ .table-scroll table tbody tr")
    assert len(rows) == len(scheduled_jobs()) and all("klart" in row.get_text() for row in rows)
    assert page.select_one("[role=alert]") is None
    # The pipeline runs every 2 minutes: 5 minutes without a run is more than twice that.
    db.session.add(JobRun(job_id="outreach.pipeline", worker="test:1", started_at=now - timedelta(minutes=5),
                          status="failed"))
    db.session.execute(db.delete(JobRun).where(JobRun.job_id == "outreach.pipeline", JobRun.status == "ok"))
    db.session.commit()
    late = [job.id for job in job_overview()]
    assert [job.id for job in job_overview() if job.late] == ["outreach.pipeline"] and late
    page = get_page(client, "/staff/")
    alert = page.select_one("[role=alert]")
    assert alert is not None and "Underrättelser: kontroll, brev och bokningar" in alert.get_text()
    assert "misslyckades" in page.get_text() and "(försenat)" in page.get_text()
