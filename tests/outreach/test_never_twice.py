"""Never twice, never lost: concurrent pipeline processes and a process killed with SIGKILL mid-batch."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from outreach.notices.models import ActionKind, Notice, NoticeAction, Outcome
from outreach.pipeline.run import HANG_AFTER_ENV
from portal.booking.models import Booking, BookingStatus
from portal.db import db
from portal.intake.models import IntakeItem
from portal.letters.models import Letter
from tests.outreach.factories import import_rows, numbered_rows

PORTAL = str(Path(sys.executable).parent / "portal")


def _env(app: Flask, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    env.update({"PORTAL_ENV": "development", "PORTAL_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                "PORTAL_STORAGE_DIR": str(tmp_path / "files"), "PORTAL_STAFF_MFA": "off", "PORTAL_SMTP_URL": "",
                "PORTAL_OUTREACH_BATCH": "5", **extra})
    return env


def _exactly_once(count: int) -> None:
    db.session.commit()  # a fresh snapshot after the other processes' work
    assert db.session.scalar(select(func.count()).select_from(Notice).where(Notice.pipeline_due.is_(True))) == 0
    assert db.session.scalar(select(func.count()).select_from(Notice).where(
        Notice.outcome != Outcome.CONTACTED)) == 0
    items = list(db.session.scalars(select(IntakeItem.source_key)))
    assert len(items) == count and len(set(items)) == count
    per_notice = db.session.execute(
        select(NoticeAction.notice_id, func.count()).where(NoticeAction.kind == ActionKind.INTAKE_ITEM)
        .group_by(NoticeAction.notice_id)).all()
    assert len(per_notice) == count and all(n == 1 for _, n in per_notice)
    linked = db.session.scalar(select(func.count()).select_from(Notice).where(Notice.intake_item_id.is_not(None)))
    assert linked == count
    # One letter and one reception time per notice: never two, none missing.
    letters = list(db.session.scalars(select(Letter.dedup_key)))
    assert len(letters) == count and len(set(letters)) == count
    assert all(key.endswith(":outreach_first") for key in letters)
    bookings = list(db.session.scalars(select(Booking.intake_item_id).where(Booking.status == BookingStatus.BOOKED)))
    assert len(bookings) == count and len(set(bookings)) == count


@pytest.mark.postgres_only
def test_two_pipeline_processes_on_one_database_do_each_notice_exactly_once(app: Flask, backend: str,
                                                                           tmp_path: Path) -> None:
    if backend != "postgresql":
        pytest.skip("row locks (FOR UPDATE SKIP LOCKED) need PostgreSQL")
    import_rows(*numbered_rows(80))
    env = _env(app, tmp_path)
    processes = [subprocess.Popen([PORTAL, "outreach", "run"], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [process.communicate() for process in processes]
    for process, (out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
        assert "Klart" in out
    _exactly_once(80)
    # A third pass finds nothing to do.
    third = subprocess.run([PORTAL, "outreach", "run"], env=env, capture_output=True, text=True, check=True)
    assert "behandlade 0" in third.stdout
    _exactly_once(80)


def test_a_worker_killed_mid_batch_leaves_nothing_done_twice_and_nothing_skipped(app: Flask, tmp_path: Path) -> None:
    import_rows(*numbered_rows(12))
    env = _env(app, tmp_path, **{HANG_AFTER_ENV: "7"})
    with subprocess.Popen([PORTAL, "outreach", "run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True) as worker:
        assert worker.stderr is not None
        for line in worker.stderr:  # wait until it hangs inside its second batch (5 committed, 2 uncommitted)
            if "hanging after 7" in line:
                break
        else:
            pytest.fail("the worker ended without reaching the hook")
        db.session.commit()
        done_before_kill = db.session.scalar(select(func.count()).select_from(Notice).where(
            Notice.pipeline_due.is_(False)))
        assert done_before_kill == 5  # the first batch is committed, the second is not
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
    assert worker.returncode == -signal.SIGKILL
    again = subprocess.run([PORTAL, "outreach", "run"], env=_env(app, tmp_path), capture_output=True, text=True,
                           check=False)
    assert again.returncode == 0, again.stderr
    assert "behandlade 7" in again.stdout
    _exactly_once(12)


@pytest.mark.postgres_only
def test_the_same_file_imported_twice_at_once_stores_each_notice_once(app: Flask, backend: str,
                                                                      tmp_path: Path) -> None:
    if backend != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    from tests.outreach.factories import notice_file

    path = tmp_path / "notices.csv"
    path.write_bytes(notice_file(*numbered_rows(3000)))
    env = _env(app, tmp_path)
    processes = [subprocess.Popen([PORTAL, "notices", "import", str(path)], env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [process.communicate() for process in processes]
    for process, (_, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Notice)) == 3000
    created = sum(int(out.split("Nya: ")[1].split(",")[0]) for out, _ in outputs)
    repeats = sum(int(out.split("upprepningar: ")[1].split(",")[0]) for out, _ in outputs)
    assert (created, repeats) == (3000, 3000)
