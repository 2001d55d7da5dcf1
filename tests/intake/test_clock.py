"""The deadline clock on stored items: documents complete, waiting, resuming, legal deadlines, recomputing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask

from portal.clock import LOCAL_TZ
from portal.db import db
from portal.intake.models import NO_DEADLINE, IntakeItem, Source, State
from portal.intake.service import resume, set_documents_complete, set_legal_deadline, wait_for_resident
from tests.intake.factories import create_item

MONDAY = datetime(2026, 12, 14, 9, tzinfo=LOCAL_TZ)


def test_documents_complete_starts_the_decision_clock_and_waiting_pauses_it(app: Flask) -> None:
    item = create_item(source=Source.E_APPLICATION, received_at=MONDAY)
    assert item.due_on == date(2027, 1, 11)  # only the overall limit: 15 working days after 14 Dec
    set_documents_complete(item, on=date(2026, 12, 15), actor_label="system")
    db.session.commit()
    assert item.due_on == date(2026, 12, 22)  # 5 working days after 15 Dec
    wait_for_resident(item, actor="Rita", detail="nytt kontoutdrag", today=date(2026, 12, 16))
    db.session.commit()
    assert item.state == State.WAITING_FOR_RESIDENT and item.due_on == date(2027, 1, 11)
    resume(item, actor="Rita", today=date(2026, 12, 21))
    db.session.commit()
    # 17, 18 and 21 Dec were spent waiting: the decision moves three working days, over Christmas.
    assert item.paused_working_days == 3 and item.due_on == date(2026, 12, 29)
    assert [e.kind for e in item.events] == ["created", "documents_complete", "waiting", "resumed"]


def test_complete_documents_end_the_wait(app: Flask) -> None:
    item = create_item(source=Source.E_APPLICATION, received_at=MONDAY)
    wait_for_resident(item, actor="Rita", detail="saknar hyresavtal", today=date(2026, 12, 15))
    set_documents_complete(item, on=date(2026, 12, 17), actor_label="system")
    db.session.commit()
    assert item.state == State.IN_REVIEW and item.due_on == date(2026, 12, 28)


def test_a_corrected_notice_moves_the_legal_deadline(app: Flask) -> None:
    item = create_item(source=Source.OUTREACH, received_at=MONDAY, legal_deadline=date(2026, 12, 28))
    assert item.due_on == date(2026, 12, 28)
    set_legal_deadline(item, deadline=date(2027, 1, 11), actor_label="outreach")
    db.session.commit()
    assert item.due_on == date(2027, 1, 11) and item.events[-1].kind == "legal_deadline"


def test_recompute_command_applies_new_settings(app: Flask, runner: Any) -> None:
    item = create_item(received_at=MONDAY)
    db.session.execute(db.update(IntakeItem).values(due_on=NO_DEADLINE, warn_on=NO_DEADLINE))
    db.session.commit()
    result = runner.invoke(args=["intake", "recompute-deadlines"])
    assert "1 ärenden fick en ny frist." in result.output
    db.session.expire_all()
    assert db.session.get(IntakeItem, item.id).due_on == date(2027, 1, 11)  # type: ignore[union-attr]
