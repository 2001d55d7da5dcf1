"""Issue 26: the legal clock. Every test runs on a fixed Swedish date (clock.travel), on SQLite and PostgreSQL,
with real letters read back from their PDFs (pdftotext)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from outreach.casework import service as casework
from outreach.notices.actions import get_action
from outreach.notices.models import (
    ActionKind,
    ActionStatus,
    AttemptChannel,
    AttemptResult,
    Decision,
    Notice,
    Outcome,
)
from outreach.pipeline.run import run_pass
from portal import clock
from portal.booking.models import Booking, BookingStatus
from portal.db import db
from portal.letters.models import Letter
from portal.letters.print_batch import claim_batch
from portal.letters.service import read_letter_pdf
from portal.staff.models import Role
from portal.workdays import add_working_days
from tests.factories import PASSWORD, create_staff_user
from tests.outreach.factories import import_rows, notice_by_reference, numbered_rows, row
from tests.pages import login_staff

TUESDAY = date(2026, 12, 8)
THURSDAY = date(2026, 12, 3)


@pytest.fixture
def on_tuesday() -> Iterator[None]:
    with clock.travel(datetime.combine(TUESDAY, time(10), tzinfo=clock.LOCAL_TZ)):
        yield


@pytest.fixture
def on_thursday() -> Iterator[None]:
    with clock.travel(datetime.combine(THURSDAY, time(10), tzinfo=clock.LOCAL_TZ)):
        yield


def letter_text(letter: Letter, tmp_path: Path) -> str:
    """The letter's stored PDF as text (pdftotext), whitespace folded."""
    path = tmp_path / f"letter-{letter.id}.pdf"
    path.write_bytes(read_letter_pdf(letter))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return re.sub(r"\s+", " ", re.sub("[\u2066-\u2069]", "", text))


def first_letter(notice: Notice) -> Letter:
    step = get_action(notice.id, ActionKind.LETTER_FIRST)
    assert step is not None and step.ref_id is not None, "the notice got no letter"
    letter = db.session.get(Letter, step.ref_id)
    assert letter is not None
    return letter


def booked_day(notice: Notice) -> date:
    step = get_action(notice.id, ActionKind.BOOKING)
    assert step is not None and step.ref_id is not None
    booking = db.session.get(Booking, step.ref_id)
    assert booking is not None and booking.status == BookingStatus.BOOKED
    return clock.local_date(booking.starts_at)


# --- 1. Time that reaches the person -----------------------------------------------------------------------------

def test_the_booked_time_leaves_print_day_post_and_margin_and_the_letter_is_dated_on_its_print_day(
        app: Flask, on_tuesday: None, tmp_path: Path) -> None:
    import_rows(row(referens="TODAYS-BATCH"))
    run_pass()
    notice = notice_by_reference("TODAYS-BATCH")
    # Printed Tuesday, two working days of post (Thursday), one of margin: Friday at the earliest.
    assert booked_day(notice) == add_working_days(TUESDAY, 2 + 1) == date(2026, 12, 11)
    assert "Datum: 8 december 2026" in letter_text(first_letter(notice), tmp_path)


def test_a_letter_after_todays_batch_is_in_the_next_batch_and_its_time_counts_from_there(
        app: Flask, on_tuesday: None, tmp_path: Path) -> None:
    claim_batch(TUESDAY)  # today's batch is made: the next letter leaves on Wednesday
    import_rows(row(referens="NEXT-BATCH"))
    run_pass()
    notice = notice_by_reference("NEXT-BATCH")
    assert booked_day(notice) == date(2026, 12, 14)  # Wednesday + 2 + 1 working days: Monday
    letter = first_letter(notice)
    assert "Datum: 9 december 2026" in letter_text(letter, tmp_path)
    _batch, letters = claim_batch(date(2026, 12, 9))
    assert letter in letters


