"""Issue 28, point 2: a returned letter, scanned (its QR code read back from the PDF) or typed, makes a task at
once, marks the address doubtful and holds the next letter there until staff confirm it; on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from outreach.funnel.models import LetterReturn, ReturnSource
from outreach.funnel.returns import TASK, ReturnError, address_doubtful, read_scan, register_return
from outreach.funnel.steps import for_notice
from outreach.notices.actions import add_action, get_action
from outreach.notices.models import ActionKind, ActionStatus
from outreach.pipeline.followup import second_letter
from portal.audit import AuditEvent
from portal.db import db
from portal.letters.models import Letter, LetterStatus
from portal.letters.service import read_letter_pdf
from portal.people import Person
from portal.staff.models import Role
from tests.factories import PASSWORD, create_staff_user
from tests.outreach.funnel.helpers import TUESDAY, first_letter, letter_code, new_notice, travel
from tests.pages import get_page, login_staff, submit
from tests.scan import qr_codes_in_pdf


@pytest.fixture
def on_tuesday() -> Iterator[None]:
    yield from travel(TUESDAY)


def test_scanning_a_returned_letter_makes_a_task_at_once_and_the_page_lists_it(
        app: Flask, client: FlaskClient, on_tuesday: None, tmp_path: Path) -> None:
    notice = new_notice("RETUR-QR")
    letter = first_letter(notice)
    assert get_action(notice.id, ActionKind.FOLLOWUP_TASK) is None
    (scanned,) = qr_codes_in_pdf(read_letter_pdf(letter), tmp_path)  # what a hand scanner types
    staff = create_staff_user(email="rita@example.org", role=Role.RECEPTION)
    login_staff(client, staff.email, PASSWORD)
    page = get_page(client, "/staff/retur/")
    field = page.find("input", attrs={"name": "scanned"})
    assert field is not None and field.has_attr("autofocus")
    answer = submit(client, "/staff/retur/", {"scanned": scanned})
    assert answer.status_code == 302
    task = get_action(notice.id, ActionKind.FOLLOWUP_TASK)
    assert task is not None and task.status == ActionStatus.PENDING and "ring eller gör hembesök" in task.detail
    returned = db.session.scalar(select(LetterReturn).where(LetterReturn.notice_id == notice.id))
    assert returned is not None and returned.letter_id == letter.id and returned.source == ReturnSource.QR
    assert address_doubtful(notice.tenancy_key)
    assert for_notice(notice).steps[1].day == TUESDAY
    listed = get_page(client, "/staff/retur/")
    assert "RETUR-QR" in listed.get_text() and "var redan" not in listed.get_text()
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "outreach.letter_returned")).all()
    assert [event.object_id for event in events] == [str(notice.id)]
    # The same letter scanned again changes nothing and says so.
    assert submit(client, "/staff/retur/", {"scanned": scanned}).status_code == 302
    assert "var redan registrerat" in get_page(client, "/staff/retur/").get_text()
    assert len(db.session.scalars(select(LetterReturn)).all()) == 1


def test_typing_the_code_or_the_letters_number_finds_the_letter(
        app: Flask, on_tuesday: None, tmp_path: Path) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    one, two = new_notice("RETUR-KOD", adress="Kodgatan 1"), new_notice("RETUR-NR", adress="Nummergatan 2")
    code = letter_code(first_letter(one), tmp_path)
    typed = f" {code[:5].lower()}-{code[5:]} "  # as people copy it
    assert read_scan(typed) == (ReturnSource.CODE, code)
    assert register_return(typed, staff_id=staff.id).notice_id == one.id
    done = register_return(f"Brev {first_letter(two).id}", staff_id=staff.id)
    assert done.notice_id == two.id and done.task and not done.already
    assert get_action(two.id, ActionKind.FOLLOWUP_TASK) is not None


def test_a_code_or_number_of_no_letter_is_refused_with_a_reason_and_keeps_what_was_typed(
        app: Flask, client: FlaskClient, on_tuesday: None) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    with pytest.raises(ReturnError, match="inget uppsökande brev med nummer 999"):
        register_return("999", staff_id=staff.id)
    login_staff(client, staff.email, PASSWORD)
    answer = submit(client, "/staff/retur/", {"scanned": "ABCDEFGHJK"})
    assert answer.status_code == 400 and "Koden hör inte till något uppsökande brev" in answer.text
    assert 'value="ABCDEFGHJK"' in answer.text and "<title>Fel:" in answer.text
    assert db.session.scalars(select(LetterReturn)).all() == []


def test_a_done_task_is_opened_again(app: Flask, on_tuesday: None) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    notice = new_notice("RETUR-REOPEN")
    task = add_action(notice, ActionKind.FOLLOWUP_TASK, detail="Uteblev från den bokade tiden")
    db.session.commit()
    assert task.status == ActionStatus.DONE
    assert register_return(str(first_letter(notice).id), staff_id=staff.id).task
    db.session.refresh(task)
    assert task.status == ActionStatus.PENDING and task.done_at is None
    assert task.detail.startswith(TASK) and "Uteblev" in task.detail


def test_the_next_letter_to_a_doubtful_address_waits_until_staff_confirm_it(
        app: Flask, client: FlaskClient, on_tuesday: None) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    notice = new_notice("RETUR-HELD")
    register_return(str(first_letter(notice).id), staff_id=staff.id)
    person = db.session.get(Person, notice.person_id)
    assert person is not None
    second_letter(notice, person, status=None)  # the follow-up's letter, written as the follow-up writes it
    db.session.commit()
    step = get_action(notice.id, ActionKind.LETTER_SECOND)
    assert step is not None and step.ref_id is not None
    second = db.session.get(Letter, step.ref_id)
    assert second is not None and second.status == LetterStatus.AWAITING_APPROVAL
    login_staff(client, staff.email, PASSWORD)
    page = get_page(client, f"/staff/underrattelser/{notice.id}")
    banner = page.find(id="osaker-adress")
    assert banner is not None and "Adressen är osäker" in banner.get_text()
    answer = submit(client, f"/staff/underrattelser/{notice.id}", {}, action=f"/staff/retur/adress/{notice.id}")
    assert answer.status_code == 302
    db.session.refresh(second)
    assert second.status == LetterStatus.QUEUED and not address_doubtful(notice.tenancy_key)
    assert get_page(client, f"/staff/underrattelser/{notice.id}").find(id="osaker-adress") is None


def test_caseworkers_may_not_register_returns(app: Flask, client: FlaskClient) -> None:
    staff = create_staff_user(email="hanna@example.org", role=Role.CASEWORKER)
    login_staff(client, staff.email, PASSWORD)
    assert client.get("/staff/retur/").status_code == 403
