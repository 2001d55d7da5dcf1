"""Booking rules: slots within opening hours on open days, lead time, deadlines, and no double booking."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.booking import opening_hours, service
from portal.booking.models import Booking, BookingStatus, ClosedDay, default_settings
from portal.db import db

LOCAL = opening_hours.LOCAL


def local(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=LOCAL).astimezone(UTC)


def test_slots_follow_opening_hours_in_local_time() -> None:
    settings = default_settings()
    day = date(2026, 12, 2)  # a Wednesday in winter (UTC+1)
    slots = opening_hours.free_slots(day, settings, set())
    assert len(slots) == 10
    assert slots[0] == datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert local(day, 11, 30) in slots and local(day, 12, 0) not in slots
    assert local(day, 13, 0) in slots and local(day, 14, 30) in slots and local(day, 15, 0) not in slots
    assert local(day, 8, 30) not in slots


def test_summer_time_is_honoured() -> None:
    slots = opening_hours.free_slots(date(2026, 6, 3), default_settings(), set())
    assert slots[0] == datetime(2026, 6, 3, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize("day", [date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 24), date(2026, 12, 25),
                                 date(2026, 12, 31)])
def test_no_slots_on_weekends_holidays_and_eves(day: date) -> None:
    assert opening_hours.free_slots(day, default_settings(), set()) == []


def test_closed_days_and_full_slots_are_skipped() -> None:
    settings = default_settings()
    day = date(2026, 12, 2)
    assert opening_hours.free_slots(day, settings, set(), closed={day}) == []
    first = local(day, 9)
    half = opening_hours.free_slots(day, settings, {(first, 1)})
    assert first in half
    full = opening_hours.free_slots(day, settings, {(first, 1), (first, 2)})
    assert first not in full and len(full) == 9


def test_book_earliest_respects_lead_time(app: Flask) -> None:
    now = local(date(2026, 11, 30), 10)  # Monday
    booking, code = service.book_earliest(purpose="outreach", intake_item_id=None, deadline=None, now=now) or (
        None, "")
    assert booking is not None
    assert booking.starts_at == local(date(2026, 12, 2), 9)  # two working days later, first slot
    assert booking.place == 1 and booking.status == BookingStatus.BOOKED
    assert len(code) >= 10 and set(code) <= set(service.CODE_ALPHABET)
    assert booking.code_hash == service.hash_code(code) and code not in booking.code_hash
    assert booking.code_expires_at > booking.starts_at
    db.session.commit()
    second, _ = service.book_earliest(purpose="outreach", intake_item_id=None, deadline=None, now=now) or (None, "")
    assert second is not None and (second.starts_at, second.place) == (booking.starts_at, 2)
    assert service.get_booking_by_code(code.lower(), now=now) is booking


def test_lead_time_skips_holidays_and_closed_days(app: Flask) -> None:
    db.session.add(ClosedDay(day=date(2026, 12, 28), reason="Utbildning"))
    db.session.commit()
    now = local(date(2026, 12, 22), 10)  # Tuesday before Christmas
    result = service.book_earliest(purpose="outreach", intake_item_id=None, deadline=None, now=now)
    assert result is not None
    # 23 Dec is working day 1, 24–27 are holiday/eve/weekend, 28 Dec is working day 2 but closed by hand.
    assert result[0].starts_at == local(date(2026, 12, 29), 9)


def test_deadline_is_respected_and_none_when_full(app: Flask) -> None:
    now = local(date(2026, 11, 30), 10)
    deadline = date(2026, 12, 3)  # only 2 Dec is before it: 10 slots x 2 places
    got = []
    for _ in range(20):
        result = service.book_earliest(purpose="outreach", intake_item_id=None, deadline=deadline, now=now)
        assert result is not None
        got.append((result[0].starts_at, result[0].place))
        assert result[0].starts_at.astimezone(LOCAL).date() < deadline
    db.session.commit()
    assert len(set(got)) == 20
    assert service.book_earliest(purpose="outreach", intake_item_id=None, deadline=deadline, now=now) is None
    assert service.book_earliest(purpose="outreach", intake_item_id=None, deadline=date(2026, 12, 2), now=now) is None


def test_full_days_are_skipped_within_a_transaction_and_a_freed_place_is_found_after(app: Flask) -> None:
    now = local(date(2026, 11, 30), 10)
    booked = [service.book_earliest(purpose="outreach", intake_item_id=None, deadline=None, now=now)
              for _ in range(21)]
    assert all(result is not None for result in booked)
    places = [(result[0].starts_at, result[0].place) for result in booked if result is not None]
    # 2 Dec has 10 slots x 2 places, filled in order; the 21st goes to the first slot of the next open day.
    assert places[:20] == [(start, place) for start in opening_hours.free_slots(date(2026, 12, 2), default_settings(),
                                                                             set()) for place in (1, 2)]
    assert places[20] == (local(date(2026, 12, 3), 9), 1)
    db.session.commit()
    first = booked[0]
    assert first is not None
    service.cancel_booking(first[0].id, actor="test")
    again = service.book_earliest(purpose="outreach", intake_item_id=None, deadline=None, now=now)
    assert again is not None and (again[0].starts_at, again[0].place) == places[0]
    db.session.commit()


def test_database_refuses_two_active_bookings_of_one_place(app: Flask) -> None:
    now = local(date(2026, 11, 30), 10)
    result = service.book_earliest(purpose="outreach", intake_item_id=None, deadline=None, now=now)
    assert result is not None
    db.session.commit()
    booking = result[0]
    # A second insert of the same place fails in its savepoint; the first stays.
    assert service._try_place(booking.starts_at, booking.place, purpose="outreach", intake_item_id=None,
                              priority=0, settings=default_settings()) is None
    service.cancel_booking(booking.id, actor="test")
    again = service._try_place(booking.starts_at, booking.place, purpose="outreach", intake_item_id=None,
                               priority=0, settings=default_settings())
    assert again is not None
    db.session.commit()


def test_status_changes_are_audited_and_idempotent(app: Flask) -> None:
    from portal.audit import AuditEvent

    day = date(2026, 12, 2)
    booking, _ = service.book_at(local(day, 13, 30), purpose="first_appointment", intake_item_id=None)
    started = local(day, 13, 31)
    assert service.mark_no_show(booking.id, actor="reception", now=started).status == BookingStatus.NO_SHOW
    assert service.mark_no_show(booking.id, actor="reception", now=started).status == BookingStatus.NO_SHOW
    assert service.mark_attended(booking.id, actor="reception", now=started).status == BookingStatus.ATTENDED
    with pytest.raises(opening_hours.BookingError):
        service.cancel_booking(booking.id, actor="reception")
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["booking.create", "booking.no_show", "booking.attended"]
    with pytest.raises(opening_hours.BookingError):
        service.book_at(local(day, 12, 0), purpose="first_appointment", intake_item_id=None)
    assert [b.id for b in service.list_bookings(day)] == [booking.id]


@pytest.mark.postgres_only
def test_two_transactions_racing_for_the_last_place_one_wins(app: Flask, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("needs PostgreSQL")
    now = local(date(2026, 11, 30), 10)
    deadline = date(2026, 12, 3)
    for _ in range(19):
        assert service.book_earliest(purpose="outreach", intake_item_id=None, deadline=deadline, now=now)
    db.session.commit()
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def worker() -> None:
        with app.app_context():
            barrier.wait()
            result = service.book_earliest(purpose="outreach", intake_item_id=None, deadline=deadline, now=now)
            db.session.commit()
            results.append(None if result is None else (result[0].starts_at, result[0].place))
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2
    assert results.count(None) == 1
    db.session.expire_all()
    active = db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.status == BookingStatus.BOOKED))
    assert active == 20