def test_the_post_days_are_configured(app: Flask, on_tuesday: None) -> None:
    app.config["POSTAL_WORKING_DAYS"] = 4
    import_rows(row(referens="SLOW-POST"))
    run_pass()
    assert booked_day(notice_by_reference("SLOW-POST")) == add_working_days(TUESDAY, 4 + 1)


def test_no_time_before_the_deadline_still_sends_a_letter_with_a_code_that_books_and_makes_a_task(
        app: Flask, client: FlaskClient, on_thursday: None, tmp_path: Path) -> None:
    # Thursday: an eviction on Monday leaves no time the post can reach the person before.
    eviction = THURSDAY + timedelta(days=4)
    import_rows(row(referens="KFM-NEAR", typ="avhysning", skuld="", uppsagning="",
                    avhysning=f"{eviction.isoformat()} 09:30"))
    run_pass()
    notice = notice_by_reference("KFM-NEAR")
    assert notice.outcome == Outcome.CONTACTED and notice.escalated_at is not None
    task = get_action(notice.id, ActionKind.FOLLOWUP_TASK)
    assert task is not None and task.status == ActionStatus.PENDING and "Ingen ledig tid" in task.detail
    text = letter_text(first_letter(notice), tmp_path)
    assert "Vi har inte kunnat boka en tid åt dig" in text and "Ring oss eller kom in till oss" in text
    assert "Vi har bokat en tid åt dig" not in text
    code = re.search(r"Kod: ([A-Z0-9]{10})", text)
    assert code is not None
    # The code picks any free time on the rebooking page.
    page = client.get(f"/sv/tid/{code.group(1)}")
    assert page.status_code == 200 and "Du har ingen bokad tid just nu" in page.text
    chosen = re.search(r'name="starts_at" id="starts_at" value="([^"]+)"', page.text)
    assert chosen is not None
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    data = {"starts_at": chosen.group(1), **({"csrf_token": token.group(1)} if token else {})}
    assert client.post(f"/sv/tid/{code.group(1)}", data=data).status_code == 302
    step = get_action(notice.id, ActionKind.BOOKING)
    assert step is not None
    booking = db.session.get(Booking, step.ref_id)
    db.session.refresh(booking)
    assert booking is not None and booking.status == BookingStatus.BOOKED and booking.place >= 1
    assert booking.starts_at == datetime.fromisoformat(chosen.group(1))


def test_a_landlords_file_of_1000_on_a_nearly_full_day_leaves_no_notice_without_a_letter_or_task(
        app: Flask, on_tuesday: None) -> None:
    from portal.booking.models import CalendarSettings

    # A small reception: one place per half hour, 09-11, so the weeks before the deadlines fill fast.
    db.session.add(CalendarSettings(id=1, hours={str(d): [["09:00", "11:00"]] for d in range(5)}, slot_minutes=30,
                                    places_per_slot=1, lead_working_days=2))
    db.session.commit()
    report = import_rows(*numbered_rows(1000))
    assert len(report.created) == 1000 and not report.rejected
    run_pass()
    letters = select(func.count()).select_from(Notice).where(Notice.outcome == Outcome.CONTACTED)
    assert db.session.scalar(letters) == 1000
    for notice in db.session.scalars(select(Notice)):
        has_letter = get_action(notice.id, ActionKind.LETTER_FIRST) is not None
        has_task = get_action(notice.id, ActionKind.FOLLOWUP_TASK) is not None
        assert has_letter or has_task, notice.reference
        assert has_letter, f"{notice.reference}: no letter"
    booked = db.session.scalar(select(func.count()).select_from(Booking)
                               .where(Booking.status == BookingStatus.BOOKED))
    tasks = db.session.scalar(select(func.count()).select_from(Notice).where(Notice.escalated_at.is_not(None)))
    assert booked and tasks and booked + tasks == 1000


# --- 3. Urgency that looks urgent --------------------------------------------------------------------------------

