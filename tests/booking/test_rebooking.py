"""The rebooking page: with the letter's code only, see time and place, move, cancel, save as .ics."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.audit import AuditEvent
from portal.booking import opening_hours, service
from portal.booking.models import Booking, BookingStatus
from portal.db import db, utcnow
from tests.factories import create_person
from tests.intake.factories import create_item
from tests.pages import get_page, parse, submit


def _book(app: Flask) -> tuple[Booking, str]:
    person = create_person(name="Hemlig Persson")
    item = create_item(person_id=person.id, summary="Hyresskuld hos Bostadsbolaget")
    booked = service.book_earliest(purpose="outreach", intake_item_id=item.id, deadline=None)
    assert booked is not None
    db.session.commit()
    return booked


def test_the_code_shows_time_and_place_but_no_name_or_reason(app: Flask, client: FlaskClient) -> None:
    booking, code = _book(app)
    spaced = f"{code[:4].lower()} {code[4:7]}-{code[7:]}"  # as people copy it from paper
    response = submit(client, "/sv/tid/", {"code": spaced})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/sv/tid/{code}")
    soup = get_page(client, f"/sv/tid/{code}", lang="sv")
    text = soup.get_text(" ", strip=True)
    assert app.config["RECEPTION_ADDRESS"] in text
    assert "Hemlig" not in text and "Hyresskuld" not in text and "Bostadsbolaget" not in text
    local = booking.starts_at.astimezone(opening_hours.LOCAL)
    assert local.strftime("%H:%M") in text


def test_an_unknown_code_gets_a_clear_answer(app: Flask, client: FlaskClient) -> None:
    response = submit(client, "/en/tid/", {"code": "AAAA-BBB-CCC"})
    assert response.status_code == 404
    soup = parse(response, lang="en")
    assert soup.find(class_="error-summary") is not None
    assert client.get("/sv/tid/AAAABBBCCC").status_code == 404


@pytest.mark.parametrize("lang", ["so", "ti", "fa"])
def test_a_code_far_too_long_gets_the_same_answer_in_the_residents_language(app: Flask, client: FlaskClient,
                                                                             lang: str) -> None:
    from flask_babel import force_locale

    from portal.booking.forms import NO_SUCH_CODE

    response = submit(client, f"/{lang}/tid/", {"code": "ABCD234567" * 5})
    with app.test_request_context(), force_locale(lang):
        expected = str(NO_SUCH_CODE)
    with app.test_request_context(), force_locale("sv"):
        assert expected != str(NO_SUCH_CODE), "translated"
    summary = parse(response, lang=lang).find(class_="error-summary")
    assert summary is not None and expected in summary.get_text(" ", strip=True)


def test_moving_keeps_the_booking_and_frees_the_old_place(app: Flask, client: FlaskClient) -> None:
    booking, code = _book(app)
    old = (booking.starts_at, booking.place)
    soup = get_page(client, f"/sv/tid/{code}")
    choices = [radio["value"] for radio in soup.find_all("input", attrs={"name": "starts_at"})]
    assert choices, "free times are offered"
    target = next(value for value in choices if value != booking.starts_at.isoformat())
    response = submit(client, f"/sv/tid/{code}", {"starts_at": target})
    assert response.status_code == 302
    db.session.expire_all()
    moved = db.session.get(Booking, booking.id)
    assert moved is not None and moved.status == BookingStatus.BOOKED
    assert moved.starts_at.isoformat() == target and (moved.starts_at, moved.place) != old
    assert moved.code_expires_at > moved.starts_at
    assert service.get_booking_by_code(code) is not None, "the same code still works"
    assert db.session.query(AuditEvent).filter_by(action="booking.move", object_id=str(booking.id)).count() == 1


def test_a_time_outside_opening_hours_is_refused(app: Flask, client: FlaskClient) -> None:
    booking, code = _book(app)
    night = booking.starts_at.replace(hour=2).isoformat()
    response = submit(client, f"/sv/tid/{code}", {"starts_at": night})
    assert response.status_code == 409
    assert parse(response).find(class_="error-summary") is not None
    db.session.expire_all()
    assert db.session.get(Booking, booking.id).starts_at == booking.starts_at  # type: ignore[union-attr]


def test_cancel_needs_the_tick_then_frees_the_place(app: Flask, client: FlaskClient) -> None:
    booking, code = _book(app)
    response = submit(client, f"/ar/tid/{code}", {}, action=f"/ar/tid/{code}/avboka")
    assert response.status_code == 400
    parse(response, lang="ar", direction="rtl")
    response = submit(client, f"/sv/tid/{code}", {"confirm": "y"}, action=f"/sv/tid/{code}/avboka")
    assert response.status_code == 302
    db.session.expire_all()
    # Cancelled online: the place is free, and the code now picks a new time (outreach follows up on it).
    assert db.session.get(Booking, booking.id).status == BookingStatus.UNSCHEDULED  # type: ignore[union-attr]
    assert service.get_booking_by_code(code) is not None
    page = client.get(f"/sv/tid/{code}")
    assert page.status_code == 200 and "Du har ingen bokad tid just nu" in page.text and "avboka" not in page.text
    get_page(client, "/sv/tid/avbokad")


def test_calendar_file_has_time_and_place_only(app: Flask, client: FlaskClient) -> None:
    from icalendar import Calendar

    booking, code = _book(app)
    response = client.get(f"/sv/tid/{code}/kalender.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert event.decoded("dtstart") == booking.starts_at
    assert str(event.get("location")) == app.config["RECEPTION_ADDRESS"]
    assert b"Hemlig" not in response.data and b"Test" not in response.data


def test_codes_expire_after_the_appointment(app: Flask) -> None:
    booking, code = _book(app)
    assert service.get_booking_by_code(code, now=booking.starts_at) is not None
    assert service.get_booking_by_code(code, now=booking.code_expires_at + timedelta(seconds=1)) is None


def test_codes_are_long_and_from_an_unambiguous_alphabet() -> None:
    codes = {service.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == 10 and set(code) <= set(service.CODE_ALPHABET) for code in codes)
    assert not set("01OIL") & set(service.CODE_ALPHABET)


def test_the_short_address_sends_to_the_code_form(app: Flask, client: FlaskClient) -> None:
    response = client.get("/tid", headers={"Accept-Language": "uk"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/uk/tid/")


class TestRateLimit:
    @pytest.fixture
    def app_config(self) -> dict[str, Any]:
        return {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}

    def test_guessing_codes_is_rate_limited(self, app: Flask, client: FlaskClient) -> None:
        statuses = [client.get(f"/sv/tid/GUESS{n:05d}", environ_base={"REMOTE_ADDR": "192.0.2.50"}).status_code
                    for n in range(22)]
        assert statuses[:20] == [404] * 20 and statuses[20:] == [429, 429]


def test_a_past_booking_is_not_offered_and_cannot_be_moved_into_the_past(app: Flask) -> None:
    booking, _code = _book(app)
    with pytest.raises(opening_hours.BookingError):
        service.move_booking(booking.id, utcnow() - timedelta(days=1), actor="test")
    offered = [start for _day, starts in opening_hours.offered_times() for start in starts]
    assert offered and min(offered) > utcnow()
