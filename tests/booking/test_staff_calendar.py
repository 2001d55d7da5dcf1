"""The reception calendar for staff: a day's bookings, attended/no-show, nybesök for an item, settings."""

from __future__ import annotations

import mailbox
import socket
from datetime import date, timedelta
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from flask import Flask
from flask.testing import FlaskClient

from portal import clock
from portal.audit import AuditEvent
from portal.booking import opening_hours, service
from portal.booking.models import Booking, BookingStatus, CalendarSettings, ClosedDay, Purpose
from portal.db import db
from portal.intake.models import IntakeEvent
from portal.roles import Role
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.intake.factories import create_item
from tests.pages import get_page, login_staff, submit


def _login(client: FlaskClient, role: Role = Role.RECEPTION) -> None:
    user = create_staff_user(email=f"{role}@example.org", role=role)
    assert login_staff(client, user.email, PASSWORD).status_code == 302


def test_reception_books_a_first_appointment_for_an_item(app: Flask, client: FlaskClient) -> None:
    person = create_person(name="Nybesök Nilsson", language="ar")
    person.interpreter_needed = True  # held on the person (portal.interpreter)
    item = create_item(person_id=person.id, language="ar")
    db.session.commit()
    _login(client)
    soup = get_page(client, f"/staff/mottagning/boka/{item.id}")
    first = soup.find("input", attrs={"name": "starts_at"})
    assert first is not None and first["id"] == "starts_at", "the error summary can link to the first choice"
    response = submit(client, f"/staff/mottagning/boka/{item.id}", {"starts_at": first["value"]})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/staff/intag/{item.id}")
    booking = db.session.query(Booking).filter_by(intake_item_id=item.id).one()
    assert booking.purpose == Purpose.FIRST_APPOINTMENT and booking.starts_at.isoformat() == first["value"]
    assert db.session.query(IntakeEvent).filter_by(item_id=item.id, kind="booking").count() == 1
    # The day page shows who comes, and reading it is logged.
    day = booking.starts_at.astimezone(opening_hours.LOCAL).date().isoformat()
    soup = get_page(client, f"/staff/mottagning/?dag={day}")
    assert "Nybesök Nilsson" in soup.get_text()
    row = next(tr for tr in soup.select("tbody tr") if "Nybesök Nilsson" in tr.get_text())
    assert "arabiska" in row.get_text() and "Tolk" in row.get_text()  # the reception knows to book an interpreter
    assert db.session.query(AuditEvent).filter_by(action="booking.day_view").count() == 1


def test_no_time_chosen_is_a_clear_error(app: Flask, client: FlaskClient) -> None:
    item = create_item()
    _login(client)
    response = submit(client, f"/staff/mottagning/boka/{item.id}", {})
    assert response.status_code == 400 and b"error-summary" in response.data
    # The same list of times as the residents' pages (booking/_free_times.html): the error is tied to the choices.
    assert b'aria-describedby="starts_at-error"' in response.data and b'id="starts_at-error"' in response.data
    assert client.get("/staff/mottagning/boka/999999").status_code == 404


def test_no_show_and_attended_are_recorded(app: Flask, client: FlaskClient) -> None:
    item = create_item()
    booked = service.book_earliest(purpose="outreach", intake_item_id=item.id, deadline=None)
    assert booked is not None
    db.session.commit()
    booking = booked[0]
    _login(client, Role.OUTREACH)
    day = booking.starts_at.astimezone(opening_hours.LOCAL).date().isoformat()
    url = f"/staff/mottagning/?dag={day}"
    # Before the time has begun, neither can be marked (the printed code must keep working).
    assert submit(client, url, {"action": "no_show"}, action=f"/staff/mottagning/{booking.id}/status"
                  ).status_code == 302
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.BOOKED  # type: ignore[union-attr]
    with clock.travel(booking.starts_at + timedelta(minutes=5)):
        _marked_from_the_start_on(client, url, booking.id)


def _marked_from_the_start_on(client: FlaskClient, url: str, booking_id: int) -> None:
    booking = db.session.get(Booking, booking_id)
    assert booking is not None
    assert submit(client, url, {"action": "no_show"}, action=f"/staff/mottagning/{booking.id}/status"
                  ).status_code == 302
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.NO_SHOW  # type: ignore[union-attr]
    submit(client, url, {"action": "attended"}, action=f"/staff/mottagning/{booking.id}/status")
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).status == BookingStatus.ATTENDED  # type: ignore[union-attr]
    assert submit(client, url, {"action": "explode"}, action=f"/staff/mottagning/{booking.id}/status"
                  ).status_code == 400