def _staff(client: FlaskClient, role: Role) -> None:
    user = create_staff_user(email=f"{role}@example.org", role=role)
    login_staff(client, user.email, PASSWORD)


def _row_of(html: str, text: str) -> str:
    """The table row of the page holding `text`."""
    rows = [chunk.split("</tr>")[0] for chunk in html.split("<tr")[1:] if text in chunk.split("</tr>")[0]]
    assert rows, text
    return rows[0]


def test_an_eviction_two_days_away_is_red_first_and_gets_an_immediate_task(
        app: Flask, client: FlaskClient, on_tuesday: None) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    old = (TUESDAY - timedelta(days=30)).isoformat()
    # A decided notice whose deadline was last week sorted before everything until now.
    import_rows(row(referens="DECIDED-EARLIER", inkom=old, uppsagning=old, adress="Annan gata 2",
                    personnummer="198112189876"),
                row(referens="KFM-TWO-DAYS", typ="avhysning", skuld="", uppsagning="",
                    avhysning=f"{(TUESDAY + timedelta(days=2)).isoformat()} 09:00"))
    run_pass()
    casework.record_decision(notice_by_reference("DECIDED-EARLIER"), decision=Decision.NO_ACTION, reason="Betalt",
                             staff_id=staff.id)
    notice = notice_by_reference("KFM-TWO-DAYS")
    task = get_action(notice.id, ActionKind.FOLLOWUP_TASK)
    assert task is not None and task.status == ActionStatus.PENDING
    assert "Brådskande" in task.detail and "2026-12-10" in task.detail
    login_staff(client, staff.email, PASSWORD)
    listing = client.get("/staff/underrattelser/").text
    assert listing.index("KFM-TWO-DAYS") < listing.index("DECIDED-EARLIER"), "the urgent notice sorts first"
    assert "tag--red\">Brådskande" in _row_of(listing, "KFM-TWO-DAYS")
    assert "Brådskande" not in _row_of(listing, "DECIDED-EARLIER")
    # The reception's queue: red, never a green "I tid".
    _staff(client, Role.RECEPTION)
    queue = client.get("/staff/intag/").text
    item_row = _row_of(queue, "2026-12-10")
    assert "tag--red\">Brådskande" in item_row and "I tid" not in item_row and "tag--green" not in item_row


def test_once_the_household_is_reached_it_is_no_longer_urgent(app: Flask, on_tuesday: None) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    import_rows(row(referens="KFM-REACHED", typ="avhysning", skuld="", uppsagning="",
                    avhysning=f"{(TUESDAY + timedelta(days=2)).isoformat()} 09:00"))
    run_pass()
    notice = notice_by_reference("KFM-REACHED")
    assert casework.is_urgent(notice)
    casework.record_attempt(notice, channel=AttemptChannel.CALL, result=AttemptResult.REACHED, note="",
                            staff_id=staff.id)
    assert not casework.is_urgent(notice)


# --- 4. The right words for the case -----------------------------------------------------------------------------

OPENINGS = {
    "uppsagning": "Din hyresvärd har meddelat oss att hyran inte är betald",
    "storning": "klagomål om störningar från din bostad",
    "avhysning": "Kronofogden har meddelat oss att du ska avhysas från din bostad den",
    "ovrigt": "Din hyresvärd har skickat ett meddelande till oss om ditt hyresavtal",
}


def _pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", re.sub("[\u2066-\u2069]", "", text))


