"""The audit hash chain, the monthly review and the subject-access export."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import text

from portal import audit, clock
from portal.audit_review import month_report
from portal.clock import local_today
from portal.db import db
from portal.people import Protection
from tests.factories import create_person


def _events(count: int, person_id: int | None = None, actor: tuple[str, int | None, str] | None = None) -> None:
    for n in range(count):
        audit.record("person.view", person_id=person_id, object_type="person", object_id=n,
                     actor=actor or ("staff", 1, "rita@example.org"))
        db.session.commit()


def _bypass_triggers(app: Flask, statement: str) -> None:
    """What a person with database access could do around the product."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("SET session_replication_role = replica"))
            conn.execute(text(statement))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER audit_event_no_update"))
            conn.execute(text("DROP TRIGGER audit_event_no_delete"))
            conn.execute(text(statement))


def test_an_untouched_chain_verifies(runner: Any, app: Flask) -> None:
    _events(5)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "5 händelser" in result.output


def test_an_edited_event_is_detected(runner: Any, app: Flask) -> None:
    _events(5)
    _bypass_triggers(app, "UPDATE audit_event SET actor_label = 'someone else' WHERE chain_seq = 3")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0
    assert "händelse 3" in result.output


def test_a_deleted_event_is_detected(runner: Any, app: Flask) -> None:
    _events(5)
    _bypass_triggers(app, "DELETE FROM audit_event WHERE chain_seq = 2")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code != 0
    assert "saknas" in result.output or "missing" in result.output


def test_deleting_the_newest_events_is_detected(runner: Any, app: Flask) -> None:
    _events(5)
    _bypass_triggers(app, "DELETE FROM audit_event WHERE chain_seq >= 4")
    assert runner.invoke(args=["audit", "verify"]).exit_code != 0


def test_monthly_report_counts_reads_and_lists_protected_identities(runner: Any, app: Flask) -> None:
    ordinary = create_person(personnummer="201701012393")
    protected = create_person(personnummer="202503082386", protection=Protection.PROTECTED_REGISTRATION)
    _events(3, person_id=ordinary.id)
    _events(1, person_id=protected.id, actor=("staff", 2, "sam@example.org"))
    report = month_report(local_today().strftime("%Y-%m"))
    by_actor = {a.actor_label: a for a in report.actors}
    assert (by_actor["rita@example.org"].reads, by_actor["rita@example.org"].persons) == (3, 1)
    assert by_actor["sam@example.org"].protected_reads == 1
    assert [(label, pid) for _, label, _, pid in report.protected] == [("sam@example.org", protected.id)]
    result = runner.invoke(args=["audit", "report", "--month", local_today().strftime("%Y-%m")])
    assert result.exit_code == 0
    assert "sam@example.org" in result.output


def test_person_export_holds_the_person_and_the_access_log(runner: Any, app: Flask) -> None:
    person = create_person(personnummer="201701012393", name="Amina Hassan")
    _events(2, person_id=person.id)
    result = runner.invoke(args=["person", "export", "20170101-2393"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["person"]["name"] == "Amina Hassan"
    assert len(data["access_log"]) == 2


def test_admin_review_page_shows_the_month_and_is_itself_logged(client: Any, app: Flask) -> None:
    from portal.audit import AuditEvent
    from portal.roles import Role
    from tests.factories import PASSWORD, create_staff_user
    from tests.pages import get_page, login_staff

    person = create_person(personnummer="201701012393")
    _events(2, person_id=person.id)
    create_staff_user(email="admin@example.org", role=Role.ADMIN)
    login_staff(client, "admin@example.org", PASSWORD)
    soup = get_page(client, "/staff/atkomstlogg/")
    assert "rita@example.org" in soup.get_text()
    assert "Loggkedjan är hel" in soup.get_text()
    assert db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "audit.review")) is not None
    assert client.get("/staff/atkomstlogg/?month=nonsense").status_code == 400


def test_events_recorded_at_once_by_several_connections_form_one_unforked_chain(app: Flask) -> None:
    import threading

    writers, each = 4, 15
    start = threading.Barrier(writers)
    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with app.app_context():  # its own session and connection
                start.wait()
                for i in range(each):
                    audit.record("person.view", object_type="person", object_id=f"{n}-{i}",
                                 actor=("staff", n, f"writer{n}@example.org"))
                    db.session.commit()
                db.session.remove()
        except BaseException as error:  # reported below, with the chain's state
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    db.session.commit()  # a fresh snapshot
    checked, problems = audit.verify_chain()
    assert problems == [] and checked == writers * each
    assert sorted(db.session.scalars(db.select(audit.AuditEvent.chain_seq))) == list(range(1, writers * each + 1))


def test_a_read_in_the_first_half_hour_of_a_month_in_sweden_counts_in_that_month(app: Flask) -> None:
    """UTC is still in December then; the administrator reviewing January must see it in January."""
    person = create_person(personnummer="201701012393")
    with clock.travel(datetime(2027, 1, 1, 0, 30, tzinfo=clock.LOCAL_TZ)):
        _events(1, person_id=person.id)
    assert [actor.reads for actor in month_report("2027-01").actors] == [1]
    assert month_report("2026-12").actors == []
