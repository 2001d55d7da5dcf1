"""The intake meeting: the board, assigning one or several items, the meeting record, caseworkers' loads."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.db import db
from portal.intake.meeting import Assignment, assign_items, get_board, list_caseworkers
from portal.intake.models import IntakeItem, MeetingDecision, State
from portal.intake.service import IntakeError, StaleItem
from portal.roles import Role
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.intake.factories import create_item
from tests.pages import get_page, login_staff


def test_board_lists_ready_items_and_each_caseworkers_open_cases(app: Flask) -> None:
    hanna = create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna")
    create_staff_user(email="hugo@example.org", role=Role.CASEWORKER, name="Hugo")
    ready = create_item(state=State.READY_FOR_ASSIGNMENT)
    create_item(state=State.IN_REVIEW)
    held = create_item(state=State.ASSIGNED)
    held.assigned_to_id = hanna.id
    db.session.commit()
    board = get_board()
    assert [i.id for i in board.items] == [ready.id] and board.ready_count == 1
    assert [(load.user.name, load.open_cases) for load in board.caseworkers] == [("Hanna", 1), ("Hugo", 0)]
    assert [load.recent for load in board.caseworkers] == [0, 0]  # assigned before the portal knew when


def test_assigning_several_at_once_records_who_decided_at_which_meeting(app: Flask) -> None:
    sam = create_staff_user(email="sam@example.org", role=Role.COORDINATOR, name="Sam")
    hanna = create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna")
    hugo = create_staff_user(email="hugo@example.org", role=Role.CASEWORKER, name="Hugo")
    a, b = create_item(state=State.READY_FOR_ASSIGNMENT), create_item(state=State.READY_FOR_ASSIGNMENT)
    meeting = assign_items([Assignment(a.id, a.version, hanna.id), Assignment(b.id, b.version, hugo.id)], staff=sam)
    decisions = db.session.scalars(db.select(MeetingDecision).order_by(MeetingDecision.id)).all()
    assert [(d.meeting_id, d.item_id, d.caseworker_id, d.decided_by_id) for d in decisions] == [
        (meeting.id, a.id, hanna.id, sam.id), (meeting.id, b.id, hugo.id, sam.id)]
    assert {(load.user.name, load.open_cases, load.recent) for load in list_caseworkers()} == {
        ("Hanna", 1, 1), ("Hugo", 1, 1)}
    db.session.expire_all()
    assert db.session.get(IntakeItem, a.id).state == State.ASSIGNED  # type: ignore[union-attr]


def test_assignment_is_all_or_nothing(app: Flask) -> None:
    sam = create_staff_user(email="sam@example.org", role=Role.COORDINATOR, name="Sam")
    hanna = create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna")
    a, b = create_item(state=State.READY_FOR_ASSIGNMENT), create_item(state=State.READY_FOR_ASSIGNMENT)
    with pytest.raises(StaleItem):
        assign_items([Assignment(a.id, a.version, hanna.id), Assignment(b.id, b.version - 1, hanna.id)], staff=sam)
    with pytest.raises(IntakeError, match="Välj en handläggare ur listan"):
        assign_items([Assignment(a.id, a.version, sam.id)], staff=sam)
    db.session.expire_all()
    assert db.session.get(IntakeItem, a.id).state == State.READY_FOR_ASSIGNMENT  # type: ignore[union-attr]
    assert db.session.scalars(db.select(MeetingDecision)).all() == []


def test_coordinator_assigns_one_row_from_the_board_and_reads_the_record(app: Flask, client: FlaskClient) -> None:
    create_staff_user(email="sam@example.org", role=Role.COORDINATOR, name="Sam")
    hanna = create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna")
    person = create_person(name="Karim Haddad")
    a = create_item(state=State.READY_FOR_ASSIGNMENT, person_id=person.id)
    b = create_item(state=State.READY_FOR_ASSIGNMENT)
    login_staff(client, "sam@example.org", PASSWORD)
    soup = get_page(client, "/staff/intag/mote")
    token = soup.find("input", attrs={"name": "csrf_token"})["value"]  # type: ignore[index]
    # Both rows have a caseworker chosen, but only row a's own button is pressed.
    response = client.post("/staff/intag/mote", data={
        "csrf_token": token, f"cw-{a.id}": str(hanna.id), f"v-{a.id}": str(a.version),
        f"cw-{b.id}": str(hanna.id), f"v-{b.id}": str(b.version), "only": str(a.id)}, follow_redirects=True)
    assert "1 ärende är fördelat." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(IntakeItem, a.id).assigned_to_id == hanna.id  # type: ignore[union-attr]
    assert db.session.get(IntakeItem, b.id).state == State.READY_FOR_ASSIGNMENT  # type: ignore[union-attr]
    soup = get_page(client, "/staff/intag/moten")
    link = soup.select_one("main li a")
    assert link is not None
    record = get_page(client, link["href"]).get_text(" ", strip=True)
    assert "Karim Haddad" in record and "Hanna" in record and "Sam" in record
    client.post("/staff/logout")
    login_staff(client, "hanna@example.org", PASSWORD)
    assert "Karim Haddad" in get_page(client, "/staff/intag/mina").get_text()


def test_reception_cannot_assign(app: Flask, client: FlaskClient) -> None:
    create_staff_user(email="rita@example.org", role=Role.RECEPTION)
    login_staff(client, "rita@example.org", PASSWORD)
    assert client.get("/staff/intag/mote").status_code == 403
