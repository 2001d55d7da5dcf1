"""One owner for a notice's state (outreach.notices.state): only it moves `outcome`, and every move is kept with
why, on the notice's timeline; the sender's protected flag is kept apart from "handled as protected"."""

from __future__ import annotations

import ast
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from outreach.casework import service as casework
from outreach.notices.models import Decision, Notice, Outcome, OutcomeChange
from outreach.notices.state import set_outcome
from outreach.pipeline.retention import run_retention
from outreach.pipeline.run import run_pass
from portal import clock
from portal.clock import local_today
from portal.db import db
from portal.staff.models import Role
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.outreach.factories import import_rows, notice_by_reference, row
from tests.pages import get_page, login_staff

ROOT = Path(__file__).resolve().parents[2]
OWNER = ROOT / "outreach" / "notices" / "state.py"
BOOKED = "Tid bokad och brev skrivet"
NO_TIME = "Brev skrivet; ingen ledig tid före fristen, koden väljer en tid"
# A Tuesday morning, so the reception has working days ahead for the letter and the booking.
TUESDAY = datetime(2026, 12, 8, 9, 0, tzinfo=clock.LOCAL_TZ)


def outcome_writes(tree: ast.AST) -> list[int]:
    """Lines that set a notice's outcome: `x.outcome = ...` (also in tuples), `outcome=` given to a constructor
    named Notice or to `.values(...)`, and `setattr(x, "outcome", ...)`."""
    lines = []
    for node in ast.walk(tree):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        flat = [elt for target in targets for elt in (target.elts if isinstance(target, ast.Tuple) else [target])]
        lines += [node.lineno for target in flat if isinstance(target, ast.Attribute) and target.attr == "outcome"]
        if isinstance(node, ast.Call):
            name = (node.func.id if isinstance(node.func, ast.Name) else
                    node.func.attr if isinstance(node.func, ast.Attribute) else "")
            if name in ("Notice", "values") and any(keyword.arg == "outcome" for keyword in node.keywords):
                lines.append(node.lineno)
            if (name == "setattr" and len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
                    and node.args[1].value == "outcome"):
                lines.append(node.lineno)
    return lines


def test_the_check_finds_every_way_of_writing_an_outcome() -> None:
    code = ("notice.outcome = Outcome.MANUAL\n"
            "a.superseded, a.outcome = True, Outcome.SUPERSEDED\n"
            "Notice(reference='R', outcome=Outcome.PENDING)\n"
            "update(Notice).values(pipeline_due=False, outcome=Outcome.SUPERSEDED)\n"
            "setattr(notice, 'outcome', Outcome.LINKED)\n"
            "form = TenancyOutcomeForm(outcome=notice.tenancy_outcome)\n"
            "notice.tenancy_outcome = TenancyOutcome.KEPT\n")
    assert outcome_writes(ast.parse(code)) == [1, 2, 3, 4, 5]


