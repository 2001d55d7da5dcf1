"""The queue: filters, deadline order, keyset pages, capped counts, and the audit log of who saw whom."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.clock import LOCAL_TZ
from portal.db import db
from portal.intake.deadlines import DeadlineState
from portal.intake.models import Source, State, Urgency
from portal.intake.queue import Cursor, QueueFilter, count_matching, list_queue
from portal.roles import Role
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.intake.factories import create_item
from tests.pages import get_page, login_staff


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=LOCAL_TZ)


def test_queue_is_sorted_by_deadline_and_pages_follow_on(app: Flask) -> None:
    today = date(2026, 12, 1)
    items = [create_item(received_at=_at(today - timedelta(days=offset))) for offset in (0, 9, 3, 12, 6)]
    first = list_queue(QueueFilter(), today=today, page_size=2)
    assert first.count == 5 and not first.count_capped
    assert [i.id for i in first.items] == [items[3].id, items[1].id]
    second = list_queue(QueueFilter(), today=today, cursor=first.next_cursor, page_size=2)
    third = list_queue(QueueFilter(), today=today, cursor=second.next_cursor, page_size=2)
    assert [i.id for i in second.items] == [items[4].id, items[2].id]
    assert [i.id for i in third.items] == [items[0].id] and third.next_cursor is None


def test_items_without_deadline_come_last(app: Flask) -> None:
    without = create_item(source=Source.OUTREACH)
    with_deadline = create_item(source=Source.OUTREACH, legal_deadline=date(2026, 12, 20))
    page = list_queue(QueueFilter(), today=date(2026, 12, 1))
    assert [i.id for i in page.items] == [with_deadline.id, without.id]


def test_filters_by_source_state_urgency_and_deadline(app: Flask) -> None:
    today = date(2026, 12, 10)
    phone = create_item(source=Source.PHONE, received_at=_at(date(2026, 12, 9)))
    food = create_item(source=Source.WALK_IN, urgency=Urgency.NO_MONEY_FOR_FOOD, received_at=_at(today))
    late = create_item(source=Source.OUTREACH, legal_deadline=date(2026, 12, 8), received_at=_at(date(2026, 11, 20)))
    ready = create_item(source=Source.E_APPLICATION, state=State.READY_FOR_ASSIGNMENT,
                        received_at=_at(date(2026, 12, 9)))
    closed = create_item(state=State.CLOSED)

    def ids(**kwargs: object) -> set[int]:
        return {i.id for i in list_queue(QueueFilter(**kwargs), today=today).items}  # type: ignore[arg-type]

    assert ids() == {phone.id, food.id, late.id, ready.id}
    assert ids(include_closed=True) == {phone.id, food.id, late.id, ready.id, closed.id}
    assert ids(source=Source.OUTREACH) == {late.id}
    assert ids(state=State.READY_FOR_ASSIGNMENT) == {ready.id}
    assert ids(state=State.CLOSED) == {closed.id}
    assert ids(urgency=Urgency.NO_MONEY_FOR_FOOD) == {food.id}
    assert ids(deadline=DeadlineState.OVERDUE) == {late.id}
    assert ids(deadline=DeadlineState.WARNING) == {food.id}
    assert ids(deadline=DeadlineState.ON_TRACK) == {phone.id, ready.id}


def test_counts_are_capped_instead_of_scanning_everything(app: Flask) -> None:
    for _ in range(7):
        create_item()
    assert count_matching(QueueFilter(), today=date(2026, 12, 1), cap=5) == (5, True)
    assert count_matching(QueueFilter(), today=date(2026, 12, 1), cap=10) == (7, False)


def test_a_broken_cursor_shows_the_first_page() -> None:
    assert Cursor.decode("nonsense") is None
    assert Cursor.decode(Cursor(date(2026, 1, 2), 7).encode()) == Cursor(date(2026, 1, 2), 7)


def test_queue_page_filters_and_logs_each_person_shown(app: Flask, client: FlaskClient) -> None:
    create_staff_user(email="rita@example.org", role=Role.RECEPTION)
    amina = create_person(name="Amina Hassan")
    create_item(person_id=amina.id, urgency=Urgency.NO_PLACE_TO_SLEEP)
    create_item(summary="utan person")
    login_staff(client, "rita@example.org", PASSWORD)
    soup = get_page(client, "/staff/intag/?urgency=no_place_to_sleep")
    rows = soup.select("tbody tr")
    assert len(rows) == 1 and "Amina Hassan" in rows[0].get_text()
    assert "Ingen plats att sova i natt" in rows[0].get_text()
    logged = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "intake.queue_view")).all()
    assert logged == [f"persons={amina.id}"]
    soup = get_page(client, "/staff/intag/?state=bogus&source=&deadline=overdue")
    assert "Inga ärenden matchar filtret." in soup.get_text()


def test_queue_page_links_to_the_next_page(app: Flask, client: FlaskClient) -> None:
    create_staff_user(email="rita@example.org", role=Role.RECEPTION)
    for _ in range(26):
        create_item()
    login_staff(client, "rita@example.org", PASSWORD)
    soup = get_page(client, "/staff/intag/?source=phone")
    assert len(soup.select("tbody tr")) == 25
    next_link = soup.find("a", rel="next")
    assert next_link is not None and "source=phone" in next_link["href"]
    soup = get_page(client, next_link["href"])
    assert len(soup.select("tbody tr")) == 1
    assert soup.find("a", rel="next") is None


def test_caseworkers_and_outreach_cannot_open_the_queue(app: Flask, client: FlaskClient) -> None:
    create_staff_user(email="hanna@example.org", role=Role.CASEWORKER)
    login_staff(client, "hanna@example.org", PASSWORD)
    assert client.get("/staff/intag/").status_code == 403
