"""The subject-access export (registerutdrag, GDPR art. 15): everything held about a person, nothing forgotten.

The completeness test does not trust the export's own idea of what is personal: it walks SQLAlchemy's
metadata from `person` (every table with a foreign key to a personal table, transitively, and every table with
a personnummer column) and finds the person's rows in the database itself. A table added later that refers to
a person fails here until the export covers it, and a table that holds nothing personal must say so, with the
reason, in NOT_PERSONAL.
"""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table, or_, select, update

from outreach.casework import service as casework
from outreach.funnel import variants
from outreach.funnel.returns import register_return
from outreach.notices.models import AttemptChannel, AttemptResult, Decision, KnownClient, Notice
from outreach.pipeline.run import run_pass
from portal import clock
from portal.applications import messages, service
from portal.audit import AuditEvent
from portal.db import Base, db
from portal.documents.service import add_document
from portal.intake import delay, handoff, meeting
from portal.intake.claims import change_state, claim_item
from portal.intake.models import IntakeItem
from portal.intake.service import local_today
from portal.letters.models import Letter
from portal.people import Person, Protection
from portal.roles import Role
from portal.subject_access import build_export, write_archive
from tests.applications.factories import ANSWERS, create_application
from tests.documents import samples
from tests.documents.factories import upload
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.outreach.factories import import_rows, notice_by_reference, row
from tests.pages import get_page, login_staff, submit

PERSONNUMMER = "201701012393"
OTHER = "202503082386"

# Tables that hold nothing about any one resident, and why. Every other table must be reached from `person`.
NOT_PERSONAL = {
    "audit_chain_head": "the position and hash of the newest audit event, one row for the whole log",
    "booking_settings": "the reception's opening hours and slot rules",
    "booking_closed_day": "days the reception is closed",
    "booking_extra_session": "extra reception times an administrator added for a day (staff name only)",
    "booking_capacity_warning": "the days the capacity warning was e-mailed to administrators (a count)",
    "job_run": "when the scheduler's jobs last ran",
    "letter_print_batch": "one row per print day (counts); each person's letters are exported with them",
    "intake_meeting": "the day of an intake meeting; the decisions about a person's item are exported",
    "notice_api_key": "landlords' API keys",
    "notice_retention_count": "anonymous counts of deleted notices",
    "staff_user": "staff accounts, not residents",
    "staff_recovery_code": "staff members' second-factor recovery codes",
    "staff_login_throttle": "failed staff logins per account and address, not residents",
    "web_session": "login sessions: a person id at most, gone within hours (PORTAL_RESIDENT_SESSION_MAX_HOURS)",
    "stored_file": "file metadata; a person's files go into the archive with their document or letter",
    "letter_variant": "the letter texts under test (no person); which letter a person got is in "
                      "letter_variant_assignment, exported with their notices",
}


def personal_tables(metadata: MetaData = Base.metadata) -> set[str]:
    """Every table that refers to a person: a personnummer column, or a foreign key to a personal table."""
    tables = metadata.tables.values()
    found = {"person"} | {t.name for t in tables if "personnummer" in t.c}
    while True:
        more = {t.name for t in tables for fk in t.foreign_keys if fk.column.table.name in found} - found
        if not more:
            return found
        found |= more


def test_the_walk_finds_a_table_added_later_however_it_refers_to_the_person() -> None:
    metadata = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    Table("session_store", metadata, Column("id", Integer, primary_key=True),
          Column("person_id", ForeignKey("person.id")))
    Table("letter_reading", metadata, Column("id", Integer, primary_key=True),
          Column("letter_id", ForeignKey("letter.id")))  # through a letter, two steps from person
    Table("protection_request", metadata, Column("id", Integer, primary_key=True), Column("personnummer", String))
    Table("opening_note", metadata, Column("id", Integer, primary_key=True), Column("text", String))
    found = personal_tables(metadata)
    assert {"session_store", "letter_reading", "protection_request"} <= found
    assert "opening_note" not in found  # so the completeness test asks for it in NOT_PERSONAL


