"""Issue 26 point 6: the daily follow-up reads exactly the notices whose date rules are due, day by day, over
the weeks up to and past their deadlines (Christmas and New Year's closures included), on SQLite and
PostgreSQL. "Due" is what the follow-up's own rules say when asked about every open notice, as the sweep did
before it read only the due ones from the next-check index."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import Flask
from sqlalchemy import select

from outreach.casework import service as casework
from outreach.notices.actions import get_action
from outreach.notices.models import ActionKind, AttemptChannel, AttemptResult, Decision, Notice
from outreach.pipeline.followup import claim_open, follow_up, needs_task
from outreach.pipeline.run import run_pass
from portal import clock
from portal.booking import service as booking_service
from portal.booking.models import Booking
from portal.db import db
from portal.staff.models import Role
from portal.workdays import working_days_between
from tests.factories import create_staff_user
from tests.outreach.factories import import_rows, notice_by_reference, row

MONDAY = date(2026, 12, 14)
CONTACT_DAYS, ESCALATE_DAYS, URGENT_DAYS = 5, 3, 5


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=clock.LOCAL_TZ)


def rules_act_on(notice: Notice, today: date) -> bool:
    """What the follow-up's rules would do with this notice today, asked directly (no index, no next day)."""
    if notice.deadline is not None and get_action(notice.id, ActionKind.DEADLINE_ESCALATION) is None and \
            working_days_between(today, notice.deadline) <= ESCALATE_DAYS:
        return True
    if get_action(notice.id, ActionKind.FOLLOWUP_TASK) is not None:
        return False
    return needs_task(notice, get_action(notice.id, ActionKind.LETTER_FIRST),
                      get_action(notice.id, ActionKind.BOOKING), today=today, contact_days=CONTACT_DAYS,
                      urgent_days=URGENT_DAYS) is not None


def due_by_the_rules(today: date) -> set[str]:
    open_notices = db.session.scalars(select(Notice).where(Notice.decision.is_(None), Notice.superseded.is_(False),
                                                           Notice.pipeline_due.is_(False)))
    return {notice.reference for notice in open_notices if rules_act_on(notice, today)}


def claimed(today: date) -> set[str]:
    references = {notice.reference for notice in claim_open(today=today)}
    db.session.rollback()  # release the claim's locks; only what it read matters here
    return references


def _booking(reference: str) -> Booking:
    step = get_action(notice_by_reference(reference).id, ActionKind.BOOKING)
    assert step is not None and step.ref_id is not None
    booking = db.session.get(Booking, step.ref_id)
    assert booking is not None
    return booking


def test_the_daily_sweep_reads_exactly_the_notices_that_are_due(app: Flask) -> None:
    app.config.update(OUTREACH_CONTACT_WORKING_DAYS=CONTACT_DAYS, OUTREACH_ESCALATE_WORKING_DAYS=ESCALATE_DAYS,
                      OUTREACH_URGENT_WORKING_DAYS=URGENT_DAYS)
    staff = create_staff_user(email="ulla@example.org", role=Role.OUTREACH)
    with clock.travel(_at(MONDAY)):
        eviction = (MONDAY + timedelta(days=9)).isoformat()
        import_rows(
            row(referens="QUIET", personnummer="201701012393", adress="Tystgatan 1"),
            row(referens="SERVED-EARLIER", personnummer="202503082386", adress="Tidigt 2",
                uppsagning=(MONDAY - timedelta(days=12)).isoformat(),
                delgiven=(MONDAY - timedelta(days=10)).isoformat(), inkom=(MONDAY - timedelta(days=9)).isoformat()),
            row(referens="KFM-SOON", typ="avhysning", skuld="", uppsagning="", personnummer="202508242381",
                adress="Snartgatan 3", avhysning=f"{eviction} 09:00"),
            row(referens="KFM-TOO-NEAR", typ="avhysning", skuld="", uppsagning="", personnummer="202510022383",
                adress="Nära 4", avhysning=f"{(MONDAY + timedelta(days=3)).isoformat()} 09:00"),
            row(referens="PROTECTED", personnummer="202503312387", adress="Hemlig 5", skyddad="ja"),
            row(referens="COMES", personnummer="202509012387", adress="Kommer 6"),
            row(referens="MISSES", personnummer="202512232386", adress="Missar 7"),
            row(referens="REACHED", personnummer="202504182391", adress="Nådd 8"),
            row(referens="DECIDED", typ="störning", skuld="", personnummer="200306062381", adress="Klar 9"),
        )
        run_pass()
        casework.record_attempt(notice_by_reference("REACHED"), channel=AttemptChannel.CALL,
                                result=AttemptResult.REACHED, note="", staff_id=staff.id)
        casework.record_decision(notice_by_reference("DECIDED"), decision=Decision.NO_ACTION, reason="Betalt",
                                 staff_id=staff.id)
    comes, misses = _booking("COMES"), _booking("MISSES")
    seen: dict[str, list[date]] = {}
    for offset in range(45):  # past every deadline, across Christmas and New Year
        today = MONDAY + timedelta(days=offset)
        with clock.travel(_at(today)):
            for booking, mark in ((comes, booking_service.mark_attended), (misses, booking_service.mark_no_show)):
                if clock.local_date(booking.starts_at) == today:
                    mark(booking.id, actor="reception", now=booking.starts_at + timedelta(minutes=5))
            expected = due_by_the_rules(today)
            assert claimed(today) == expected, today
            for reference in expected:
                seen.setdefault(reference, []).append(today)
            follow_up(today=today)
            assert claimed(today) == set() == due_by_the_rules(today), today
    # The decided notice never came up; the one three days from its eviction was escalated by the first pass;
    # every other open notice came up, and each was escalated before its deadline. The sweep read each notice
    # on a few days only, not every open notice every day.
    assert set(seen) == {"QUIET", "SERVED-EARLIER", "KFM-SOON", "PROTECTED", "COMES", "MISSES", "REACHED"}
    for reference in (*seen, "KFM-TOO-NEAR"):
        notice = notice_by_reference(reference)
        escalation = get_action(notice.id, ActionKind.DEADLINE_ESCALATION)
        assert escalation is not None and notice.deadline is not None
        assert clock.local_date(escalation.created_at) < notice.deadline, reference
    assert sum(len(days) for days in seen.values()) < 2 * len(seen)
    assert len(seen["MISSES"]) == 2  # the missed time, then the escalation before the deadline
