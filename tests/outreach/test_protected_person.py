"""Protection follows the person and the flat, over time (issue 22): three notices for one person over two weeks,
with the flag only on the first, only on the second, or only from staff, leak the address nowhere."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from outreach.notices.models import NameCheck, Notice, Outcome
from outreach.pipeline.run import run_pass
from portal.audit_review import month_report
from portal.clock import local_today
from portal.db import db
from portal.letters import print_batch
from portal.letters.models import Letter, LetterStatus
from portal.people import get_person_by_personnummer
from portal.protection import ProtectionError, lift_protection, protect_person
from portal.staff.models import Role
from tests.factories import PASSWORD, create_staff_user
from tests.outreach.factories import import_rows, notice_by_reference, row
from tests.pages import get_page, login_staff, submit

PERSON = "201701012393"
PARTNER = "202503082386"
FLAT = "Skyddsgatan 7"
NEW_FLAT = "Nyflyttsvägen 3"
SECRETS = (FLAT, NEW_FLAT, "Skyddsgatan", "Nyflyttsvägen")


def _three_notices(*, flag: str) -> None:
    """A landlord's termination, Kronofogden's eviction for the same flat a day later, then a notice for the
    same person at a new address two weeks on; `flag` says which carries skyddad_identitet=ja."""
    today = local_today()
    import_rows(row(referens="HV-1", personnummer=PERSON, namn="Sara Skydd", adress=FLAT,
                    skyddad="ja" if flag == "first" else "", inkom=(today - timedelta(days=14)).isoformat()))
    run_pass()
    eviction = (today + timedelta(days=40)).isoformat()
    import_rows(row(typ="avhysning", referens="KFM-2", hyresvard="Kronofogden", personnummer=PERSON,
                    namn="Sara Skydd", adress=FLAT, skuld="", uppsagning="", avhysning=eviction,
                    skyddad="ja" if flag == "second" else "", inkom=(today - timedelta(days=13)).isoformat()))
    run_pass()
    import_rows(row(referens="HV-3", hyresvard="Nya Bostäder AB", personnummer=PERSON, namn="Sara Skydd",
                    adress=NEW_FLAT, inkom=today.isoformat()),
                # Someone else on the protected flat: there the address itself is the secret.
                row(referens="HV-4", personnummer=PARTNER, namn="Kim Granne", adress=FLAT, inkom=today.isoformat()))
    run_pass()


def _staff(client: FlaskClient, role: Role) -> None:
    email = f"{role.value}@example.org"
    if not _exists(email):
        create_staff_user(email=email, role=role)
    login_staff(client, email, PASSWORD)


def _exists(email: str) -> bool:
    from portal.staff.models import StaffUser

    return db.session.scalar(select(StaffUser.id).where(StaffUser.email == email)) is not None


def _assert_no_secret(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} shown in {where}"


def _assert_leaks_nowhere(client: FlaskClient, runner: Any, tmp_path: Path) -> None:
    notices = list(db.session.scalars(select(Notice).order_by(Notice.id)))
    assert all(notice.protected for notice in notices)
    person = get_person_by_personnummer(PERSON)
    partner = get_person_by_personnummer(PARTNER)
    assert person is not None and person.is_protected
    assert partner is not None and partner.is_protected
    # No letter of theirs may still go to print or be read back.
    letters = list(db.session.scalars(select(Letter)))
    for letter in letters:
        if letter.address_printed:
            assert letter.withheld and letter.status in (LetterStatus.CANCELLED, LetterStatus.EXPORTED)
    _staff(client, Role.OUTREACH)
    for notice in notices:
        page = get_page(client, f"/staff/underrattelser/{notice.id}").get_text(" ")
        _assert_no_secret(page, f"notice page {notice.reference}")
        assert "Skyddad adress" in page
    for url in ("/staff/underrattelser/", "/staff/underrattelser/manuell", "/staff/brev/"):
        _assert_no_secret(get_page(client, url).get_text(" "), url)
    for letter in letters:
        response = client.get(f"/staff/brev/{letter.id}.pdf")
        if letter.address_printed:
            assert response.status_code == 302, f"letter {letter.id} with an address was served"
        else:
            _assert_no_secret(_pdf_text(response.data), f"letter {letter.id}")
    # The print batch of today, made now, and a reprint of it.
    for _ in range(2):
        folder = print_batch.export_print_batch(local_today(), tmp_path / "print")
        _assert_no_secret(_pdf_text((folder / print_batch.PDF_NAME).read_bytes()), "print batch")
    _staff(client, Role.RECEPTION)
    _assert_no_secret(get_page(client, "/staff/intag/").get_text(" "), "intake queue")
    for notice in notices:
        if notice.intake_item_id:
            _assert_no_secret(get_page(client, f"/staff/intag/{notice.intake_item_id}").get_text(" "), "item")
    # The hand-off to the case system says protected and carries no address.
    result = runner.invoke(args=["handoff", "export", "--out", str(tmp_path / "handoff"), "--all"])
    assert result.exit_code == 0, result.output
    for path in (tmp_path / "handoff").glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        _assert_no_secret(path.read_text(encoding="utf-8"), path.name)
        assert document["person"]["protected_identity"] is True, path.name
    # The monthly review counts the reads of protected people that the pages above logged.
    report = month_report(local_today().strftime("%Y-%m"))
    assert {pid for _, _, _, pid in report.protected} >= {person.id}
    # Seeing a protected person's name in the queue is a read of them too.
    if any(notice.intake_item_id for notice in notices):
        assert any(action.startswith("intake.") and "view" in action for _, _, action, _ in report.protected)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("flag", ["first", "second"])
def test_a_flag_on_one_notice_protects_every_notice_of_the_person_and_the_flat(
        app: Flask, client: FlaskClient, runner: Any, tmp_path: Path, flag: str) -> None:
    _three_notices(flag=flag)
    for reference in ("HV-3", "HV-4", "KFM-2"):
        notice = notice_by_reference(reference)
        assert notice.outcome in (Outcome.MANUAL, Outcome.SUPERSEDED), reference
    assert get_person_by_personnummer(PERSON).protection_source == "underrättelse"  # type: ignore[union-attr]
    _assert_leaks_nowhere(client, runner, tmp_path)


def test_a_staff_mark_withholds_letters_already_queued_and_printed(app: Flask, client: FlaskClient, runner: Any,
                                                                   tmp_path: Path) -> None:
    _three_notices(flag="none")
    queued = list(db.session.scalars(select(Letter).where(Letter.status == LetterStatus.QUEUED)))
    assert len(queued) >= 3 and all(letter.address_printed for letter in queued)  # HV-1, HV-3, HV-4
    # Yesterday's batch went to the printer with one of them before anyone knew.
    print_batch.claim_batch(local_today())
    db.session.commit()
    _staff(client, Role.OUTREACH)
    kfm = notice_by_reference("KFM-2")
    page = get_page(client, f"/staff/underrattelser/{kfm.id}")
    form = page.select_one("form[action$='/skyddad']")
    assert form is not None
    submit(client, f"/staff/underrattelser/{kfm.id}", {}, action=str(form["action"]))
    db.session.expire_all()
    assert all(letter.withheld for letter in db.session.scalars(select(Letter)))
    _assert_leaks_nowhere(client, runner, tmp_path)


def test_protection_is_never_cleared_by_a_later_source_and_lifting_needs_a_reason(app: Flask) -> None:
    import_rows(row(referens="P-1", personnummer=PERSON, namn="Sara Skydd", skyddad="ja"))
    run_pass()
    import_rows(row(referens="P-2", personnummer=PERSON, namn="Sara Skydd", adress="Annangatan 2", skyddad="nej"))
    run_pass()
    person = get_person_by_personnummer(PERSON)
    assert person is not None and person.is_protected
    assert notice_by_reference("P-2").outcome == Outcome.MANUAL
    with pytest.raises(ProtectionError):
        lift_protection(person, reason=" ")
    lift_protection(person, reason="Skatteverket: skyddet upphört 2026-11-30")
    assert not person.is_protected
    assert protect_person(person, source="personal") is True


def test_a_name_that_differs_from_the_person_waits_for_staff(app: Flask, client: FlaskClient) -> None:
    import_rows(row(referens="N-1", personnummer=PERSON, namn="Amina Yusuf Ali"))
    run_pass()
    import_rows(row(referens="N-2", personnummer=PERSON, namn="ALI, Amina", adress="Andra gatan 2"),
                row(referens="N-3", personnummer=PERSON, namn="Berit Berg", adress="Tredje gatan 3"))
    run_pass()
    assert notice_by_reference("N-2").name_check is None  # the same name, written another way
    mismatch = notice_by_reference("N-3")
    assert mismatch.name_check == NameCheck.MISMATCH and mismatch.outcome == Outcome.MANUAL
    assert db.session.scalar(select(Letter).where(Letter.reference == "N-3")) is None
    _staff(client, Role.OUTREACH)
    manual = get_page(client, "/staff/underrattelser/manuell").get_text(" ")
    assert "N-3" in manual and "namnet stämmer inte" in manual
    page = get_page(client, f"/staff/underrattelser/{mismatch.id}")
    assert "Amina Yusuf Ali" in page.get_text(" ")
    form = page.select_one("form[action$='/namn']")
    assert form is not None
    submit(client, f"/staff/underrattelser/{mismatch.id}", {"choice": "held"}, action=str(form["action"]))
    run_pass()
    db.session.expire_all()
    confirmed = notice_by_reference("N-3")
    assert confirmed.name_check == NameCheck.CONFIRMED and confirmed.outcome == Outcome.CONTACTED
    letter = db.session.scalar(select(Letter).where(Letter.reference == "N-3"))
    assert letter is not None


def test_a_notice_read_before_the_pipeline_is_logged_against_its_person(app: Flask, client: FlaskClient) -> None:
    from portal.audit import AuditEvent

    import_rows(row(referens="EARLY", personnummer=PERSON, namn="Tidig Läsning"))
    notice = notice_by_reference("EARLY")
    assert notice.pipeline_due and notice.person_id is not None
    _staff(client, Role.OUTREACH)
    get_page(client, f"/staff/underrattelser/{notice.id}")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outreach.notice_view"))
    assert event is not None and event.person_id == notice.person_id


def test_the_residents_own_word_in_the_e_application_protects_them_and_their_flat(app: Flask) -> None:
    from portal.applications import service
    from tests.applications.factories import ANSWERS, create_application

    import_rows(row(referens="BEFORE", personnummer=PARTNER, namn="Kim Granne", adress=FLAT))
    run_pass()
    letter = db.session.scalar(select(Letter).where(Letter.reference == "BEFORE"))
    assert letter is not None and letter.status == LetterStatus.QUEUED
    import_rows(row(referens="HERS", personnummer=PERSON, namn="Amina Test", adress=FLAT))
    person = get_person_by_personnummer(PERSON)
    assert person is not None
    application = create_application(person_id=person.id, about={**ANSWERS["about"], "protected_identity": "yes"})
    service.submit_application(application.id, person_id=person.id)
    db.session.expire_all()
    assert person.is_protected and person.protection_source == "e-ansökan"
    # Her flat is protected, so the neighbour's queued letter with that address is stopped.
    letter = db.session.scalar(select(Letter).where(Letter.reference == "BEFORE"))
    assert letter is not None and letter.withheld and letter.status == LetterStatus.CANCELLED
    assert notice_by_reference("HERS").protected
