"""Issue 26 point 2: reception capacity seen before it runs out. The settings page shows the coming weeks'
booked and free places against the notices needing them, the staff home and a daily e-mail (a real SMTP
server) warn when the free places before the open deadlines run short, and administrators add extra times for
a day in one step. On SQLite and PostgreSQL, on a fixed date (clock.travel)."""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from outreach.pipeline.run import run_pass
from portal import clock
from portal.audit import AuditEvent
from portal.booking import capacity, opening_hours, service
from portal.booking.models import Booking, BookingStatus
from portal.db import db
from portal.staff.models import Role
from tests.factories import PASSWORD, create_staff_user
from tests.outreach.factories import import_rows, row
from tests.pages import get_page, login_staff, submit

MONDAY = date(2027, 3, 1)
DEADLINE = date(2027, 3, 22)  # three weeks after the notices came in


@pytest.fixture
def on_monday() -> Iterator[None]:
    with clock.travel(datetime.combine(MONDAY, time(10), tzinfo=clock.LOCAL_TZ)):
        yield


def small_reception() -> None:
    """One place per half hour, 09:00-10:00 on weekdays: two places a day."""
    opening_hours.save_settings(hours={str(day): [["09:00", "10:00"]] for day in range(5)}, slot_minutes=30,
                          places_per_slot=1, lead_working_days=2, actor="test")


def notices(count: int) -> None:
    import_rows(*(row(referens=f"CAP-{n}", personnummer="201701012393", adress=f"Kapacitetsgatan {n}",
                      inkom=MONDAY.isoformat(), uppsagning=(MONDAY - timedelta(days=2)).isoformat())
                  for n in range(count)))


def _admin(client: FlaskClient) -> None:
    user = create_staff_user(email="admin@example.org", role=Role.ADMIN)
    assert login_staff(client, user.email, PASSWORD).status_code == 302


def test_the_outlook_weighs_free_places_before_each_deadline_against_the_notices_needing_them(
        app: Flask, client: FlaskClient, on_monday: None) -> None:
    small_reception()
    notices(30)
    view = capacity.outlook()
    # A letter printed today arrives Wednesday; with a day's margin the first bookable day is Thursday.
    assert view.first_day == date(2027, 3, 4)
    # Week 12 has Good Friday (26 March 2027): closed.
    assert [(w.number, w.places, w.booked, w.needing) for w in view.weeks[:4]] == [
        (9, 4, 0, 0), (10, 10, 0, 0), (11, 10, 0, 0), (12, 8, 0, 30)]
    # 24 free places before 22 March for 30 notices: fewer than 1.25 per notice.
    assert view.warning and view.short_deadline == (DEADLINE, 24, 30) and view.weeks[3].short
    _admin(client)
    page = get_page(client, "/staff/mottagning/installningar")
    table = page.select_one("#kapacitet table")
    assert table is not None
    cells = [td.get_text(strip=True) for td in table.select("tbody tr")[3].select("th, td")]
    assert cells == ["v. 12 (2027-03-22–2027-03-28)", "8", "0", "8", "30", "32", "30", "För få lediga tider"]
    assert "Före fristen 2027-03-22 finns 24 lediga tider" in page.get_text()
    home = get_page(client, "/staff/").get_text()
    assert "Mottagningens lediga tider räcker inte" in home and "Före fristen 2027-03-22" in home
    # The pipeline books the 24 places; the six left get a letter with a code and a task, and still need a time.
    run_pass()
    booked = db.session.query(Booking).filter(Booking.status == BookingStatus.BOOKED).count()
    assert booked == 24
    view = capacity.outlook()
    assert view.short_deadline == (DEADLINE, 0, 6)
    assert [(w.booked, w.needing) for w in view.weeks[:4]] == [(4, 0), (10, 0), (10, 0), (0, 6)]


def test_few_notices_give_no_warning(app: Flask, client: FlaskClient, on_monday: None) -> None:
    small_reception()
    notices(10)
    assert not capacity.outlook().warning
    _admin(client)
    assert "Mottagningens lediga tider räcker inte" not in get_page(client, "/staff/").get_text()
    reception = create_staff_user(email="rita@example.org", role=Role.RECEPTION)
    notices_more = 20
    notices(notices_more + 10)  # CAP-0..9 repeat (nothing new), 10..29 are new: 30 in all
    client.post("/staff/logout")
    assert login_staff(client, reception.email, PASSWORD).status_code == 302
    home = get_page(client, "/staff/").get_text()
    assert "Mottagningens lediga tider räcker inte" in home and "En administratör kan lägga till" in home


