"""Interpreter need (issue 27 point 5): recorded once, on the person, and seen wherever staff meet them, and in
the outreach letter in the person's language, read back from the PDF; on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import select, text

from outreach.letters import outreach_letter_content
from outreach.notices.actions import get_action
from outreach.notices.models import ActionKind
from outreach.pipeline.run import run_pass
from portal import interpreter
from portal.applications import service as applications
from portal.audit import AuditEvent, verify_chain
from portal.booking.models import Booking
from portal.clock import LOCAL_TZ, local_today
from portal.db import db
from portal.intake.models import IntakeItem, State
from portal.intake.service import set_state
from portal.letters.models import Letter
from portal.letters.service import read_letter_pdf
from portal.migrate import alembic_config, downgrade, upgrade
from portal.people import Person
from portal.staff.models import Role
from tests.applications.factories import ANSWERS, create_application
from tests.conftest import RequestIsolatedClient
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.intake.factories import create_item
from tests.letters.factories import outreach_letter_fields
from tests.letters.test_outreach_letter import text_of, words_in_order
from tests.outreach.factories import HEADER, import_file, import_rows, notice_by_reference, notice_file, row
from tests.pages import get_page, login_staff, submit

SWEDISH = "Vi bokar en tolk på tigrinja till dig när vi träffas."
NUMBER = "202503082386"


def _staff_client(app: Flask, role: Role) -> FlaskClient:
    user = create_staff_user(email=f"{role.value}@example.org", role=role, name=f"Anna {role.value}")
    app.test_client_class = RequestIsolatedClient  # a fresh `g` per request, as in a server (tests/conftest.py)
    client = app.test_client()
    login_staff(client, user.email, PASSWORD)
    return client


def _person(person_id: int) -> Person:
    """The person as the database holds it now (each request ends the session its objects were read in)."""
    db.session.expire_all()
    person = db.session.get(Person, person_id)
    assert person is not None
    return person


def _applied_and_noticed() -> tuple[int, int, int]:
    """Mariam applies in Tigrinya and says she needs an interpreter; then her landlord's notice comes (which says
    her language, and nothing about an interpreter) and the pipeline books a time and writes the letter."""
    person = create_person(personnummer=NUMBER, name="Mariam Tesfaye", language=None)
    application = create_application(person_id=person.id, language="ti",
                                     about={**ANSWERS["about"], "name": "Mariam Tesfaye", "interpreter": "yes"})
    submitted = applications.submit_application(application.id, person_id=person.id, language="ti")
    applied = db.session.get(IntakeItem, submitted.intake_item_id)
    assert applied is not None
    import_rows(row(referens="TOLK-1", namn="Mariam Tesfaye", personnummer=NUMBER, sprak="ti"))
    run_pass()
    notice = notice_by_reference("TOLK-1")
    noticed = db.session.get(IntakeItem, notice.intake_item_id)
    assert noticed is not None and noticed.person_id == person.id
    set_state(applied, State.READY_FOR_ASSIGNMENT)  # on the coordinator's board
    db.session.commit()
    return person.id, applied.id, noticed.id


def test_recorded_once_from_the_application_seen_on_every_page_and_in_the_letter(app: Flask, tmp_path: Path) -> None:
    person_id, applied_id, noticed_id = _applied_and_noticed()
    person = _person(person_id)
    # One record, on the person; the items hold none of their own.
    assert (person.interpreter_needed, person.interpreter_language, person.interpreter_source) == (
        True, "ti", "e-ansökan")
    assert not any(item.interpreter_needed for item in db.session.scalars(select(IntakeItem)))
    notice = notice_by_reference("TOLK-1")
    notice_id = notice.id

    # The letter, read back from its PDF: Swedish first, then the same sentence in Tigrinya.
    letter = db.session.get(Letter, get_action(notice.id, ActionKind.LETTER_FIRST).ref_id)  # type: ignore[union-attr]
    assert letter is not None and letter.language == "ti"
    letter_text = text_of(read_letter_pdf(letter), tmp_path)
    assert SWEDISH in letter_text
    with force_locale("ti"):
        tigrinya = gettext("Vi bokar en tolk på %(language)s till dig när vi träffas. Tolken är gratis för dig.",
                           language="ትግርኛ")
    assert tigrinya != SWEDISH and words_in_order(tigrinya, letter_text[letter_text.index(SWEDISH):])

    booking = db.session.get(Booking, get_action(notice_id, ActionKind.BOOKING).ref_id)  # type: ignore[union-attr]
    assert booking is not None and booking.intake_item_id == noticed_id
    day = booking.starts_at.astimezone(LOCAL_TZ).date()
    reception = _staff_client(app, Role.RECEPTION)
    day_row = next(tr for tr in get_page(reception, f"/staff/mottagning/?dag={day}").select("tbody tr")
                   if "Mariam Tesfaye" in tr.get_text())
    assert "Tolk: tigrinja" in day_row.get_text(" ")
    for item_id in (applied_id, noticed_id):
        page = get_page(reception, f"/staff/intag/{item_id}").get_text(" ")
        assert "Behöver tolk (tigrinja)" in page and "enligt e-ansökan" in page
    queue = get_page(reception, "/staff/intag/?state=all").get_text(" ")
    assert queue.count("Tolk") >= 2

    coordinator = _staff_client(app, Role.COORDINATOR)
    board_row = next(tr for tr in get_page(coordinator, "/staff/intag/mote").select("tbody tr")
                     if "Mariam Tesfaye" in tr.get_text())
    assert "Tolk: tigrinja" in board_row.get_text(" ")

    outreach = _staff_client(app, Role.OUTREACH)
    assert "Behöver tolk (tigrinja)" in get_page(outreach, f"/staff/underrattelser/{notice_id}").get_text(" ")


def test_a_change_by_staff_is_logged_on_the_timeline_and_seen_everywhere(app: Flask) -> None:
    person_id, applied_id, _ = _applied_and_noticed()
    notice_id = notice_by_reference("TOLK-1").id
    outreach = _staff_client(app, Role.OUTREACH)
    # A language with "not needed" contradicts: shown in place, nothing changed.
    page = f"/staff/underrattelser/{notice_id}"
    refused = submit(outreach, page, {"needed": "nej", "language": "ar"}, action=f"{page}/tolk")
    assert refused.status_code == 400 and "Välj ”Behöver tolk”" in refused.get_data(as_text=True)
    assert _person(person_id).interpreter_needed is True
    # The outreach worker learns on the phone that she now speaks Swedish well enough.
    done = submit(outreach, page, {"needed": "nej", "language": ""}, action=f"{page}/tolk")
    assert done.status_code == 302
    person = _person(person_id)
    assert person.interpreter_needed is False and person.interpreter_source == "Anna outreach (outreach@example.org)"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.interpreter",
                                                       AuditEvent.actor_kind == "staff"))
    assert event is not None and event.person_id == person_id and event.actor_label == "outreach@example.org"
    assert event.detail == "Behöver tolk (tigrinja) → Behöver inte tolk (Anna outreach (outreach@example.org))"
    assert verify_chain()[1] == []
    timeline = str(get_page(outreach, page).select_one("ol.timeline"))
    assert "Tolkbehov ändrat" in timeline and "→ Behöver inte tolk" in timeline

    # Every other place reads the same record.
    reception = _staff_client(app, Role.RECEPTION)
    item_page = get_page(reception, f"/staff/intag/{applied_id}")
    assert "Behöver inte tolk" in item_page.get_text(" ")
    history = item_page.select("table")[-1].get_text(" ")
    assert "Tolkbehov ändrat" in history and "outreach@example.org" in history
    coordinator = _staff_client(app, Role.COORDINATOR)
    assert "Tolk" not in next(tr for tr in get_page(coordinator, "/staff/intag/mote").select("tbody tr")
                              if "Mariam Tesfaye" in tr.get_text()).get_text(" ")

    # A later file saying yes does not undo a staff member's no; only staff change it back, here on the item.
    import_file(notice_file(row(referens="TOLK-2", namn="Mariam Tesfaye", personnummer=NUMBER, sprak="ti") + ";ja",
                            header=HEADER + ";tolk"), today=local_today())
    assert _person(person_id).interpreter_needed is False
    again = submit(reception, f"/staff/intag/{applied_id}", {"needed": "ja", "language": "ar"},
                   action=f"/staff/intag/{applied_id}/tolk")
    assert again.status_code == 302
    person = _person(person_id)
    assert (person.interpreter_needed, person.interpreter_language) == (True, "ar")
    assert "Behöver tolk (arabiska)" in get_page(outreach, page).get_text(" ")
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "person.interpreter")) == 3  # the application, and the two staff changes


def test_a_notice_file_and_the_typed_in_form_record_it_on_the_person(app: Flask) -> None:
    report = import_file(notice_file(
        row(referens="F-1", namn="Test Testsson", personnummer="201701012393", sprak="so") + ";ja",
        row(referens="F-2", namn="Olena Kovalenko", personnummer="202508242381") + ";kanske",
        header=HEADER + ";tolk"), today=local_today())
    assert report.rejected == [(3, "tolk: ska vara ja, nej eller okänt")]
    somali = db.session.scalar(select(Person).where(Person.personnummer == "201701012393"))
    assert somali is not None and (somali.interpreter_needed, somali.interpreter_language,
                                   somali.interpreter_source) == (True, "so", "underrättelse")
    outreach = _staff_client(app, Role.OUTREACH)
    form = get_page(outreach, "/staff/underrattelser/ny")
    assert [option["value"] for option in form.select("input[name=tolk]")] == ["ja", "nej", ""]
    values = {"typ": "uppsägning", "referens": "P-1", "hyresvard": "Testbostäder AB", "hyresgast_namn": "Karim Haddad",
              "personnummer": "20251002-2383", "adress": "Testgatan 2", "postnummer": "118 60", "ort": "Stockholm",
              "skuld_kr": "9 000", "uppsagning_datum": "2026-11-30", "barn_i_hushallet": "okänt", "sprak": "ar",
              "tolk": "ja", "skyddad_identitet": ""}
    response = submit(outreach, "/staff/underrattelser/ny", values)
    assert response.status_code == 302
    karim = db.session.scalar(select(Person).where(Person.personnummer == "202510022383"))
    assert karim is not None and karim.interpreter_needed and karim.interpreter_language == "ar"
    notice_id = notice_by_reference("P-1").id
    assert "Behöver tolk (arabiska)" in get_page(outreach, f"/staff/underrattelser/{notice_id}").get_text(" ")


@pytest.mark.parametrize("language", ["sv", "en", "ar", "fa", "so", "ti", "fi", "uk"])
def test_the_letter_says_an_interpreter_is_booked_in_every_language(app: Flask, language: str) -> None:
    fields = {**outreach_letter_fields(language), "interpreter_needed": True, "interpreter_language": language}
    content = outreach_letter_content(**fields)
    paragraphs = [block["text"] for section in content["sections"] for block in section["blocks"]
                  if block["kind"] == "p"]
    for section in content["sections"]:
        with force_locale(section["lang"]):
            name = interpreter.language_name(language, section["lang"])
            booked = gettext("Vi bokar en tolk på %(language)s till dig när vi träffas. Tolken är gratis för dig.",
                             language=name)
        assert name and booked in paragraphs, (section["lang"], booked)
        assert section["lang"] == "sv" or not booked.startswith("Vi bokar"), f"{section['lang']}: translated"
    without = outreach_letter_content(**{**fields, "interpreter_needed": False})
    assert not any("Vi bokar en tolk" in block.get("text", "") for section in without["sections"]
                   for block in section["blocks"])


def test_a_language_written_in_words_is_kept_and_named_when_known(app: Flask) -> None:
    assert interpreter.language_code("Arabiska") == "ar" and interpreter.language_code("ትግርኛ") == "ti"
    assert interpreter.language_code("Somali") == "so" and interpreter.language_code("dari") is None
    person = create_person(language="fa")
    interpreter.record_from_source(person, needed=True, language="dari", source=interpreter.APPLICATION)
    db.session.commit()
    assert interpreter.need_of(person).label == "Behöver tolk (dari)"
    assert interpreter.letter_language(person) is None  # no name to print in eight languages: the plain sentence
    interpreter.record_from_source(person, needed=False, language=None, source=interpreter.NOTICE)
    assert person.interpreter_needed is True, "a form or a file never drops a need"


def test_an_item_without_a_person_keeps_its_own(app: Flask) -> None:
    item_id = create_item(language="so").id
    reception = _staff_client(app, Role.RECEPTION)
    response = submit(reception, f"/staff/intag/{item_id}", {"needed": "ja", "language": "so"},
                      action=f"/staff/intag/{item_id}/tolk")
    assert response.status_code == 302
    db.session.expire_all()
    item = db.session.get(IntakeItem, item_id)
    assert item is not None and item.interpreter_needed
    assert interpreter.for_item(item).label == "Behöver tolk (somaliska)"
    assert "Tolkbehov ändrat" in get_page(reception, f"/staff/intag/{item_id}").select("table")[-1].get_text(" ")


def test_the_migration_carries_over_what_items_applications_and_notices_held(app: Flask) -> None:
    """0035 moves the need from the items and the applications' answers to the person (and a notice's language to
    a person without one); an item with a person then holds none of its own."""
    phoned = create_person(personnummer="201701012393", language="so")
    item = create_item(person_id=phoned.id, language="so")
    item.interpreter_needed = True  # as a phone registration stored it before 0035
    applied = create_person(personnummer="202503082386", language=None)
    application = create_application(person_id=applied.id, about={**ANSWERS["about"], "interpreter": "yes",
                                                                   "interpreter_language": "Arabiska"})
    applications.submit_application(application.id, person_id=applied.id)
    declined = create_person(personnummer="202508242381")
    application = create_application(person_id=declined.id)  # "interpreter": "no"
    applications.submit_application(application.id, person_id=declined.id)
    noticed = create_person(personnummer="202510022383", language=None)
    import_rows(row(referens="M-1", namn="Test Testsson", personnummer="202510022383", sprak="fa"))
    db.session.commit()
    ids, item_id = (phoned.id, applied.id, declined.id, noticed.id), item.id
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    previous = ScriptDirectory.from_config(alembic_config(url)).get_revision("0035").down_revision
    db.session.remove()
    db.engine.dispose()
    downgrade(str(previous), url=url)
    upgrade(url=url)
    db.session.remove()
    db.engine.dispose()
    rows = {row.id: row for row in db.session.execute(text(
        "SELECT id, language, interpreter_needed, interpreter_language, interpreter_source FROM person"))}
    assert [tuple(rows[i])[1:] for i in ids] == [
        ("so", True, "so", "tidigare uppgift"), (None, True, "Arabiska", "tidigare uppgift"),
        ("sv", False, None, "tidigare uppgift"), ("fa", None, None, None)]
    assert db.session.scalar(text("SELECT interpreter_needed FROM intake_item WHERE id = :id"), {"id": item_id}) in (
        False, 0)
    person = db.session.get(Person, applied.id)
    assert person is not None and interpreter.letter_language(person) == "ar"