def _pk(table: Table) -> Any:
    (column,) = table.primary_key.columns
    return column


def rows_held_about(person: Person) -> dict[str, set[Any]]:
    """The person's rows in every personal table, found by following foreign keys in the database (a row that
    carries another person's personnummer is that person's, whatever it is linked to)."""
    tables = {t.name: t for t in Base.metadata.tables.values()}
    found: dict[str, set[Any]] = {"person": {person.id}}
    for name, table in tables.items():
        if "personnummer" in table.c:
            found.setdefault(name, set()).update(db.session.scalars(
                select(_pk(table)).where(table.c.personnummer == person.personnummer)))
    changed = True
    while changed:
        changed = False
        for name, table in tables.items():
            for fk in table.foreign_keys:
                parents = found.get(fk.column.table.name)
                if not parents:
                    continue
                query = select(_pk(table)).where(fk.parent.in_(parents))
                if "personnummer" in table.c:  # a row that names another person by number is theirs
                    query = query.where(or_(table.c.personnummer.is_(None),
                                            table.c.personnummer == person.personnummer))
                ids = set(db.session.scalars(query))
                if not ids <= found.get(name, set()):
                    found.setdefault(name, set()).update(ids)
                    changed = True
    return {name: ids for name, ids in found.items() if ids}


@pytest.fixture(autouse=True)
def on_a_tuesday() -> Iterator[None]:
    """A fixed Tuesday: the pipeline books a time and writes the letter only when a time is free before the
    deadline, and late in the week it is not (issue 26); the person must have a booking and a letter."""
    with clock.travel(datetime(2026, 12, 8, 10, tzinfo=clock.LOCAL_TZ)):
        yield


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    return {"HANDOFF_DIR": str(tmp_path / "handoff")}


def _untie(reference: str) -> None:
    """Empty a notice's person_id, as for notices stored before they were tied to their person on arrival."""
    db.session.execute(update(Notice).where(Notice.reference == reference).values(person_id=None))
    db.session.commit()
    assert notice_by_reference(reference).person_id is None


