"""Hand-off to the case system (FORMATS.md §5): folder and URL targets, stable ids, retry, the CLI."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from portal.db import db
from portal.intake.handoff import get_handoff, hand_off_item, retry_handoffs
from portal.intake.models import HandoffStatus, IntakeItem, State
from portal.intake.service import IntakeError
from portal.roles import Role
from portal.staff.models import StaffUser
from tests.factories import create_person, create_staff_user
from tests.intake.factories import create_item


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.headers["Idempotency-Key"], json.loads(body)))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver_port() -> int:
    return _free_port()


def _serve(port: int) -> Iterator[ThreadingHTTPServer]:
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", port), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _assigned_item(caseworker: StaffUser) -> IntakeItem:
    person = create_person(name="Mariam Tesfaye", language="ti")
    person.email, person.phone = "mariam@example.org", "070-111 22 33"
    person.interpreter_needed = True  # held on the person (portal.interpreter), not on the item
    item = create_item(person_id=person.id, state=State.ASSIGNED)
    item.assigned_to_id = caseworker.id
    db.session.commit()
    return item


@pytest.fixture
def app_config(tmp_path: Path, receiver_port: int) -> dict[str, Any]:
    return {"HANDOFF_DIR": str(tmp_path / "handoff"), "HANDOFF_URL": f"http://127.0.0.1:{receiver_port}/cases"}


def test_hand_off_writes_one_document_and_posts_it_with_a_stable_id(app: Flask, tmp_path: Path,
                                                                   receiver_port: int) -> None:
    hanna = create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna")
    item = _assigned_item(hanna)
    for _server in _serve(receiver_port):
        handoff = hand_off_item(item.id, staff=hanna, version=item.version)
        again = hand_off_item(item.id, staff=hanna, version=None)
        assert again.id == handoff.id
        assert handoff.status == HandoffStatus.DELIVERED
        assert [key for key, _ in _Receiver.received] == [handoff.handoff_id]
    files = sorted((tmp_path / "handoff").iterdir())
    assert [f.name for f in files] == [f"{handoff.handoff_id}.json"]
    document = json.loads(files[0].read_text(encoding="utf-8"))
    assert document["id"] == handoff.handoff_id
    assert document["person"] == {"personnummer": "201701012393", "name": "Mariam Tesfaye",
                                  "email": "mariam@example.org", "phone": "070-111 22 33", "language": "ti",
                                  "interpreter_needed": True, "interpreter_language": "ti",
                                  "protected_identity": False}
    assert document["assigned_to"]["name"] == "Hanna"
    assert [entry["kind"] for entry in document["history"]][:2] == ["created", "handed_over"]
    assert _Receiver.received[0][1]["id"] == handoff.handoff_id


def test_a_target_that_is_down_leaves_the_item_marked_for_retry(app: Flask, tmp_path: Path,
                                                                 receiver_port: int) -> None:
    hanna = create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna")
    item = _assigned_item(hanna)
    handoff = hand_off_item(item.id, staff=hanna, version=item.version)
    assert handoff.status == HandoffStatus.RETRY and handoff.attempts == 1
    assert "ConnectionError" in (handoff.last_error or "")
    db.session.expire_all()
    assert db.session.get(IntakeItem, item.id).state == State.HANDED_OVER  # type: ignore[union-attr]
    for _server in _serve(receiver_port):
        assert retry_handoffs() == "delivered=1 failed=0"
        assert retry_handoffs() == "delivered=0 failed=0"
        assert len(_Receiver.received) == 1
    db.session.expire_all()
    handoff = get_handoff(item.id)  # type: ignore[assignment]
    assert handoff.status == HandoffStatus.DELIVERED and handoff.attempts == 2
    assert len(list((tmp_path / "handoff").glob("*.json"))) == 1
    assert not list((tmp_path / "handoff").glob(".tmp-*"))


def test_only_assigned_items_are_handed_over(app: Flask) -> None:
    rita = create_staff_user(email="rita@example.org")
    item = create_item(state=State.IN_REVIEW)
    with pytest.raises(IntakeError, match="fördelade"):
        hand_off_item(item.id, staff=rita, version=item.version)
    assert get_handoff(item.id) is None


@pytest.mark.postgres_only
def test_two_simultaneous_hand_offs_make_one_document(app: Flask, backend: str, tmp_path: Path) -> None:
    if backend != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from sqlalchemy import func, select

    from portal.intake.models import Handoff

    hanna = create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna")
    item = _assigned_item(hanna)
    item_id, version = item.id, item.version
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def run() -> None:
        with app.app_context():
            staff = db.session.get(StaffUser, hanna.id)
            barrier.wait(20)
            try:
                outcomes.append(hand_off_item(item_id, staff=staff, version=version).handoff_id)  # type: ignore[arg-type]
            except IntakeError as error:
                outcomes.append(error)
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(outcomes) == 2
    assert db.session.scalar(select(func.count()).select_from(Handoff)) == 1
    assert len(list((tmp_path / "handoff").glob("*.json"))) == 1