def test_no_module_but_the_state_module_sets_an_outcome() -> None:
    found = {}
    for package in ("outreach", "portal"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path != OWNER and (lines := outcome_writes(ast.parse(path.read_text(encoding="utf-8")))):
                found[str(path.relative_to(ROOT))] = lines
    assert found == {}, "set a notice's outcome with outreach.notices.state.set_outcome"
    assert outcome_writes(ast.parse(OWNER.read_text(encoding="utf-8")))  # the owner does, so the check can see it


def _moves(notice: Notice) -> list[tuple[Outcome | None, Outcome, str]]:
    return [(change.previous, change.outcome, change.why) for change in db.session.scalars(
        select(OutcomeChange).where(OutcomeChange.notice_id == notice.id).order_by(OutcomeChange.id))]


@pytest.mark.parametrize("clock_at", [TUESDAY], indirect=True)
def test_each_move_of_the_pipeline_is_kept_with_why_and_when(app: Flask, clock_at: datetime) -> None:
    app.config["OUTREACH_POSTAL_CODES"] = "118"
    import_rows(row(referens="CONTACT"), row(referens="NO-NUMBER", personnummer="", adress="Gata 2"),
                row(referens="ELSEWHERE", postnummer="41101", adress="Avenyn 1", ort="Göteborg"))
    run_pass()
    contact = notice_by_reference("CONTACT")
    assert contact.outcome == Outcome.CONTACTED
    assert _moves(contact) in ([(Outcome.PENDING, Outcome.CONTACTED, BOOKED)],
                               [(Outcome.PENDING, Outcome.CONTACTED, NO_TIME)])
    assert _moves(notice_by_reference("NO-NUMBER")) == [(Outcome.PENDING, Outcome.MANUAL, "Personnummer saknas")]
    assert _moves(notice_by_reference("ELSEWHERE")) == [
        (Outcome.PENDING, Outcome.OUT_OF_AREA, "Lägenheten ligger utanför området")]
    change = db.session.scalar(select(OutcomeChange).where(OutcomeChange.notice_id == contact.id))
    assert change is not None and clock_at <= change.at < clock_at + timedelta(minutes=5)
    # Another pass, and a move to where a notice already is, record nothing.
    run_pass()
    assert not set_outcome(contact, Outcome.CONTACTED, "igen")
    assert db.session.scalar(select(func.count()).select_from(OutcomeChange)) == 3


@pytest.mark.parametrize("clock_at", [TUESDAY], indirect=True)
def test_a_name_confirmed_by_staff_and_a_later_protection_are_moves_with_their_reasons(
        app: Flask, clock_at: datetime) -> None:
    staff = create_staff_user(email="uppsok@example.org", role=Role.OUTREACH)
    create_person(personnummer="201701012393", name="Anna Annorlunda")
    import_rows(row(referens="NAME", namn="Test Testsson"))
    run_pass()
    notice = notice_by_reference("NAME")
    assert notice.outcome == Outcome.MANUAL
    casework.confirm_name(notice, choice="held", staff_id=staff.id)
    run_pass()
    casework.mark_protected(notice)
    moves = _moves(notice)
    assert [(previous, outcome) for previous, outcome, _ in moves] == [
        (Outcome.PENDING, Outcome.MANUAL), (Outcome.MANUAL, Outcome.PENDING), (Outcome.PENDING, Outcome.CONTACTED),
        (Outcome.CONTACTED, Outcome.MANUAL)]
    assert [why for _, _, why in moves] == [
        "Namnet stämmer inte med namnet för personnumret", "Personal bekräftade personen: åter till kontrollen",
        moves[2][2], "Skyddade personuppgifter: inget brev"]
    assert moves[2][2] in (BOOKED, NO_TIME)


@pytest.mark.parametrize("clock_at", [TUESDAY], indirect=True)
def test_a_correction_supersedes_a_waiting_notice_in_the_same_file_or_a_later_one(
        app: Flask, clock_at: datetime) -> None:
    import_rows(row(referens="SAME"), row(referens="SAME-B", rattelse_av="SAME", skuld="9 000"))
    import_rows(row(referens="LATER", adress="Gata 7", personnummer="202503082386"))
    import_rows(row(referens="LATER-B", rattelse_av="LATER", adress="Gata 7", personnummer="202503082386"))
    for reference, by in (("SAME", "SAME-B"), ("LATER", "LATER-B")):
        notice = notice_by_reference(reference)
        assert notice.superseded and notice.outcome == Outcome.SUPERSEDED and not notice.pipeline_due
        assert _moves(notice) == [(Outcome.PENDING, Outcome.SUPERSEDED, f"Rättad av underrättelse {by}")]
    run_pass()
    assert _moves(notice_by_reference("LATER-B"))[0][1] == Outcome.CONTACTED
    assert len(_moves(notice_by_reference("LATER"))) == 1


@pytest.mark.parametrize("clock_at", [TUESDAY], indirect=True)
def test_the_timeline_says_why_and_the_page_tells_the_senders_flag_from_the_flats(
        app: Flask, client: FlaskClient, clock_at: datetime) -> None:
    user = create_staff_user(email="uppsok@example.org", role=Role.OUTREACH)
    login_staff(client, user.email, PASSWORD)
    import_rows(row(referens="FLAGGED", skyddad="ja", adress="Hemliga vägen 3"),
                row(referens="NEIGHBOUR", personnummer="202503082386", namn="Granne Grannsson",
                    adress="Hemliga vägen 3"))
    run_pass()
    flagged, neighbour = notice_by_reference("FLAGGED"), notice_by_reference("NEIGHBOUR")
    assert flagged.protected and flagged.sender_protected is True
    assert neighbour.protected and neighbour.sender_protected is False
    text = get_page(client, f"/staff/underrattelser/{flagged.id}").get_text(" ")
    assert "Läge: Manuell hantering : Skyddade personuppgifter: inget brev" in " ".join(text.split())
    assert "Ja, enligt avsändaren" in text
    text = get_page(client, f"/staff/underrattelser/{neighbour.id}").get_text(" ")
    assert "personen eller någon på lägenheten är skyddad (avsändaren angav det inte)" in text
    assert "Hemliga vägen" not in text


def test_retention_deletes_a_notices_moves_with_it(app: Flask) -> None:
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    old_day = (local_today() - timedelta(days=400)).isoformat()
    import_rows(row(referens="OLD", inkom=old_day, uppsagning=old_day), row(referens="NEW", adress="Gata 4"))
    run_pass()
    old, new = notice_by_reference("OLD"), notice_by_reference("NEW")
    casework.record_decision(old, decision=Decision.NO_ACTION, reason="Betalat", staff_id=staff.id)
    old_id = old.id
    assert _moves(old) and _moves(new)
    assert run_retention() == 1
    assert db.session.scalars(select(OutcomeChange.notice_id)).all() == [new.id]
    assert db.session.get(Notice, old_id) is None