def _everything(protection: Protection = Protection.NONE) -> Person:
    """A person with a record in every personal table, made the way the product makes them, and a second
    person whose records must stay out of the first one's export."""
    reception = create_staff_user(email="rita@example.org", role=Role.RECEPTION)
    coordinator = create_staff_user(email="cora@example.org", role=Role.COORDINATOR, name="Cora")
    caseworker = create_staff_user(email="hanna@example.org", role=Role.CASEWORKER, name="Hanna")
    outreach_worker = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    person = create_person(personnummer=PERSONNUMMER, name="Amina Hassan", protection=protection)

    # A landlord's notice, moved on by the pipeline: intake item, booking, letter, the steps taken; a test of
    # letter texts is running, so the notice draws a letter (recorded), and the letter comes back undelivered.
    texts = {lang: {"heading": "Rubrik", "opening": "Inledning"} for lang in current_app.config["LANGUAGES"]}
    variants.start(kind="uppsagning", name="Kortare inledning", share_percent=50, texts=texts,
                   staff_id=outreach_worker.id)
    import_rows(row(referens="HV-EXPORT-1", personnummer=PERSONNUMMER, namn="Amina Hassan", adress="Testgatan 1"),
                row(referens="HV-OTHER-1", personnummer=OTHER, namn="Bo Annan", adress="Annangatan 9"))
    run_pass()
    notice = notice_by_reference("HV-EXPORT-1")
    assert notice.person_id == person.id and notice.intake_item_id is not None
    letter = db.session.scalars(select(Letter).where(Letter.person_id == person.id)).first()
    assert letter is not None
    register_return(str(letter.id), staff_id=outreach_worker.id)
    casework.record_attempt(notice, channel=AttemptChannel.CALL, result=AttemptResult.REACHED,
                            note="Pratade med Amina", staff_id=outreach_worker.id)
    casework.record_decision(notice, decision=Decision.CONTACT_MADE, reason="", staff_id=outreach_worker.id)
    # A second notice known only by the personnummer: stored before notices were tied to their person as they
    # arrived (migration 0016), so person_id is empty until the pipeline reaches it.
    import_rows(row(referens="KFM-EXPORT-2", personnummer=PERSONNUMMER, namn="Amina Hassan", adress="Nygatan 2"))
    _untie("KFM-EXPORT-2")
    # The landlord corrects the other tenant's notice to the right number: Amina's now. The notice it corrects,
    # with Bo's name and address, stays Bo's, and this one is Amina's.
    import_rows(row(referens="HV-OTHER-1-B", rattelse_av="HV-OTHER-1", personnummer=PERSONNUMMER,
                    namn="Amina Hassan", adress="Testgatan 1"))
    assert notice_by_reference("HV-OTHER-1-B").corrects_id == notice_by_reference("HV-OTHER-1").id
    db.session.add(KnownClient(personnummer=PERSONNUMMER, unit="Vuxenenheten", caseworker="Sara Nilsson",
                               email="vuxen@example.org"))
    db.session.commit()

    # An e-application with answers, a document and messages both ways.
    application = create_application(person_id=person.id, about={**ANSWERS["about"], "street": "Svarsvägen 77"})
    service.submit_application(application.id, person_id=person.id)
    add_document(application.checklist[0], upload(samples.simple_pdf(), name="kontoutdrag.pdf"), person_id=person.id)
    messages.send_from_resident(application, body="Jag skickar hyresavin i morgon.")
    messages.send_from_staff(application.id, staff=reception, body="Tack, vi har fått kontoutdraget.")

    # Its intake item through the reception: a delay notice, the intake meeting, the hand-off.
    item_id = application.intake_item_id
    assert item_id is not None
    item = claim_item(item_id, staff=reception)
    delay.send_delay_notice(item.id, staff=reception, version=item.version,
                            expected_on=local_today() + timedelta(days=20), reason_code="workload")
    item = change_state(item_id, staff=reception, version=db.session.get(IntakeItem, item_id).version,
                        action="ready")
    meeting.assign_items([meeting.Assignment(item.id, item.version, caseworker.id)], staff=coordinator)
    handoff.hand_off_item(item.id, staff=caseworker, version=None)
    return person


def test_the_export_holds_every_row_of_every_table_that_refers_to_the_person(app: Flask) -> None:
    person = _everything()
    unclassified = set(Base.metadata.tables) - personal_tables() - set(NOT_PERSONAL)
    assert unclassified == set(), "a table that is neither reached from person nor listed in NOT_PERSONAL"
    assert personal_tables() & set(NOT_PERSONAL) == set(), "a table listed as not personal refers to a person"
    held = rows_held_about(person)
    # The fixture must really have everything: a new personal table needs a record here.
    assert personal_tables() - set(held) == set(), "add a record of these tables to _everything()"

    export = build_export(person).data
    exported = {table: set(ids) for table, ids in export["tables"].items()}
    # The access log also holds events about the person's records written without the person (see below).
    assert held.pop("audit_event") <= exported.pop("audit_event")
    assert exported == held
    # Nothing of the other person's.
    other = db.session.scalar(select(Person).where(Person.personnummer == OTHER))
    assert other is not None
    assert not rows_held_about(other)["notice"] & set(export["tables"]["notice"])
    bo = {n["reference"] for n in build_export(other).data["notices"]}
    assert bo == {"HV-OTHER-1"} and notice_by_reference("HV-OTHER-1").id not in export["tables"]["notice"]