@pytest.mark.parametrize("kind", sorted(OPENINGS))
def test_each_notice_type_has_its_own_text_in_every_language(app: Flask, tmp_path: Path, kind: str) -> None:
    from flask_babel import force_locale, format_date, format_time

    from outreach.letters import LetterData, _opening, render_outreach_letter
    from tests.letters.factories import outreach_letter_fields

    eviction_at = datetime(2026, 12, 14, 9, 30, tzinfo=clock.LOCAL_TZ)
    for language in app.config["LANGUAGES"]:
        fields = {**outreach_letter_fields(language), "notice_kind": kind,
                  "eviction_at": eviction_at if kind == "avhysning" else None,
                  "recovery_deadline": None if kind != "uppsagning" else date(2026, 12, 10)}
        text = _pdf_text(bytes(render_outreach_letter(**fields)), tmp_path, f"{kind}-{language}")
        assert OPENINGS[kind] in text, (kind, language)
        for other, words in OPENINGS.items():
            if other != kind:
                assert words not in text, f"{kind} letter ({language}) has the {other} text"
        if kind == "avhysning":
            assert "måndag 14 december 2026 klockan 09:30" in text
        data = LetterData(kind="outreach_first", recipient_name="x", booking_starts_at=None, rebooking_code=None,
                          rebooking_url=None, recovery_deadline=None, amount_text=None, eviction_at=fields[
                              "eviction_at"], phone="1", phone_hours="9", place="p", notice_kind=kind)
        with force_locale(language):
            # Dates and times are isolated and kept on one line in the letter (portal.bidi): read the words.
            translated = _opening(data).translate(ISOLATION_MARKS).replace("\xa0", " ")
            if kind == "avhysning":
                assert format_time(eviction_at, "HH:mm") in translated
                assert format_date(eviction_at, "full") in translated
        if language != "sv":
            assert translated != _sv_opening(data), f"{kind} not translated to {language}"
            # The person's language follows the Swedish: its first words are in the letter.
            head = " ".join(translated.split()[:3])
            assert head in text or language in ("ar", "fa"), (language, head)


ISOLATION_MARKS = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069"))


def _sv_opening(data: object) -> str:
    from flask_babel import force_locale

    from outreach.letters import _opening

    with force_locale("sv"):
        return _opening(data).translate(ISOLATION_MARKS).replace("\xa0", " ")  # type: ignore[arg-type]


def _code_in(letter: Letter, tmp_path: Path) -> str:
    found = re.search(r"Kod: ([A-Z0-9]{10})", letter_text(letter, tmp_path))
    assert found is not None
    return found.group(1)


def _second_letter(notice: Notice) -> Letter:
    step = get_action(notice.id, ActionKind.LETTER_SECOND)
    assert step is not None and step.ref_id is not None, "no follow-up letter"
    letter = db.session.get(Letter, step.ref_id)
    assert letter is not None
    return letter


def test_cancelling_online_is_contact_needing_a_new_time_and_the_follow_up_letter_says_so(
        app: Flask, client: FlaskClient, on_tuesday: None, tmp_path: Path) -> None:
    from outreach.pipeline.followup import follow_up
    from tests.pages import submit

    import_rows(row(referens="CANCELS-ONLINE"))
    run_pass()
    notice = notice_by_reference("CANCELS-ONLINE")
    code = _code_in(first_letter(notice), tmp_path)
    assert submit(client, f"/sv/tid/{code}", {"confirm": "y"}, action=f"/sv/tid/{code}/avboka").status_code == 302
    follow_up(today=TUESDAY)  # the next pass, minutes later
    task = get_action(notice.id, ActionKind.FOLLOWUP_TASK)
    assert task is not None and "Avbokade tiden på webben och behöver en ny tid" in task.detail
    text = letter_text(_second_letter(notice), tmp_path)
    assert "Du avbokade tiden vi hade bokat åt dig" in text
    assert "har inte fått kontakt" not in text
    # The follow-up letter's code picks a new time, and so does the first letter's.
    for letter_code in (_code_in(_second_letter(notice), tmp_path), code):
        page = client.get(f"/sv/tid/{letter_code}")
        assert page.status_code == 200 and "Välj en tid" in page.text