def test_administrators_add_extra_times_for_a_day_in_one_step(app: Flask, client: FlaskClient,
                                                               on_monday: None) -> None:
    small_reception()
    notices(30)
    run_pass()
    _admin(client)
    url = "/staff/mottagning/installningar"
    # Extra places in the day's usual hours: four more per half hour on Thursday 18 March.
    response = submit(client, url, {"extra_day": "2027-03-18", "extra_places": "4", "extra_hours": "",
                                    "extra_reason": "Hyresvärdens årsfil"}, action=f"{url}/extra")
    assert response.status_code == 302
    thursday = date(2027, 3, 18)
    extras = opening_hours.extra_sessions(thursday, thursday)[thursday]
    assert [(clock.local_format(start, "%H:%M"), places) for start, places in opening_hours.slot_places(
        thursday, opening_hours.get_settings(), extras).items()] == [("09:00", 5), ("09:30", 5)]
    view = capacity.outlook()
    assert view.weeks[2].places == 18 and not view.warning  # 8 free before the deadline for 6 notices
    assert db.session.query(AuditEvent).filter_by(action="booking.extra_times").count() == 1
    # The extra places are booked like any other: after the usual place, places 2-5.
    result = service.book_earliest(purpose="outreach", intake_item_id=None, deadline=DEADLINE,
                                   first_day=thursday)
    assert result is not None and clock.local_date(result[0].starts_at) == thursday and result[0].place == 2
    db.session.commit()
    # An extra session on Friday afternoon, two places per half hour.
    response = submit(client, url, {"extra_day": "2027-03-19", "extra_places": "2", "extra_hours": "16:00-17:00"},
                      action=f"{url}/extra")
    assert response.status_code == 302
    friday = date(2027, 3, 19)
    extras = opening_hours.extra_sessions(friday, friday)[friday]
    starts = opening_hours.slot_starts(friday, opening_hours.get_settings(), extras)
    assert [clock.local_format(start, "%H:%M") for start in starts] == ["09:00", "09:30", "16:00", "16:30"]
    page = get_page(client, url).get_text()
    assert "2027-03-19 16:00-17:00: 2 platser till per tid" in page
    # A Saturday, a past day and a typo are clear errors, and nothing is added.
    for data, message in (({"extra_day": "2027-03-20", "extra_places": "2"}, "mottagningen är stängd den dagen"),
                          ({"extra_day": "2027-02-26", "extra_places": "2"}, "dagen har redan varit"),
                          ({"extra_day": "2027-03-17", "extra_places": "2", "extra_hours": "16-tjugo"},
                           "är inte en tid som 09:00-12:00")):
        response = submit(client, url, data, action=f"{url}/extra")
        assert response.status_code == 400 and message in response.text and "error-summary" in response.text
    assert len(capacity.upcoming_extra_times()) == 2
    # An extra time someone is booked on stays; one nobody is booked on goes.
    extras = {extra.day: extra for extra in capacity.upcoming_extra_times()}
    removal = f"{url}/extra/{extras[thursday].id}/ta-bort"
    page = get_page(client, url)
    assert submit(client, url, {}, action=removal, follow_redirects=True).text.count("någon har en bokad tid") == 1
    assert submit(client, url, {}, action=f"{url}/extra/{extras[friday].id}/ta-bort").status_code == 302
    assert [extra.day for extra in capacity.upcoming_extra_times()] == [thursday]
    assert page is not None


def test_the_warning_is_e_mailed_to_administrators_once_a_day(app: Flask, maildir: mailbox.Maildir,
                                                               on_monday: None) -> None:
    create_staff_user(email="admin@example.org", role=Role.ADMIN)
    create_staff_user(email="admin2@example.org", role=Role.ADMIN)
    create_staff_user(email="rita@example.org", role=Role.RECEPTION)
    small_reception()
    notices(30)
    assert capacity.capacity_job() == 2
    assert capacity.capacity_job() == 0  # the next pass: already sent today
    messages = list(maildir)
    assert sorted(str(message["To"]) for message in messages) == ["admin2@example.org", "admin@example.org"]
    body = messages[0].get_payload(decode=True).decode()
    assert "Före fristen 2027-03-22 finns 24 lediga tider" in body and "/staff/mottagning/installningar" in body
    with clock.travel(datetime.combine(MONDAY + timedelta(days=1), time(7), tzinfo=clock.LOCAL_TZ)):
        assert capacity.capacity_job() == 2  # a new day, still short: once more
        assert capacity.capacity_job() == 0
    assert len(list(maildir)) == 4


def test_no_e_mail_when_the_places_suffice(app: Flask, maildir: mailbox.Maildir, on_monday: None) -> None:
    create_staff_user(email="admin@example.org", role=Role.ADMIN)
    small_reception()
    notices(5)
    assert capacity.capacity_job() == 0 and list(maildir) == []