def test_the_export_says_what_is_held_in_each_part(app: Flask) -> None:
    person = _everything()
    data = json.loads(json.dumps(build_export(person).data))  # what the file will hold
    assert data["person"]["name"] == "Amina Hassan" and data["person"]["protection"] == "none"
    notices = {n["reference"]: n for n in data["notices"]}
    assert set(notices) == {"HV-EXPORT-1", "KFM-EXPORT-2", "HV-OTHER-1-B"}
    first = notices["HV-EXPORT-1"]
    assert first["address"] == "Testgatan 1" and first["amount_text"] == "10 000" and first["protected"] is False
    assert first["decision"] == "contact_made"
    assert [a["note"] for a in first["attempts"]] == ["Pratade med Amina"]
    assert {"intake_item", "booking", "letter_first"} <= {a["kind"] for a in first["actions"]}
    assert notices["KFM-EXPORT-2"]["person_id"] is None
    assert data["known_client"][0]["unit"] == "Vuxenenheten"
    (application,) = data["applications"]
    assert application["answers"]["about"]["street"] == "Svarsvägen 77"
    assert {m["body"] for m in application["messages"]} == {"Jag skickar hyresavin i morgon.",
                                                           "Tack, vi har fått kontoutdraget."}
    assert application["checklist"] and data["documents"][0]["file"].startswith("files/dokument/")
    kinds = {e["kind"] for item in data["intake_items"] for e in item["events"]}
    assert {"assigned", "handed_over"} <= kinds
    handed = next(i for i in data["intake_items"] if i["handoffs"])
    assert handed["meeting_decisions"] and handed["delay_notices"][0]["channel"] in ("email", "manual")
    assert data["bookings"] and "code_hash" not in data["bookings"][0]
    assert {letter["kind"] for letter in data["letters"]} >= {"outreach_first"}
    actions = {event["action"] for event in data["access_log"]}
    assert {"outreach.attempt_recorded", "intake.assign"} <= actions
    assert all("hash" not in event and "remote_addr" not in event for event in data["access_log"])


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "export.pdf"
    path.write_bytes(pdf)
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True, check=False).returncode == 0
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def test_the_archive_holds_the_json_a_readable_swedish_pdf_and_the_files(app: Flask, tmp_path: Path) -> None:
    person = _everything()
    export = build_export(person)
    buffer = io.BytesIO()
    assert write_archive(export, buffer) == []
    archive = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    names = set(archive.namelist())
    assert {"export.json", "export.pdf"} <= names
    assert json.loads(archive.read("export.json"))["person"]["personnummer"] == PERSONNUMMER
    document = export.data["documents"][0]
    assert archive.read(document["file"]) == samples.simple_pdf()
    for letter in export.data["letters"]:
        assert archive.read(letter["file"]).startswith(b"%PDF")
    text = _pdf_text(archive.read("export.pdf"), tmp_path)
    assert "Gatuadress" in text and "Hur bor du?" in text  # the answers in words, as the resident was asked
    for expected in ("Registerutdrag", "Amina Hassan", "HV-EXPORT-1", "KFM-EXPORT-2", "Svarsvägen 77",
                     "Underrättelser om risk för vräkning", "Pratade med Amina", "Tack, vi har fått kontoutdraget",
                     "Hyresgästens namn", "Kontakt tagen", "Fick kontakt", "Fördelat"):
        assert expected in text, expected


def test_a_protected_person_gets_their_own_address_and_protection_as_stored(app: Flask, tmp_path: Path) -> None:
    person = create_person(personnummer=PERSONNUMMER, name="Amina Hassan",
                           protection=Protection.PROTECTED_REGISTRATION)
    import_rows(row(referens="HV-SKYDD", personnummer=PERSONNUMMER, adress="Hemliga vägen 3", skyddad="ja"))
    export = build_export(person)
    assert export.data["person"]["protection"] == "skyddad_folkbokforing"
    (notice,) = export.data["notices"]
    assert notice["protected"] is True and notice["address"] == "Hemliga vägen 3"
    buffer = io.BytesIO()
    write_archive(export, buffer)
    text = _pdf_text(zipfile.ZipFile(buffer).read("export.pdf"), tmp_path)
    assert "Hemliga vägen 3" in text and "skyddad folkbokföring" in text


