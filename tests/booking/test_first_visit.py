"""A first time at the reception chosen online: offered at submit to a person new to the unit, from the same
calendar outreach books from; on the receipt and status page with .ics and code; on reception's day list."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from portal.applications.models import Application, Status
from portal.applications.service import submit_application
from portal.booking import first_visit, opening_hours
from portal.booking.models import Booking, BookingStatus, Purpose
from portal.clock import LOCAL_TZ
from portal.db import db
from portal.intake.forms import LANGUAGE_NAMES
from portal.staff.models import Role
from tests.applications.factories import create_application
from tests.applications.helpers import answer_all, start
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.intake.factories import create_item
from tests.letters.test_letter_number_order import drawn_lines, groups_left_to_right
from tests.pages import csrf_token, get_page, login_resident, login_staff, parse, submit

LANGUAGES = ["sv", "en", "ar", "fa", "so", "ti", "fi", "uk"]
RTL = {"ar", "fa"}
# A Tuesday morning: the free times start on Wednesday.
TUESDAY = datetime(2026, 12, 8, 10, 0, tzinfo=LOCAL_TZ)
pytestmark = pytest.mark.parametrize("clock_at", [TUESDAY], indirect=True)


def _sent(person_id: int, language: str = "sv") -> Application:
    application = create_application(person_id=person_id, language=language,
                                     month={"month": "2026-12", "changes": "", "other": ""})
    return submit_application(application.id, person_id=person_id, language=language)


def _submit_online(client: FlaskClient, lang: str, personnummer: str = "201701012393") -> tuple[int, str]:
    login_resident(client, personnummer, lang=lang)
    application_id = start(client, lang=lang)
    answer_all(client, application_id, TUESDAY.strftime("%Y-%m"), lang=lang)
    response = submit(client, f"/{lang}/ansokan/{application_id}/granska", {},
                      action=f"/{lang}/ansokan/{application_id}/skicka")
    assert response.status_code == 302
    return application_id, response.headers["Location"]


def _first_free() -> datetime:
    return first_visit.free_times()[0][1][0]


def test_only_a_person_new_to_the_unit_is_offered_a_time(app: Flask, clock_at: datetime) -> None:
    new = create_person(personnummer="201701012393")
    application = _sent(new.id)
    assert first_visit.may_choose(new.id, application.intake_item_id)
    # Known to the unit: an earlier intake item (an outreach notice's, an earlier application's).
    known = create_person(personnummer="201701022384")
    create_item(person_id=known.id)
    assert not first_visit.may_choose(known.id, _sent(known.id).intake_item_id)
    # Known to the unit: on the register of current clients (outreach's, through the registered source).
    from outreach.notices.models import KnownClient

    client = create_person(personnummer="202503082386")
    db.session.add(KnownClient(personnummer=client.personnummer, unit="Försörjningsstöd", caseworker="Hanna",
                               email="hanna@example.org"))
    db.session.commit()
    assert not first_visit.may_choose(client.id, _sent(client.id).intake_item_id)


def test_the_times_honour_capacity_and_closed_days(app: Flask, clock_at: datetime) -> None:
    wednesday = (TUESDAY + timedelta(days=1)).date()
    times = first_visit.free_times()
    assert times[0][0] == wednesday and times[0][1][0].astimezone(LOCAL_TZ).hour == 9
    opening_hours.close_day(wednesday, reason="Utbildning", actor="test")
    assert wednesday not in [day for day, _ in first_visit.free_times()], "a closed day offers nothing"
    opening_hours.reopen_day(wednesday, actor="test")
    first = _first_free()
    places = opening_hours.get_settings().places_per_slot
    people = [create_person(personnummer=p) for p in ("201701012393", "201701022384", "202503082386")]
    for person in people[:places]:
        visit = first_visit.book(person.id, _sent(person.id).intake_item_id or 0, first)
        assert visit.starts_at == first and visit.code is not None
    assert first not in _first_free_all(), "a full slot is no longer offered"
    late = people[places]
    with pytest.raises(first_visit.TimeTaken):
        first_visit.book(late.id, _sent(late.id).intake_item_id or 0, first)
    assert db.session.scalar(select(func.count()).select_from(Booking).where(
        Booking.starts_at == first, Booking.status == BookingStatus.BOOKED)) == places


def _first_free_all() -> list[datetime]:
    return [start for _, starts in first_visit.free_times() for start in starts]


def test_a_closed_day_or_a_time_outside_the_hours_is_refused(app: Flask, clock_at: datetime) -> None:
    person = create_person()
    item_id = _sent(person.id).intake_item_id or 0
    wednesday = (TUESDAY + timedelta(days=1)).date()
    opening_hours.close_day(wednesday, reason="Utbildning", actor="test")
    for refused in (datetime(2026, 12, 9, 9, 0, tzinfo=LOCAL_TZ), datetime(2026, 12, 10, 7, 0, tzinfo=LOCAL_TZ),
                    datetime(2026, 12, 8, 13, 0, tzinfo=LOCAL_TZ)):  # closed, before opening, today
        with pytest.raises(first_visit.TimeTaken):
            first_visit.book(person.id, item_id, refused)
    assert first_visit.current(item_id) is None


def test_choosing_twice_keeps_the_first_time(app: Flask, clock_at: datetime) -> None:
    person = create_person()
    item_id = _sent(person.id).intake_item_id or 0
    times = _first_free_all()
    first = first_visit.book(person.id, item_id, times[0])
    again = first_visit.book(person.id, item_id, times[1])
    assert again == first
    assert db.session.scalar(select(func.count()).select_from(Booking).where(Booking.intake_item_id == item_id)) == 1
    other = create_person(personnummer="201701022384")
    with pytest.raises(LookupError):
        first_visit.book(other.id, item_id, times[2])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_first_time_is_chosen_at_submit_in_every_language(app: Flask, client: FlaskClient, clock_at: datetime,
                                                              lang: str, tmp_path: Path) -> None:
    application_id, location = _submit_online(client, lang)
    assert location.endswith(f"/{lang}/ansokan/{application_id}/forsta-tid")
    direction = "rtl" if lang in RTL else "ltr"
    page = get_page(client, location, lang=lang, direction=direction)
    radios = page.select("input[name=starts_at]")
    assert radios and radios[0].has_attr("checked") and radios[0]["id"] == "starts_at", "the first time proposed"
    assert all(r.find_parent("fieldset").find("legend") for r in radios), "each day's times under its day"
    # Taking the proposed time: the button alone (no JavaScript, nothing else chosen).
    response = submit(client, location, {"starts_at": radios[0]["value"]})
    assert response.headers["Location"].endswith(f"/{lang}/ansokan/{application_id}/kvitto")
    application = db.session.get(Application, application_id)
    assert application is not None
    visit = first_visit.current(application.intake_item_id)
    assert visit is not None and visit.code is not None
    assert visit.starts_at == datetime.fromisoformat(radios[0]["value"])
    for url in (f"/{lang}/ansokan/{application_id}/kvitto", f"/{lang}/ansokan/{application_id}/status"):
        shown = get_page(client, url, lang=lang, direction=direction)
        panel = shown.find(id="first-visit-heading").find_parent("section")
        text = panel.get_text(" ", strip=True)
        assert visit.code in text and visit.starts_at.astimezone(LOCAL_TZ).strftime("%H:%M") in text
        assert panel.find("bdi", string=visit.code) is not None, "the code isolated left to right"
        ics = panel.find("a", href=f"/{lang}/tid/{visit.code}/kalender.ics")
        assert ics is not None
    # The receipt PDF too, in the resident's language and in Swedish: the code and the time drawn in order.
    pdf = client.get(f"/{lang}/ansokan/{application_id}/kvitto.pdf")
    lines = drawn_lines(pdf.data, tmp_path)
    sections = 1 if lang == "sv" else 2
    assert sum(any(visit.code in word for word in words) for words in lines) == sections
    good, bad = groups_left_to_right(visit.starts_at.astimezone(LOCAL_TZ).strftime("%H:%M"), lines)
    assert bad == [] and good == sections, f"{lang}: the time drawn out of order in {bad}"
    calendar = client.get(f"/{lang}/tid/{visit.code}/kalender.ics")
    assert calendar.status_code == 200 and b"DTSTART" in calendar.data
    assert client.get(f"/{lang}/tid/{visit.code}").status_code == 200, "the code opens the rebooking page"
    # Sent again (back button): the time stays, no second offer.
    assert client.get(location).headers["Location"].endswith("/kvitto")


def test_not_now_leaves_it_to_reception_and_the_status_page_offers_it_again(app: Flask, client: FlaskClient,
                                                                           clock_at: datetime) -> None:
    application_id, location = _submit_online(client, "fi")
    response = submit(client, location, {"later": "1"})
    assert response.headers["Location"].endswith(f"/fi/ansokan/{application_id}/kvitto")
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 0
    status = get_page(client, f"/fi/ansokan/{application_id}/status", lang="fi")
    assert status.find("a", href=f"/fi/ansokan/{application_id}/forsta-tid") is not None
    # Once decided, no first time is offered any more.
    application = db.session.get(Application, application_id)
    assert application is not None
    application.status = Status.DECIDED
    db.session.commit()
    status = get_page(client, f"/fi/ansokan/{application_id}/status", lang="fi")
    assert status.find("a", href=f"/fi/ansokan/{application_id}/forsta-tid") is None
    assert client.get(location).headers["Location"].endswith("/kvitto")


def test_a_time_taken_meanwhile_asks_again_and_loses_nothing(app: Flask, client: FlaskClient,
                                                            clock_at: datetime) -> None:
    application_id, location = _submit_online(client, "ar")
    token = csrf_token(client, location)
    first = _first_free()
    for personnummer in ("201701022384", "202503082386"):  # two others take both places of the first time
        other = create_person(personnummer=personnummer)
        first_visit.book(other.id, _sent(other.id).intake_item_id or 0, first)
    response = client.post(location, data={"csrf_token": token, "starts_at": first.isoformat()})
    assert response.status_code == 409
    soup = parse(response, lang="ar", direction="rtl")
    assert soup.select_one(".error-summary a[href='#starts_at']") is not None
    with app.test_request_context(), force_locale("ar"):
        assert soup.title.get_text().startswith(gettext("Fel:")), "the title says there is an error, in Arabic"
    assert soup.select("input[name=starts_at]"), "the free times again"
    application = db.session.get(Application, application_id)
    assert application is not None and application.submitted_at is not None, "the application stays sent"


def test_reception_sees_it_with_the_language_and_can_move_it(app: Flask, client: FlaskClient,
                                                            clock_at: datetime) -> None:
    person = create_person(name="Karim Haddad", language="ar")
    application = _sent(person.id, language="ar")
    item_id = application.intake_item_id or 0
    times = _first_free_all()
    visit = first_visit.book(person.id, item_id, times[0])
    staff = create_staff_user(email="rita@example.org", role=Role.RECEPTION)
    login_staff(client, staff.email, PASSWORD)
    day = visit.starts_at.astimezone(LOCAL_TZ).date()
    listing = get_page(client, f"/staff/mottagning/?dag={day.isoformat()}")
    row = next(tr for tr in listing.select("tr") if "Karim Haddad" in tr.get_text())
    assert LANGUAGE_NAMES["ar"] in row.get_text(), "the person's language on the day list"
    page = get_page(client, f"/staff/mottagning/boka/{item_id}")
    assert "Flytta" in page.find("h1").get_text()
    later = times[3]
    response = submit(client, f"/staff/mottagning/boka/{item_id}", {"starts_at": later.isoformat()})
    assert response.status_code == 302
    moved = first_visit.current(item_id)
    assert moved is not None and moved.starts_at == later and moved.code == visit.code, "same code, new time"
    booking = db.session.get(Booking, visit.booking_id)
    assert booking is not None and booking.purpose == Purpose.FIRST_APPOINTMENT
    assert db.session.scalar(select(func.count()).select_from(Booking).where(Booking.intake_item_id == item_id)) == 1
