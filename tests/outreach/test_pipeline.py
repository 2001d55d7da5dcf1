"""The pipeline: known clients, protected identity, contact, corrections, Kronofogden, follow-up, decisions."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select

from outreach.casework import service as casework
from outreach.casework.service import CaseworkError
from outreach.notices.actions import add_action, get_action, list_actions
from outreach.notices.importer import import_file
from outreach.notices.known_clients import import_register
from outreach.notices.models import (
    ActionKind,
    ActionStatus,
    AttemptChannel,
    AttemptResult,
    Decision,
    Notice,
    NoticeAction,
    Outcome,
)
from outreach.pipeline.followup import follow_up, list_open_tasks, schedule
from outreach.pipeline.run import run_pass
from portal import clock
from portal.clock import local_today
from portal.db import db, utcnow
from portal.intake.models import IntakeItem, Urgency
from portal.letters.models import Letter, LetterStatus
from portal.people import Protection
from portal.staff.models import Role
from tests.factories import create_person, create_staff_user
from tests.outreach.factories import import_rows, notice_by_reference, row, sample


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd hook)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp_port() -> int:
    return _free_port()


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[_Inbox]:
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def app_config(smtp_port: int) -> dict[str, Any]:
    return {"SMTP_URL": f"smtp://127.0.0.1:{smtp_port}"}


def _samples() -> None:
    import_register(sample("known-clients-sample.csv"))
    import_file(sample("notices-landlord-sample.csv"), today=local_today())
    import_file(sample("notices-enforcement-sample.csv"), today=local_today())


def _items() -> list[IntakeItem]:
    return list(db.session.scalars(select(IntakeItem).order_by(IntakeItem.id)))


def _action_count() -> int:
    return db.session.scalar(select(func.count()).select_from(NoticeAction)) or 0


def test_samples_end_to_end_caseworker_told_no_letter_for_the_known_client(app: Flask, inbox: _Inbox) -> None:
    _samples()
    result = run_pass()
    assert result.processed == 6 and result.mailed == 1
    known = notice_by_reference("HV-2026-0413")
    assert known.outcome == Outcome.KNOWN_CLIENT
    assert get_action(known.id, ActionKind.LETTER_FIRST) is None and known.intake_item_id is None
    (recipients, message), = inbox.messages
    assert recipients == ["ekonomiskt.bistand@example.org"]
    text = message.get_payload(decode=True).decode() + str(message["Subject"])
    assert f"/staff/underrattelser/{known.id}" in text
    for personal in ("Erik", "Lindqvist", "200306062381", "Götgatan", "7 200"):
        assert personal not in text
    # Unknown persons got an intake item each, carrying the deadline; the superseded notice got nothing.
    old = notice_by_reference("HV-2026-0412")
    assert old.outcome == Outcome.SUPERSEDED and get_action(old.id, ActionKind.INTAKE_ITEM) is None
    corrected = notice_by_reference("HV-2026-0412-B")
    item = db.session.get(IntakeItem, corrected.intake_item_id)
    assert item is not None and item.urgency == Urgency.EVICTION_RISK
    assert item.legal_deadline == corrected.recovery_deadline and item.source_key == f"notice:{corrected.id}"
    # Kronofogden on the disturbance case: one contact for the household, both notices escalated, the date shared.
    disturbance, eviction = notice_by_reference("HV-2026-0420"), notice_by_reference("KFM-12-345678-26")
    assert disturbance.escalated_at is not None and eviction.escalated_at is not None
    assert disturbance.deadline == eviction.eviction_date
    assert [n.intake_item_id is not None for n in (disturbance, eviction)].count(True) == 1
    assert len(_items()) == 4  # 0412-B, 0425, the Daniel Berg case once, Olena Kovalenko


def test_running_everything_again_changes_nothing(app: Flask, inbox: _Inbox) -> None:
    _samples()
    run_pass()
    before = (_action_count(), len(_items()), len(inbox.messages))
    _samples()
    second = run_pass()
    assert second.processed == 0 and second.mailed == 0
    assert (_action_count(), len(_items()), len(inbox.messages)) == before


def test_protected_identity_gets_no_letter_and_goes_to_manual_handling(app: Flask) -> None:
    create_person(personnummer="202503082386", name="Skyddad Person", protection=Protection.PROTECTED_REGISTRATION)
    import_rows(row(referens="FROM-NOTICE", skyddad="ja"),
                row(referens="FROM-REGISTER", personnummer="202503082386", adress="Annan gata 9"))
    run_pass()
    for reference in ("FROM-NOTICE", "FROM-REGISTER"):
        notice = notice_by_reference(reference)
        assert notice.outcome == Outcome.MANUAL
        assert notice.intake_item_id is None
        kinds = {action.kind for action in list_actions(notice.id)}
        assert kinds == {ActionKind.MANUAL}
    assert {n.reference for n in casework.list_manual()} == {"FROM-NOTICE", "FROM-REGISTER"}


def test_staff_marking_protection_stops_pending_letters(app: Flask) -> None:
    import_rows(row(referens="LATER-PROTECTED"))
    run_pass()
    notice = notice_by_reference("LATER-PROTECTED")
    casework.mark_protected(notice)
    assert notice.outcome == Outcome.MANUAL and notice.protected
    step = get_action(notice.id, ActionKind.LETTER_FIRST)
    assert step is not None and "stoppat: skyddade" in step.detail
    letter = db.session.get(Letter, step.ref_id)
    assert letter is not None and letter.status == LetterStatus.CANCELLED


def test_out_of_area_and_missing_personnummer_go_to_manual_handling(app: Flask) -> None:
    app.config["OUTREACH_POSTAL_CODES"] = "118"
    import_rows(row(referens="ELSEWHERE", postnummer="41101", adress="Avenyn 1", ort="Göteborg"),
                row(referens="NO-NUMBER", personnummer=""))
    run_pass()
    assert notice_by_reference("ELSEWHERE").outcome == Outcome.OUT_OF_AREA
    assert notice_by_reference("NO-NUMBER").outcome == Outcome.MANUAL
    assert len(_items()) == 0


def test_correction_after_processing_restarts_the_deadline_with_a_new_contact(app: Flask) -> None:
    today = local_today()
    import_rows(row(referens="FIRST", inkom=(today - timedelta(days=5)).isoformat()))
    run_pass()
    import_rows(row(referens="FIRST-B", rattelse_av="FIRST", skuld="12 000", inkom=today.isoformat()))
    run_pass()
    first, second = notice_by_reference("FIRST"), notice_by_reference("FIRST-B")
    assert first.superseded and second.corrects_id == first.id
    assert second.recovery_deadline is not None and first.recovery_deadline is not None
    assert second.recovery_deadline > first.recovery_deadline
    # The reception keeps one item for the household, its deadline moved to the corrected one.
    assert second.outcome == Outcome.CONTACTED and second.intake_item_id == first.intake_item_id
    item = db.session.get(IntakeItem, second.intake_item_id)
    assert item is not None and item.legal_deadline == second.recovery_deadline
    assert len(_items()) == 1


def test_a_kronofogden_date_moves_the_existing_intake_items_deadline(app: Flask) -> None:
    today = local_today()
    import_rows(row(referens="LANDLORD-FIRST"))
    run_pass()
    eviction_day = today + timedelta(days=6)
    import_rows(row(referens="KFM-LATER", typ="avhysning", skuld="", uppsagning="",
                    avhysning=f"{eviction_day.isoformat()} 09:00"))
    run_pass()
    first, eviction = notice_by_reference("LANDLORD-FIRST"), notice_by_reference("KFM-LATER")
    assert eviction.case_id == first.id and eviction.outcome == Outcome.ESCALATED
    assert first.escalated_at is not None and first.deadline == eviction_day
    item = db.session.get(IntakeItem, first.intake_item_id)
    assert item is not None and item.legal_deadline == eviction_day
    assert len(_items()) == 1


def test_no_contact_after_n_working_days_makes_a_task_once_and_no_decision_near_the_deadline_escalates(
        app: Flask) -> None:
    import_rows(row(referens="QUIET"))
    run_pass()
    notice = notice_by_reference("QUIET")
    # The letter went out (recorded as done) ten days ago; nobody was reached.
    letter = add_action(notice, ActionKind.LETTER_FIRST)
    letter.status, letter.done_at = ActionStatus.DONE, utcnow() - timedelta(days=14)
    # Backdated behind the pipeline's back: the notice's next follow-up day is worked out again, as after a look
    # today (the pass above already looked at the notice today; the date rules are looked at again tomorrow).
    schedule(notice, today=local_today(), looked=True)
    db.session.commit()
    tomorrow = local_today() + timedelta(days=1)
    assert follow_up(today=local_today()) == 0
    assert follow_up(today=tomorrow) >= 1
    task = get_action(notice.id, ActionKind.FOLLOWUP_TASK)
    assert task is not None and task.status == ActionStatus.PENDING and "Ingen kontakt" in task.detail
    assert [n.id for _, n in list_open_tasks()] == [notice.id]
    # Three weeks remain: time allows a second letter, written at once.
    second = get_action(notice.id, ActionKind.LETTER_SECOND)
    assert second is not None and second.status == ActionStatus.DONE
    assert db.session.get(Letter, second.ref_id).kind == "outreach_second"  # type: ignore[union-attr]
    follow_up(today=tomorrow + timedelta(days=1))
    assert len([a for a in list_actions(notice.id) if a.kind == ActionKind.FOLLOWUP_TASK]) == 1
    assert notice.deadline is not None
    follow_up(today=notice.deadline - timedelta(days=1))
    assert get_action(notice.id, ActionKind.DEADLINE_ESCALATION) is not None
    assert notice in casework.list_manual()


@pytest.mark.parametrize(("mark", "reason"), [("no_show", "Uteblev"), ("cancel", "Avbokade"), ("attended", None)])
def test_the_reception_time_drives_the_follow_up(app: Flask, mark: str, reason: str | None) -> None:
    from portal.booking import service as booking_service

    import_rows(row(referens="BOOKED"))
    run_pass()
    notice = notice_by_reference("BOOKED")
    booking = get_action(notice.id, ActionKind.BOOKING)
    assert booking is not None and booking.ref_id is not None
    # Attendance is marked from the appointment's start on (issue 26), so the test is at that time.
    starts_at = db.session.get(booking_service.Booking, booking.ref_id).starts_at  # type: ignore[union-attr]
    {"no_show": booking_service.mark_no_show, "cancel": booking_service.cancel_booking,
     "attended": booking_service.mark_attended}[mark](booking.ref_id, actor="test", **(
        {} if mark == "cancel" else {"now": starts_at + timedelta(minutes=1)}))
    follow_up(today=local_today())
    task = get_action(notice.id, ActionKind.FOLLOWUP_TASK)
    if reason is None:
        assert task is None, "someone who came needs no follow-up"
    else:
        assert task is not None and reason in task.detail


def test_reaching_the_household_closes_the_task_and_every_notice_ends_with_a_decision(app: Flask) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    import_rows(row(referens="REACHED"))
    run_pass()
    notice = notice_by_reference("REACHED")
    add_action(notice, ActionKind.FOLLOWUP_TASK, detail="Ingen kontakt", status=ActionStatus.PENDING)
    db.session.commit()
    casework.record_attempt(notice, channel=AttemptChannel.CALL, result=AttemptResult.NOT_REACHED, note="",
                            staff_id=staff.id)
    assert get_action(notice.id, ActionKind.FOLLOWUP_TASK).status == ActionStatus.PENDING  # type: ignore[union-attr]
    casework.record_attempt(notice, channel=AttemptChannel.HOME_VISIT, result=AttemptResult.REACHED,
                            note="Träffade hyresgästen", staff_id=staff.id)
    assert get_action(notice.id, ActionKind.FOLLOWUP_TASK).status == ActionStatus.DONE  # type: ignore[union-attr]
    with pytest.raises(CaseworkError, match=r"skäl|varför"):
        casework.record_decision(notice, decision=Decision.NO_ACTION, reason=" ", staff_id=staff.id)
    casework.record_decision(notice, decision=Decision.CONTACT_MADE, reason="", staff_id=staff.id)
    assert notice.decision == Decision.CONTACT_MADE
    with pytest.raises(CaseworkError, match="redan"):
        casework.record_decision(notice, decision=Decision.NO_ACTION, reason="x", staff_id=staff.id)


def test_retention_deletes_only_decided_notices_without_a_case_and_keeps_counts(app: Flask) -> None:
    from outreach.notices.models import RetentionCount
    from outreach.pipeline.retention import run_retention
    from portal.audit import AuditEvent

    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    old_day = (local_today() - timedelta(days=400)).isoformat()
    import_rows(row(referens="OLD-NO-ACTION", inkom=old_day, uppsagning=old_day),
                row(referens="OLD-INVESTIGATION", inkom=old_day, uppsagning=old_day, adress="Gata 2"),
                row(referens="OLD-UNDECIDED", inkom=old_day, uppsagning=old_day, adress="Gata 3"),
                row(referens="NEW-NO-ACTION", adress="Gata 4"))
    run_pass()
    for reference, decision in (("OLD-NO-ACTION", Decision.NO_ACTION), ("OLD-INVESTIGATION",
                                                                         Decision.INVESTIGATION_OPENED),
                                ("NEW-NO-ACTION", Decision.NO_ACTION)):
        casework.record_decision(notice_by_reference(reference), decision=decision, reason="Betalat",
                                 staff_id=staff.id)
    deleted_id = notice_by_reference("OLD-NO-ACTION").id
    assert run_retention() == 1
    assert run_retention() == 0
    remaining = set(db.session.scalars(select(Notice.reference)))
    assert remaining == {"OLD-INVESTIGATION", "OLD-UNDECIDED", "NEW-NO-ACTION"}
    count = db.session.scalar(select(RetentionCount))
    assert count is not None and count.count == 1 and count.decision == "no_action"
    logged = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "outreach.notice_deleted"))
    assert logged is not None and logged.object_id == str(deleted_id) and logged.person_id is None


def test_a_kronofogden_date_arriving_first_still_gives_one_contact_per_household(app: Flask) -> None:
    today = local_today()
    import_rows(row(referens="KFM-FIRST", typ="avhysning", skuld="", uppsagning="",
                    avhysning=f"{(today + timedelta(days=9)).isoformat()} 10:00"))
    run_pass()
    import_rows(row(referens="LANDLORD-LATER"))
    run_pass()
    later = notice_by_reference("LANDLORD-LATER")
    assert later.outcome == Outcome.LINKED and later.intake_item_id is None
    assert later.deadline == today + timedelta(days=9)


def test_no_second_letter_when_the_deadline_is_too_near(app: Flask) -> None:
    # On a fixed Tuesday: an eviction three days ahead leaves no time the post can reach the person before, so the
    # first letter asks them to phone, drop in or pick a time with its code, and the task is made at once (issue
    # 26); too little time remains for a second letter.
    with clock.travel(datetime.combine(date(2026, 12, 8), time(10), tzinfo=clock.LOCAL_TZ)):
        _no_second_letter_when_the_deadline_is_too_near()


def _no_second_letter_when_the_deadline_is_too_near() -> None:
    today = local_today()
    import_rows(row(referens="NEAR", typ="avhysning", skuld="", uppsagning="",
                    avhysning=f"{(today + timedelta(days=3)).isoformat()} 09:00"))
    run_pass()
    notice = notice_by_reference("NEAR")
    letter = add_action(notice, ActionKind.LETTER_FIRST)
    letter.status, letter.done_at = ActionStatus.DONE, utcnow() - timedelta(days=14)
    db.session.commit()
    follow_up(today=today + timedelta(days=1))  # the next day's look at the notice
    assert get_action(notice.id, ActionKind.FOLLOWUP_TASK) is not None
    assert get_action(notice.id, ActionKind.LETTER_SECOND) is None
    assert get_action(notice.id, ActionKind.DEADLINE_ESCALATION) is not None


def test_caseworker_mail_waits_while_the_mail_server_is_down_and_goes_once_when_it_is_up(
        app: Flask, smtp_port: int) -> None:
    import_register(sample("known-clients-sample.csv"))
    import_rows(row(referens="KNOWN", personnummer="200306062381"))
    run_pass()  # nothing listens on the port yet
    notice = notice_by_reference("KNOWN")
    mail = get_action(notice.id, ActionKind.CASEWORKER_MAIL)
    assert mail is not None and mail.status == ActionStatus.PENDING
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        assert run_pass().mailed == 1
        assert run_pass().mailed == 0
    finally:
        controller.stop()
    assert len(handler.messages) == 1


def test_an_intake_item_already_made_for_the_notice_is_used_not_made_again(app: Flask) -> None:
    # The batch's items are read up front; one made before the pass (an older version, a restored copy) counts.
    from portal.intake.models import Source
    from portal.intake.service import add_intake_item

    import_rows(row(referens="HAVE-ITEM"), row(referens="NEW-ITEM", personnummer="198112189876"))
    notice = notice_by_reference("HAVE-ITEM")
    earlier = add_intake_item(source=Source.OUTREACH, source_key=f"notice:{notice.id}", person_id=None,
                              summary="gjord tidigare")
    db.session.commit()
    run_pass()
    items = db.session.scalars(select(IntakeItem).where(IntakeItem.source == Source.OUTREACH)).all()
    assert sorted(item.summary == "gjord tidigare" for item in items) == [False, True], "one new, one reused"
    notice = notice_by_reference("HAVE-ITEM")
    step = get_action(notice.id, ActionKind.INTAKE_ITEM)
    assert notice.intake_item_id == earlier.id and step is not None and step.ref_id == earlier.id
    assert notice.outcome == Outcome.CONTACTED


def test_a_new_eviction_date_is_the_deadline_when_the_households_earlier_one_has_passed(app: Flask) -> None:
    """Kronofogden wrote in January (eviction on 26 January, postponed) and again in April with a new date: the new
    notice's deadline is the new date, not January's, so it is not escalated as overdue the day it arrives (the
    simulated year found four such households without a contact attempt before their real deadline)."""
    def at(day: date) -> Any:
        return clock.travel(datetime.combine(day, time(8), tzinfo=clock.LOCAL_TZ))

    with at(date(2027, 1, 12)):
        import_rows(row(referens="KFM-JAN", typ="avhysning", skuld="", uppsagning="", avhysning="2027-01-26 09:00"))
        run_pass()
    with at(date(2027, 4, 13)):
        import_rows(row(referens="KFM-APR", typ="avhysning", skuld="", uppsagning="", avhysning="2027-05-18 09:00"))
        run_pass()
        january, april = notice_by_reference("KFM-JAN"), notice_by_reference("KFM-APR")
        assert april.case_id == january.id
        assert april.deadline == date(2027, 5, 18)
        assert get_action(april.id, ActionKind.DEADLINE_ESCALATION) is None
        assert get_action(april.id, ActionKind.LETTER_FIRST) is not None or april.outcome == Outcome.ESCALATED
