"""Failure: an error in the middle of a request or a job leaves nothing half-written and shows the 500 page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal import create_app
from portal.db import db
from portal.jobs import JobRun, JobSpec, run_job
from portal.people import Person, Protection
from portal.security import public
from tests.conftest import _test_config
from tests.pages import parse, submit


def test_a_crash_half_way_through_a_request_writes_nothing(app: Flask, client: FlaskClient) -> None:
    @public
    def half_way() -> str:
        db.session.add(Person(personnummer="201701012393", protection=Protection.NONE))
        db.session.flush()
        raise RuntimeError("the disk went away")

    app.add_url_rule("/sv/test-half-way", "half_way", half_way)
    response = client.get("/sv/test-half-way")
    assert response.status_code == 500
    parse(response)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0


def test_database_unreachable_gives_the_500_page(tmp_path: Path) -> None:
    app = create_app(_test_config("postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path))
    client = app.test_client()
    assert client.get("/sv/logga-in").status_code == 200, "pages that need no database still work"
    response = submit(client, "/sv/logga-in", {"personnummer": "201701012393"}, action="/sv/logga-in/utveckling")
    assert response.status_code == 500
    soup = parse(response, lang="sv")
    assert soup.h1.get_text(strip=True) == "Något gick fel hos oss"


def test_a_failing_job_leaves_no_partial_rows_and_runs_again_next_time(app: Flask) -> None:
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        db.session.add(Person(personnummer="201701012393", protection=Protection.NONE))
        db.session.flush()
        if len(attempts) == 1:
            raise ConnectionError("database went away")
        db.session.commit()
        return "done"

    spec = JobSpec(id="test.flaky", func=flaky)
    run_job(app, spec)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    run_job(app, spec)
    statuses: list[Any] = list(db.session.scalars(select(JobRun.status).order_by(JobRun.id)))
    assert statuses == ["failed", "ok"]
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1