def test_a_missed_time_gets_a_letter_that_says_so(app: Flask, on_tuesday: None, tmp_path: Path) -> None:
    from outreach.pipeline.followup import follow_up
    from portal.booking import service

    import_rows(row(referens="MISSES"))
    run_pass()
    notice = notice_by_reference("MISSES")
    step = get_action(notice.id, ActionKind.BOOKING)
    assert step is not None and step.ref_id is not None
    booking = db.session.get(Booking, step.ref_id)
    assert booking is not None
    with clock.travel(booking.starts_at + timedelta(minutes=20)):
        service.mark_no_show(booking.id, actor="reception")
        follow_up(today=clock.local_today())
    text = letter_text(_second_letter(notice), tmp_path)
    assert "Du kom inte till den tid vi hade bokat åt dig" in text and "har inte fått kontakt" not in text
    assert re.search(r"Kod: [A-Z0-9]{10}", text)


# --- 5. Timeline and attendance ----------------------------------------------------------------------------------

def test_attendance_is_marked_only_from_the_start_on_and_an_early_no_show_makes_no_letter(
        app: Flask, on_tuesday: None) -> None:
    from outreach.pipeline.followup import follow_up
    from portal.booking import opening_hours, service

    import_rows(row(referens="EARLY"))
    run_pass()
    notice = notice_by_reference("EARLY")
    step = get_action(notice.id, ActionKind.BOOKING)
    assert step is not None and step.ref_id is not None
    booking = db.session.get(Booking, step.ref_id)
    assert booking is not None and booking.starts_at > clock.now() + timedelta(days=2)
    for mark in (service.mark_no_show, service.mark_attended):
        with pytest.raises(opening_hours.BookingError, match="inte börjat"):
            mark(booking.id, actor="reception")
    db.session.rollback()
    follow_up(today=TUESDAY)
    assert get_action(notice.id, ActionKind.LETTER_SECOND) is None
    assert db.session.get(Booking, booking.id).status == BookingStatus.BOOKED  # type: ignore[union-attr]
    with clock.travel(booking.starts_at):
        assert service.mark_attended(booking.id, actor="reception").status == BookingStatus.ATTENDED


def test_the_timeline_tells_the_story_in_swedish_time(app: Flask, client: FlaskClient, on_tuesday: None,
                                                      tmp_path: Path) -> None:
    from portal.booking import opening_hours, service
    from tests.pages import submit

    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    import_rows(row(referens="STORY"))
    run_pass()
    notice = notice_by_reference("STORY")
    letter = first_letter(notice)
    code = _code_in(letter, tmp_path)
    claim_batch(TUESDAY)
    first_time = booked_day(notice)
    assert submit(client, f"/sv/tid/{code}", {"confirm": "y"}, action=f"/sv/tid/{code}/avboka").status_code == 302
    step = get_action(notice.id, ActionKind.BOOKING)
    assert step is not None and step.ref_id is not None
    (_day, starts), *_ = opening_hours.offered_times()
    service.move_booking(step.ref_id, starts[0], actor="ombokning med kod")
    with clock.travel(starts[0] + timedelta(minutes=1)):
        service.mark_attended(step.ref_id, actor="reception")
        login_staff(client, staff.email, PASSWORD)
        page = client.get(f"/staff/underrattelser/{notice.id}").text
        letters_page = client.get("/staff/brev/").text
    timeline = page.split("<h2>Händelser</h2>")[1].split("</ol>")[0]
    local_start = starts[0].astimezone(clock.LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    assert f"Tid bokad</strong>: tid {first_time.isoformat()}" in timeline
    assert "Avbokade på webben" in timeline
    assert f"Tid vald med koden</strong>: tid {local_start}" in timeline
    assert "Kom till tiden" in timeline
    assert "utskriftsdag 2026-12-08" in timeline
    assert timeline.index("Tid bokad") < timeline.index("Avbokade på webben") < timeline.index("Kom till tiden")
    # Swedish local time, not UTC: the letter was made at about 10:00 in Stockholm (09:00 UTC).
    assert "UTC" not in letters_page and "2026-12-08 10:0" in letters_page