def test_admin_sets_opening_hours_and_closes_a_day(app: Flask, client: FlaskClient) -> None:
    _login(client, Role.ADMIN)
    form = {"monday": "08:00-11:00", "tuesday": "", "wednesday": "09:00-12:00, 13:00-16:00",
            "thursday": "09:00-12:00", "friday": "09:00-12:00", "slot_minutes": "20", "places_per_slot": "3",
            "lead_working_days": "3"}
    assert submit(client, "/staff/mottagning/installningar", form).status_code == 302
    settings = db.session.get(CalendarSettings, 1)
    assert settings is not None and settings.slot_minutes == 20 and settings.places_per_slot == 3
    assert settings.hours["1"] == [] and settings.hours["2"] == [["09:00", "12:00"], ["13:00", "16:00"]]
    monday = date(2027, 1, 11)
    assert len(opening_hours.slot_starts(monday, settings)) == 9  # 08:00-11:00 in 20-minute slots
    bad = {**form, "monday": "11:00-08:00", "tuesday": "nine to five"}
    response = submit(client, "/staff/mottagning/installningar", bad)
    assert response.status_code == 400
    assert "sluttiden" in response.get_data(as_text=True) and "nine to five" in response.get_data(as_text=True)
    assert submit(client, "/staff/mottagning/installningar", {"day": "2027-01-12", "reason": "Personaldag"},
                  action="/staff/mottagning/installningar/stangt").status_code == 302
    assert db.session.get(ClosedDay, date(2027, 1, 12)) is not None
    assert opening_hours.free_slots(date(2027, 1, 12), settings, set(), opening_hours.list_closed_days(
        date(2027, 1, 12), date(2027, 1, 12))) == []
    submit(client, "/staff/mottagning/installningar", {"day": "2027-01-12", "action": "reopen"},
           action="/staff/mottagning/installningar/stangt")
    db.session.expire_all()
    assert db.session.get(ClosedDay, date(2027, 1, 12)) is None


def test_parse_hours_accepts_what_staff_type() -> None:
    assert opening_hours.parse_hours(" 9:00 – 12:00 ,13:00-15:30") == [["09:00", "12:00"], ["13:00", "15:30"]]
    assert opening_hours.parse_hours("") == []
    for bad in ("9-12", "12:00-09:00", "09:00-12:00, 11:00-13:00"):
        try:
            opening_hours.parse_hours(bad)
        except opening_hours.BookingError:
            continue
        raise AssertionError(f"accepted {bad!r}")


def test_staff_booking_by_hand_refuses_a_full_slot(app: Flask) -> None:
    settings = opening_hours.get_settings()
    day = date(2027, 1, 13)
    start = opening_hours.slot_starts(day, settings)[0]
    for _ in range(settings.places_per_slot):
        service.book_at(start, purpose="first_appointment", intake_item_id=None)
    try:
        service.book_at(start, purpose="first_appointment", intake_item_id=None)
    except opening_hours.BookingError as error:
        assert "fullbokad" in str(error)
    else:
        raise AssertionError("a full slot took one more")


def test_the_item_page_shows_its_booking_and_the_handoff_carries_it(app: Flask, client: FlaskClient) -> None:
    from portal.intake import handoff
    from portal.intake.models import IntakeItem

    item = create_item()
    settings = opening_hours.get_settings()
    start = opening_hours.slot_starts(date(2027, 1, 14), settings)[2]
    service.book_at(start, purpose="first_appointment", intake_item_id=item.id)
    _login(client)
    soup = get_page(client, f"/staff/intag/{item.id}")
    local = start.astimezone(opening_hours.LOCAL).strftime("%Y-%m-%d %H:%M")
    assert local in soup.get_text() and "nybesök" in soup.get_text()
    record = handoff.Handoff(item_id=item.id, handoff_id="h-test", created_at=start)
    document = handoff.build_document(db.session.get(IntakeItem, item.id), record)  # type: ignore[arg-type]
    assert document["booking"] == {"starts_at": start.isoformat(), "purpose": "first_appointment",
                                   "status": "booked"}


def test_a_person_with_an_address_gets_a_confirmation_without_personal_data(app: Flask, client: FlaskClient,
                                                                           tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "maildir", create=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Mailbox(tmp_path / "maildir"), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
        person = create_person(name="Mejl Mejlsson", language="uk")
        person.email = "mejl@example.org"
        db.session.commit()
        item = create_item(person_id=person.id, summary="Ingen mat i dag")
        _login(client)
        first = get_page(client, f"/staff/mottagning/boka/{item.id}").find("input", attrs={"name": "starts_at"})
        assert first is not None
        response = submit(client, f"/staff/mottagning/boka/{item.id}", {"starts_at": first["value"]},
                          follow_redirects=True)
        assert "En bekräftelse har skickats med e-post." in response.get_data(as_text=True)
    finally:
        controller.stop()
    messages = list(box)
    assert len(messages) == 1 and messages[0]["To"] == "mejl@example.org"
    body = messages[0].get_payload(decode=True).decode()
    assert "Mejl" not in body and "mat" not in body and "/uk/tid/" in body
    code = body.split("/uk/tid/")[1].split()[0]
    assert client.get(f"/uk/tid/{code}").status_code == 200