def test_a_missing_file_is_named_in_the_archive_not_silently_left_out(app: Flask) -> None:
    from portal.storage import get_storage

    person = create_person(personnummer=PERSONNUMMER)
    application = create_application(person_id=person.id)
    document = add_document(application.checklist[0], upload(samples.simple_pdf()), person_id=person.id)
    get_storage().delete(document.stored_file.key)
    buffer = io.BytesIO()
    problems = write_archive(build_export(person), buffer)
    assert len(problems) == 1 and "saknas" in problems[0]
    assert "saknas" in zipfile.ZipFile(buffer).read("files/SAKNAS.txt").decode()


def test_cli_writes_the_zip_and_logs_the_export_with_the_person(runner: Any, app: Flask, tmp_path: Path) -> None:
    person = _everything()
    out = tmp_path / "utdrag.zip"
    result = runner.invoke(args=["person", "export", "20170101-2393", "--out", str(out)])
    assert result.exit_code == 0, result.output
    names = zipfile.ZipFile(out).namelist()
    assert "export.pdf" in names and any(n.startswith("files/brev/") for n in names)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.export")).one()
    assert event.person_id == person.id and event.actor_label == "cli"
    assert runner.invoke(args=["person", "export", "20170101-2394"]).exit_code != 0  # bad check digit


def test_admin_page_downloads_the_zip_and_the_read_is_logged(client: FlaskClient, app: Flask) -> None:
    person = _everything()
    create_staff_user(email="admin@example.org", role=Role.ADMIN)
    login_staff(client, "admin@example.org", PASSWORD)
    assert "Registerutdrag" in client.get("/staff/").get_data(as_text=True)
    form = get_page(client, "/staff/registerutdrag/", lang="sv").find("form", action="/staff/registerutdrag/")
    assert form is not None and form.find("input", attrs={"name": "personnummer"}) is not None
    response = submit(client, "/staff/registerutdrag/", {"personnummer": "20170101-2393"})
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert PERSONNUMMER not in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    response.close()  # closes the spooled archive, as the WSGI server does after sending it
    assert json.loads(archive.read("export.json"))["person"]["id"] == person.id
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person.export")).one()
    assert event.person_id == person.id and event.actor_kind == "staff" and event.actor_label == "admin@example.org"
    assert submit(client, "/staff/registerutdrag/", {"personnummer": "nonsense"}).status_code == 400
    assert submit(client, "/staff/registerutdrag/", {"personnummer": "19000612-9803"}).status_code == 404


def test_only_administrators_may_export(client: FlaskClient, app: Flask) -> None:
    create_person(personnummer=PERSONNUMMER)
    create_staff_user(email="rita@example.org", role=Role.RECEPTION)
    login_staff(client, "rita@example.org", PASSWORD)
    assert client.get("/staff/registerutdrag/").status_code == 403
    token = client.get("/staff/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/staff/registerutdrag/", data={"csrf_token": token, "personnummer": PERSONNUMMER})
    assert response.status_code == 403
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.export")) is None


def test_a_read_of_a_notice_not_yet_linked_to_the_person_is_in_their_access_log(client: FlaskClient,
                                                                                app: Flask) -> None:
    person = create_person(personnummer=PERSONNUMMER)
    import_rows(row(referens="HV-OLÄNKAD", personnummer=PERSONNUMMER))
    _untie("HV-OLÄNKAD")
    notice = notice_by_reference("HV-OLÄNKAD")
    create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    login_staff(client, "ulla@example.org", PASSWORD)
    assert client.get(f"/staff/underrattelser/{notice.id}").status_code == 200
    log = build_export(person).data["access_log"]
    assert [(e["action"], e["actor_label"], e["object_id"]) for e in log if e["object_type"] == "notice"] == [
        ("outreach.notice_view", "ulla@example.org", str(notice.id))]
