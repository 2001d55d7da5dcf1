"""The application service: saving pages, the checklist, submitting once, confirming, and who may see what."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, func, select

from portal.applications import checklist, service
from portal.applications.models import Application, ItemState, Kind, PersonRole, Status
from portal.db import db, utcnow
from portal.intake.models import IntakeItem, Source, Urgency
from tests.applications.factories import ANSWERS, create_application
from tests.factories import create_person
from tests.pglocks import waiting_for_lock


def _intake_count() -> int:
    return int(db.session.scalar(select(func.count()).select_from(IntakeItem)) or 0)


def test_each_page_is_saved_at_once_and_the_draft_is_found_again(app: Flask) -> None:
    person = create_person()
    application = service.start_application(person.id, language="ar")
    service.save_step(application, "about", ANSWERS["about"], person_id=person.id)
    db.session.expire_all()
    again = service.start_application(person.id, language="sv")
    assert again.id == application.id
    assert again.answers["about"]["name"] == "Amina Test"
    assert again.email == "amina@example.org"
    assert again.started_at is not None and again.submitted_at is None
    assert again.reference.startswith("EB-")


def test_the_checklist_follows_the_answers(app: Flask) -> None:
    person = create_person()
    application = create_application(person_id=person.id)
    keys = [item.key for item in application.checklist]
    assert "payslips" in keys and "rental_contract" in keys
    service.save_step(application, "housing", {"housing": "no_home", "rent": "", "rent_arrears": "no"},
                      person_id=person.id)
    keys = [item.key for item in application.checklist]
    assert "rental_contract" not in keys and "rent_notice" not in keys
    assert all(item.state == ItemState.MISSING for item in application.checklist)


def test_a_partner_is_a_co_applicant_with_their_own_documents(app: Flask) -> None:
    person = create_person()
    application = create_application(person_id=person.id, partner={
        "has_partner": "yes", "partner_name": "Omar Test", "partner_personnummer": "20170102-2384"})
    assert application.co_applicant_person_id is not None
    assert ("account_statements", PersonRole.CO_APPLICANT) in {(i.key, i.person_role) for i in application.checklist}


def test_the_configured_rules_are_the_only_ones_used(app: Flask) -> None:
    app.config["CHECKLIST_RULES"] = "account_statements"
    application = create_application(person_id=create_person().id)
    assert [item.key for item in application.checklist] == ["account_statements"]


def test_an_applicant_outside_the_area_is_flagged_not_refused(app: Flask) -> None:
    app.config["SERVICE_AREA_POSTCODES"] = "111,112"
    person = create_person()
    application = create_application(person_id=person.id)
    assert application.outside_area
    submitted = service.submit_application(application.id, person_id=person.id)
    assert submitted.status == Status.SUBMITTED
    item = db.session.get(IntakeItem, submitted.intake_item_id)
    assert item is not None and "UTANFÖR OMRÅDET" in item.summary


def test_submit_records_the_time_and_creates_one_intake_item(app: Flask) -> None:
    person = create_person()
    application = create_application(person_id=person.id, about={**ANSWERS["about"], "urgent": "no_money_for_food",
                                                                  "interpreter": "yes"})
    submitted = service.submit_application(application.id, person_id=person.id, language="ar")
    assert submitted.status == Status.SUBMITTED and submitted.submitted_at is not None
    item = db.session.get(IntakeItem, submitted.intake_item_id)
    assert item is not None
    assert item.source == Source.E_APPLICATION and item.source_key == f"application:{application.id}"
    assert item.person_id == person.id and item.urgency == Urgency.NO_MONEY_FOR_FOOD
    assert item.language == "ar"
    db.session.refresh(person)
    # The applicant's own answer is held on the person, once; the item reads it from there.
    assert person.interpreter_needed and person.interpreter_language == "ar"
    assert person.interpreter_source == "e-ansökan"
    assert service.minutes_to_complete() and service.minutes_to_complete()[0] >= 0


def test_submitting_twice_makes_one_application_and_one_intake_item(app: Flask) -> None:
    person = create_person()
    application = create_application(person_id=person.id)
    first = service.submit_application(application.id, person_id=person.id)
    second = service.submit_application(application.id, person_id=person.id)
    assert first.id == second.id and first.submitted_at == second.submitted_at
    assert _intake_count() == 1
    with pytest.raises(service.AlreadySubmitted):
        service.save_step(first, "month", ANSWERS["month"], person_id=person.id)


@pytest.mark.postgres_only
def test_two_simultaneous_submits_make_one_intake_item(app: Flask, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    person = create_person()
    application_id = create_application(person_id=person.id).id
    barrier = threading.Barrier(4)
    results: list[Any] = []
    lock = threading.Lock()

    def run() -> None:
        with app.app_context():
            barrier.wait(20)
            try:
                outcome: Any = service.submit_application(application_id, person_id=person.id).status
            except Exception as error:
                outcome = error
            with lock:
                results.append(outcome)
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == [Status.SUBMITTED] * 4
    db.session.expire_all()
    assert _intake_count() == 1
    stored = db.session.get(Application, application_id)
    assert stored is not None and stored.intake_item_id is not None


@pytest.mark.postgres_only
def test_a_submit_waiting_on_another_finds_it_sent_and_makes_nothing(app: Flask, backend: str) -> None:
    """A has marked the application sent and holds its row until B is blocked on it; then A commits and B,
    re-reading the row, finds it no longer a draft and returns the same application."""
    if backend != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    person = create_person()
    application_id = create_application(person_id=person.id).id
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    a_has_updated = threading.Event()
    outcome: dict[str, Any] = {}

    def hold_until_b_waits(session: Any) -> None:
        a_has_updated.set()
        deadline = time.monotonic() + 20
        while not waiting_for_lock(url) and time.monotonic() < deadline:
            time.sleep(0.05)
        outcome["b_was_blocked"] = waiting_for_lock(url)

    def run(name: str) -> None:
        if name == "b":
            a_has_updated.wait(20)
        with app.app_context():
            if name == "a":
                event.listen(db.session(), "before_commit", hold_until_b_waits, once=True)
            submitted = service.submit_application(application_id, person_id=person.id)
            outcome[name] = (submitted.status, submitted.intake_item_id)
            db.session.remove()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcome["b_was_blocked"], "B never waited on A's row lock: the test did not overlap"
    assert outcome["a"][0] == outcome["b"][0] == Status.SUBMITTED
    assert outcome["a"][1] == outcome["b"][1] is not None
    assert _intake_count() == 1


def test_another_residents_application_is_not_found(app: Flask) -> None:
    owner = create_person()
    other = create_person(personnummer="201701022384", name="Annan Person")
    application = create_application(person_id=owner.id)
    assert service.get_application_for_resident(application.id, owner.id) is not None
    assert service.get_application_for_resident(application.id, other.id) is None
    with pytest.raises(LookupError):
        service.submit_application(application.id, person_id=other.id)


def test_the_co_applicant_confirms_with_their_own_login(app: Flask) -> None:
    person = create_person()
    partner = create_person(personnummer="201701022384", name="Omar Test")
    application = create_application(person_id=person.id, partner={
        "has_partner": "yes", "partner_name": "Omar Test", "partner_personnummer": "20170102-2384"})
    service.submit_application(application.id, person_id=person.id)
    assert [a.id for a in service.list_awaiting_confirmation(partner.id)] == [application.id]
    with pytest.raises(LookupError):
        service.confirm_as_co_applicant(application.id, person_id=person.id)
    service.confirm_as_co_applicant(application.id, person_id=partner.id)
    service.confirm_as_co_applicant(application.id, person_id=partner.id)
    assert service.list_awaiting_confirmation(partner.id) == []
    item = db.session.get(IntakeItem, application.intake_item_id)
    assert item is not None and "medsökande har inte bekräftat" not in item.summary


def test_a_repeat_application_is_pre_filled_and_asks_only_what_changed(app: Flask) -> None:
    person = create_person()
    first = create_application(person_id=person.id)
    service.submit_application(first.id, person_id=person.id)
    repeat = service.start_application(person.id, language="sv")
    assert repeat.id != first.id and repeat.kind == Kind.REPEAT
    assert repeat.answers["housing"] == ANSWERS["housing"] and "month" not in repeat.answers
    assert repeat.previous_application_id == first.id
    assert {item.key for item in repeat.checklist} == {"account_statements", "rent_notice", "payslips"}


def test_an_old_application_pre_fills_but_is_a_first_application(app: Flask) -> None:
    person = create_person()
    first = create_application(person_id=person.id)
    service.submit_application(first.id, person_id=person.id)
    first.submitted_at = utcnow() - timedelta(days=200)
    db.session.commit()
    again = service.start_application(person.id, language="sv")
    assert again.kind == Kind.FIRST and again.answers["housing"] == ANSWERS["housing"]
    assert "tax_return" in {item.key for item in again.checklist}


def test_send_later_is_remembered_for_the_reminder(app: Flask) -> None:
    person = create_person()
    application = create_application(person_id=person.id)
    item = application.checklist[0]
    service.send_later(item, person_id=person.id)
    assert item.state == ItemState.LATER and item.later_since is not None
    assert item in checklist.outstanding_items(application)



def test_the_hand_off_carries_the_answers_and_documents_but_no_protected_address(app: Flask) -> None:
    from portal.applications.handoff import application_section

    person = create_person()
    application = create_application(person_id=person.id)
    service.submit_application(application.id, person_id=person.id)
    assert application.intake_item_id is not None
    section = application_section(application.intake_item_id)
    assert section is not None and section["reference"] == application.reference
    assert section["answers"]["about"]["street"] == "Storgatan 1"
    assert [d["key"] for d in section["documents"]] == [item.key for item in application.checklist]
    hidden = application_section(application.intake_item_id, protected=True)
    assert hidden is not None and "street" not in hidden["answers"]["about"]
    assert "postcode" not in hidden["answers"]["about"]
