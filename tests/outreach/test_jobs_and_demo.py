"""The scheduled jobs, the `portal outreach run` and `portal retention run` commands, and the demo notices."""

from __future__ import annotations

from typing import Any

from flask import Flask

from outreach.demo.samples import load_demo
from outreach.notices.known_clients import register_size
from outreach.notices.models import Outcome
from outreach.pipeline.jobs import pipeline_job, retention_job
from portal.jobs import scheduled_jobs
from tests.outreach.factories import import_rows, notice_by_reference, row


def test_pipeline_and_retention_are_registered_jobs(app: Flask) -> None:
    ids = {spec.id for spec in scheduled_jobs()}
    assert {"outreach.pipeline", "outreach.retention"} <= ids
    import_rows(row(referens="JOB-1"))
    assert "behandlade 1" in pipeline_job()
    assert "behandlade 0" in pipeline_job()
    assert retention_job() == 0


def test_commands_run_one_pass_and_retention(app: Flask, runner: Any) -> None:
    import_rows(row(referens="CMD-1"))
    first = runner.invoke(args=["outreach", "run"])
    assert first.exit_code == 0 and "behandlade 1" in first.output
    assert "behandlade 0" in runner.invoke(args=["outreach", "run"]).output
    assert "Gallrade underrättelser: 0" in runner.invoke(args=["retention", "run"]).output


def test_demo_notices_show_every_path(app: Flask) -> None:
    load_demo()
    load_demo()  # the same files again: nothing new
    assert register_size() == 2
    pipeline_job()
    assert notice_by_reference("DEMO-0412").outcome == Outcome.SUPERSEDED
    assert notice_by_reference("DEMO-0412-B").outcome == Outcome.CONTACTED
    assert notice_by_reference("DEMO-0413").outcome == Outcome.KNOWN_CLIENT
    assert notice_by_reference("DEMO-0430").outcome == Outcome.MANUAL  # protected identity on the notice
    assert notice_by_reference("DEMO-0420").escalated_at is not None  # Kronofogden on the same flat
    assert notice_by_reference("KFM-DEMO-2").outcome == Outcome.CONTACTED
