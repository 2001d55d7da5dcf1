"""Claim and release: at most one owner, and the loser of a race is told who has the item."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from portal.db import db
from portal.intake.claims import claim_item, release_item
from portal.intake.models import IntakeEvent, IntakeItem, State
from portal.intake.service import AlreadyClaimed, IntakeError
from portal.roles import Role
from tests.factories import create_person, create_staff_user
from tests.intake.factories import create_item
from tests.pglocks import waiting_for_lock


def test_claiming_a_new_item_takes_it_and_starts_the_review(app: Flask) -> None:
    rita = create_staff_user(email="rita@example.org", name="Rita")
    item = create_item(person_id=create_person().id)
    claim_item(item.id, staff=rita)
    db.session.expire_all()
    item = db.session.get(IntakeItem, item.id)
    assert item is not None and item.claimed_by_id == rita.id and item.state == State.IN_REVIEW
    assert [e.kind for e in item.events] == ["created", "claimed"]


def test_second_claimant_is_told_who_has_it(app: Flask) -> None:
    rita = create_staff_user(email="rita@example.org", name="Rita")
    olle = create_staff_user(email="olle@example.org", name="Olle")
    item = create_item()
    claim_item(item.id, staff=rita)
    with pytest.raises(AlreadyClaimed, match="Rita") as caught:
        claim_item(item.id, staff=olle)
    assert caught.value.holder == "Rita"
    db.session.expire_all()
    assert db.session.get(IntakeItem, item.id).claimed_by_id == rita.id  # type: ignore[union-attr]


def test_claiming_again_by_the_holder_is_harmless(app: Flask) -> None:
    rita = create_staff_user(email="rita@example.org", name="Rita")
    item = create_item()
    claim_item(item.id, staff=rita)
    claim_item(item.id, staff=rita)
    count = db.session.scalar(select(func.count()).select_from(IntakeEvent).where(IntakeEvent.kind == "claimed"))
    assert count == 1


def test_only_the_holder_releases_unless_a_coordinator_forces_it(app: Flask) -> None:
    rita = create_staff_user(email="rita@example.org", name="Rita")
    olle = create_staff_user(email="olle@example.org", name="Olle")
    sam = create_staff_user(email="sam@example.org", name="Sam", role=Role.COORDINATOR)
    item = create_item()
    claimed = claim_item(item.id, staff=rita)
    with pytest.raises(IntakeError, match="Bara den som har tagit"):
        release_item(item.id, staff=olle, version=claimed.version)
    released = release_item(item.id, staff=sam, version=claimed.version, force=True)
    assert released.claimed_by_id is None
    assert released.events[-1].detail == "tidigare hos Rita, tillbaka till ”Ny”"
    claim_item(item.id, staff=olle)


def test_releasing_returns_the_item_to_the_state_it_had_before_it_was_claimed(app: Flask) -> None:
    rita = create_staff_user(email="rita@example.org", name="Rita")
    item = create_item()
    claimed = claim_item(item.id, staff=rita)
    assert claimed.state == State.IN_REVIEW
    released = release_item(item.id, staff=rita, version=claimed.version)
    assert released.state == State.NEW and released.claimed_by_id is None  # not "Granskas" with nobody on it
    assert released.events[-1].detail == "tillbaka till ”Ny”"
    # An item claimed while it waits for the resident keeps that state: claiming did not change it.
    waiting = create_item(state=State.WAITING_FOR_RESIDENT)
    claimed = claim_item(waiting.id, staff=rita)
    released = release_item(waiting.id, staff=rita, version=claimed.version)
    assert released.state == State.WAITING_FOR_RESIDENT and released.events[-1].detail == ""


def test_release_with_a_stale_version_is_refused(app: Flask) -> None:
    rita = create_staff_user(email="rita@example.org", name="Rita")
    item = create_item()
    stale_version = item.version
    claim_item(item.id, staff=rita)
    with pytest.raises(IntakeError, match="Någon annan har ändrat"):
        release_item(item.id, staff=rita, version=stale_version)


def test_a_closed_item_cannot_be_claimed(app: Flask) -> None:
    rita = create_staff_user(email="rita@example.org", name="Rita")
    item = create_item(state=State.CLOSED)
    with pytest.raises(IntakeError, match="avslutat"):
        claim_item(item.id, staff=rita)


@pytest.mark.postgres_only
def test_two_concurrent_claims_have_exactly_one_winner(app: Flask, backend: str) -> None:
    """Transaction A updates the row and holds it until B is blocked on the row lock; then A commits and B,
    re-reading the row, finds it taken and is told by whom."""
    if backend != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    rita = create_staff_user(email="rita@example.org", name="Rita")
    olle = create_staff_user(email="olle@example.org", name="Olle")
    item_id = create_item().id
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    a_has_updated = threading.Event()
    outcome: dict[str, Any] = {}

    def hold_until_b_waits(session: Any) -> None:
        a_has_updated.set()
        deadline = time.monotonic() + 20
        while not waiting_for_lock(url) and time.monotonic() < deadline:
            time.sleep(0.05)
        outcome["b_was_blocked"] = waiting_for_lock(url)

    def run_a() -> None:
        with app.app_context():
            event.listen(db.session(), "before_commit", hold_until_b_waits, once=True)
            staff = db.session.get(type(rita), rita.id)
            try:
                outcome["a"] = claim_item(item_id, staff=staff).claimed_by_id  # type: ignore[arg-type]
            except IntakeError as error:
                outcome["a"] = error
            db.session.remove()

    def run_b() -> None:
        a_has_updated.wait(20)
        with app.app_context():
            staff = db.session.get(type(olle), olle.id)
            try:
                outcome["b"] = claim_item(item_id, staff=staff).claimed_by_id  # type: ignore[arg-type]
            except IntakeError as error:
                outcome["b"] = error
            db.session.remove()

    threads = [threading.Thread(target=run_a), threading.Thread(target=run_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcome["b_was_blocked"], "B never waited on A's row lock: the test did not overlap"
    assert outcome["a"] == rita.id
    assert isinstance(outcome["b"], AlreadyClaimed) and outcome["b"].holder == "Rita"
    db.session.expire_all()
    assert db.session.get(IntakeItem, item_id).claimed_by_id == rita.id  # type: ignore[union-attr]


@pytest.mark.postgres_only
def test_many_simultaneous_claims_have_one_winner(app: Flask, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    users = [create_staff_user(email=f"s{i}@example.org", name=f"S{i}") for i in range(6)]
    item_id = create_item().id
    barrier = threading.Barrier(len(users))
    results: list[Any] = []
    lock = threading.Lock()

    def run(user_id: int) -> None:
        with app.app_context():
            from portal.staff.models import StaffUser

            staff = db.session.get(StaffUser, user_id)
            barrier.wait(20)
            try:
                outcome: Any = claim_item(item_id, staff=staff).claimed_by_id  # type: ignore[arg-type]
            except AlreadyClaimed as error:
                outcome = error
            with lock:
                results.append(outcome)
            db.session.remove()

    threads = [threading.Thread(target=run, args=(user.id,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    winners = [r for r in results if isinstance(r, int)]
    losers = [r for r in results if isinstance(r, AlreadyClaimed)]
    assert len(winners) == 1 and len(losers) == len(users) - 1
    winner_name = next(u.name for u in users if u.id == winners[0])
    assert all(loser.holder == winner_name for loser in losers)
    count = db.session.scalar(select(func.count()).select_from(IntakeEvent).where(IntakeEvent.kind == "claimed"))
    assert count == 1
