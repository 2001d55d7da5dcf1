"""`portal handoff export --out DIR` with no target configured: one file per item, never a duplicate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask

from portal.db import db
from portal.intake.handoff import get_handoff, hand_off_item
from portal.intake.models import HandoffStatus, State
from portal.roles import Role
from tests.factories import create_person, create_staff_user
from tests.intake.factories import create_item


def test_export_writes_waiting_hand_offs_once_and_again_without_duplicates(app: Flask, runner: Any,
                                                                          tmp_path: Path) -> None:
    hanna = create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna")
    ids = []
    for number in ("201701012393", "202503082386"):
        item = create_item(person_id=create_person(personnummer=number).id, state=State.ASSIGNED)
        item.assigned_to_id = hanna.id
        db.session.commit()
        handoff = hand_off_item(item.id, staff=hanna, version=item.version)
        assert handoff.status == HandoffStatus.PENDING  # nowhere configured: it waits for the export
        ids.append((item.id, handoff.handoff_id))
    out = tmp_path / "export"
    result = runner.invoke(args=["handoff", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "2 överlämningar skrivna" in result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{hid}.json" for _, hid in ids)
    result = runner.invoke(args=["handoff", "export", "--out", str(out)])
    assert "0 överlämningar skrivna" in result.output
    result = runner.invoke(args=["handoff", "export", "--out", str(out), "--all"])
    assert "2 överlämningar skrivna" in result.output
    assert len(list(out.iterdir())) == 2
    for item_id, handoff_id in ids:
        document = json.loads((out / f"{handoff_id}.json").read_text(encoding="utf-8"))
        assert document["intake_item_id"] == item_id
        db.session.expire_all()
        assert get_handoff(item_id).status == HandoffStatus.DELIVERED  # type: ignore[union-attr]


def test_the_retry_job_is_registered_for_the_scheduler(app: Flask) -> None:
    from portal.jobs import scheduled_jobs

    spec = next(spec for spec in scheduled_jobs() if spec.id == "intake.retry_handoffs")
    assert spec.trigger == "interval" and spec.func() == "delivered=0 failed=0"
