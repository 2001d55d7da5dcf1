"""The audit log is append-only."""

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from portal import audit
from portal.audit import AppendOnlyError, AuditEvent
from portal.db import db
from tests.factories import create_person


def test_an_event_is_written_with_what_it_records(app: Flask) -> None:
    person = create_person()
    audit.record("person.view", person_id=person.id, object_type="person", object_id=person.id)
    db.session.commit()
    event = db.session.scalars(db.select(AuditEvent)).one()
    assert (event.action, event.person_id, event.actor_kind) == ("person.view", person.id, "system")


def test_the_orm_refuses_to_change_an_event(app: Flask) -> None:
    audit.record("x.test")
    db.session.commit()
    event = db.session.scalars(db.select(AuditEvent)).one()
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()


def test_the_database_refuses_to_change_or_delete_an_event(app: Flask) -> None:
    audit.record("x.test")
    db.session.commit()
    for statement in ("UPDATE audit_event SET action = 'changed'", "DELETE FROM audit_event"):
        with pytest.raises(DatabaseError):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.scalars(db.select(AuditEvent.action)).all() == ["x.test"]
