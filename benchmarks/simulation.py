"""A simulated stretch of the outreach unit's life, replayed day by day against the real product (issue 26).

`Simulation` runs, for each simulated day, what happens in the unit, moving `portal.clock` to each moment:
notices arrive (daily trickles and landlords' bulk files, imported by the real importer), the scheduler's
pipeline pass runs in the morning and the afternoon (pipeline, follow-up sweep, e-mail), staff make the day's
print batch, the post takes its working days, people answer their letters as `ContactBehaviour` draws them
(come, do not come, cancel or move online, pick a time with the code, phone in), the reception marks attendance
at each time's start, outreach staff work their tasks (calls and home visits, as the task says) and record
decisions, and administrators add extra reception times when the settings page warns that capacity runs
short. Nothing is faked below the simulation: every step is the product's own service call, on SQLite or
PostgreSQL, and the figures in `Report` are read back from what the product recorded.

`ContactBehaviour` is the behaviour model on its own: how people answer each channel (a letter with a booked
time, a letter with only a code, a follow-up letter by its reason, a call, a text, a home visit). Its rates
are assumptions for a plausible unit, not measurements; pass another instance (or a subclass) to study other
behaviour.

Issue 28's measuring is checked against it: an administrator's letter-variant test runs for rent-arrears notices
from the first day, people answer the variant's first letter as `ContactBehaviour.letter_variant` says, and the
simulation keeps its own log of every contact it causes (`Simulation.truth`). `measure_funnel` then compares the
board's statistics, which the product computes from what it recorded, with that log: per letter arm and per channel
of first contact, the counts must be the same and the simulated share must lie in the statistics' 95 % interval.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from flask import Flask
from sqlalchemy import func, select

HEADER = ("typ;referens;hyresvard;hyresvard_orgnr;hyresgast_namn;personnummer;adress;postnummer;ort;skuld_kr;"
          "uppsagning_datum;delgiven_datum;inkom_datum;avhysning_datum;barn_i_hushallet;sprak;skyddad_identitet;"
          "rattelse_av")
LANDLORDS = (("Stadsbostäder AB", "556000-0001"), ("Fastighets AB Söder", "556000-0002"),
             ("Hyresbolaget Norr AB", "556000-0003"), ("Bostads AB Väster", "556000-0004"),
             ("Förvaltning Öst AB", "556000-0005"))
KRONOFOGDEN = ("Kronofogden", "202100-5646")
# The simulated administrator's variant of the first letter (the same words in every language: nobody reads a
# simulated letter, and variants.start wants a text for each).
VARIANT_TEXT = {"heading": "Vi vill hjälpa dig att bo kvar",
                "opening": "Ring oss eller kom till mottagningen, så hittar vi en lösning tillsammans."}
LANGUAGES = ("sv",) * 12 + ("ar", "so", "fa", "ti", "fi", "uk", "en", "")

# Reactions to a letter.
ATTEND, NO_SHOW, CANCEL, MOVE, PICK, CALL_IN, NOTHING = ("attend", "no_show", "cancel", "move", "pick", "call_in",
                                                          "nothing")


@dataclass
class ContactBehaviour:
    """How people answer outreach, drawn with a seeded random generator (rates are assumptions, not data).

    `letter[situation]` gives the chances of each reaction to a letter in that situation: "booked" (a first
    letter with a time), "code" (a first letter without one: phone, drop in or pick a time with the code),
    "missed", "cancelled" and "no_answer" (the follow-up letter, by what happened). `letter_variant[situation]`
    replaces them for a first letter in the letter-variant test's variant arm (issue 28): the effect the board's
    statistics should find. A reaction's chances may sum to less than one; the rest is NOTHING (for a booked
    time: not coming). `after_move` and `after_pick` are the chances
    of coming to a time the person chose; `repick_after_cancel` that someone who cancelled online picks another
    time. `reach[channel]` is the chance that one staff attempt by "call", "text" or "home_visit" reaches the
    household. `post_late` gives the chances that a letter arrives 1, 2, ... working days after the post's
    usual delivery.
    """

    letter: dict[str, dict[str, float]] = field(default_factory=lambda: {
        "booked": {ATTEND: 0.58, NO_SHOW: 0.18, CANCEL: 0.07, MOVE: 0.10, CALL_IN: 0.05},
        "code": {PICK: 0.45, CALL_IN: 0.20},
        "missed": {PICK: 0.30, CALL_IN: 0.15},
        "cancelled": {PICK: 0.40, CALL_IN: 0.15},
        "no_answer": {CALL_IN: 0.25},
    })
    letter_variant: dict[str, dict[str, float]] = field(default_factory=lambda: {
        "booked": {ATTEND: 0.64, NO_SHOW: 0.12, CANCEL: 0.07, MOVE: 0.10, CALL_IN: 0.05},
        "code": {PICK: 0.55, CALL_IN: 0.25},
    })
    after_move: float = 0.85
    after_pick: float = 0.80
    repick_after_cancel: float = 0.40
    reach: dict[str, float] = field(default_factory=lambda: {"call": 0.45, "text": 0.30, "home_visit": 0.55})
    post_late: tuple[float, ...] = (0.04, 0.01)

    def on_letter(self, rng: random.Random, *, situation: str, arm: str = "standard") -> str:
        """What the person does once the letter has arrived (`arm`: the letter-variant test's arm, if any)."""
        chances = self.letter_variant.get(situation) if arm == "variant" else None
        draw, total = rng.random(), 0.0
        for reaction, chance in (chances if chances is not None else self.letter.get(situation, {})).items():
            total += chance
            if draw < total:
                return reaction
        return NO_SHOW if situation == "booked" else NOTHING

    def comes(self, rng: random.Random, *, chosen: str) -> bool:
        """Whether the person comes to a time they chose themselves ("move" or "pick")."""
        return rng.random() < (self.after_move if chosen == MOVE else self.after_pick)

    def repicks(self, rng: random.Random) -> bool:
        """Whether someone who cancelled online picks another time with the same code."""
        return rng.random() < self.repick_after_cancel

    def reached(self, rng: random.Random, *, channel: str) -> bool:
        """Whether one staff attempt on this channel reaches the household."""
        return rng.random() < self.reach.get(channel, 0.0)

    def post_delay(self, rng: random.Random) -> int:
        """Working days a letter arrives after the post's usual delivery (mostly 0)."""
        draw, total = rng.random(), 0.0
        for late, chance in enumerate(self.post_late, start=1):
            total += chance
            if draw < total:
                return late
        return 0


@dataclass(frozen=True)
class Plan:
    """What arrives: `total` notices over `days` days from `start` (the trickle on working days), plus the
    bulk files (day, count) of one landlord each, and the reception's capacity."""

    start: date
    days: int
    total: int
    bulk: tuple[tuple[date, int], ...] = ()
    # Shares of notice types in the trickle (rent arrears, disturbance, Kronofogden, other).
    kinds: tuple[tuple[str, float], ...] = (("uppsägning", 0.72), ("störning", 0.10), ("avhysning", 0.12),
                                            ("övrigt", 0.06))
    # Of Kronofogden's notices, the share about a household that already has a landlord's notice.
    eviction_on_open_case: float = 0.3
    protected: float = 0.01
    known_clients: float = 0.05
    places_per_slot: int = 4
    hours: tuple[tuple[str, str], ...] = (("09:00", "12:00"), ("13:00", "16:00"))
    seed: int = 26
    # The letter-variant test an administrator starts on the first day: its notice kind and share (0: none).
    variant_kind: str = "uppsagning"
    variant_share: int = 50


@dataclass(frozen=True)
class FunnelCheck:
    """One group of the board's statistics against the simulation's own log of the contacts it caused: notices
    and contact in time, as simulated (`truth_*`) and as the statistics show them, with their 95 % interval."""

    table: str
    label: str
    truth_notices: int
    truth_in_time: int
    shown_notices: int | None
    shown_in_time: int | None
    low: float | None
    high: float | None

    @property
    def agrees(self) -> bool:
        """The same counts, and the simulated share inside the interval (when the interval is shown)."""
        share = self.truth_in_time / self.truth_notices if self.truth_notices else 0.0
        inside = self.low is None or self.high is None or self.low - 1e-9 <= 100 * share <= self.high + 1e-9
        return (self.shown_notices, self.shown_in_time) == (self.truth_notices, self.truth_in_time) and inside

    def line(self) -> str:
        interval = "" if self.low is None else f" (95 % KI {self.low:.1f}-{self.high:.1f} %)"
        share = 100 * self.truth_in_time / self.truth_notices if self.truth_notices else 0.0
        return (f"{self.table} / {self.label}: simulated {self.truth_in_time}/{self.truth_notices} in time "
                f"({share:.1f} %), statistics {self.shown_in_time}/{self.shown_notices}{interval}"
                f"{'' if self.agrees else '  <-- DIFFERS'}")


@dataclass
class Report:
    """What the simulation measured (shares in per cent)."""

    notices: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    booked: int = 0
    letter_in_time: float = 0.0
    letters_late: list[str] = field(default_factory=list)
    # Notices whose deadline had not come when the simulation ended: left out of the deadline shares.
    still_open: int = 0
    contacted: int = 0
    booked_before_deadline: float = 0.0
    attempt_before_deadline: float = 0.0
    attempt_or_escalation_before_deadline: float = 0.0
    missing_attempt: list[str] = field(default_factory=list)
    decision_or_escalation_before_deadline: float = 0.0
    without_letter_or_task: list[str] = field(default_factory=list)
    warning_days: int = 0
    extra_sessions: int = 0
    days: int = 0
    pipeline_seconds: list[float] = field(default_factory=list)
    sweep_seconds: list[float] = field(default_factory=list)
    reactions: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    funnel: list[FunnelCheck] = field(default_factory=list)
    variant_verdict: str = ""

    def lines(self) -> list[str]:
        """The report as text."""
        def stats(values: list[float]) -> str:
            if not values:
                return "-"
            ordered = sorted(values)
            return (f"mean {sum(values) / len(values) * 1000:.0f} ms, p95 "
                    f"{ordered[int(0.95 * (len(values) - 1))] * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms")
        return [
            f"notices: {self.notices} ({', '.join(f'{k} {v}' for k, v in sorted(self.by_kind.items()))}) over "
            f"{self.days} days",
            f"letter printed in time for delivery before the booked time: {self.letter_in_time:.2f} % of {self.booked}",
            f"booked before the recovery deadline or eviction date: {self.booked_before_deadline:.2f} % of "
            f"{self.contacted} with a letter",
            f"first contact attempt before the deadline: {self.attempt_before_deadline:.2f} %",
            f"contact attempt or escalation before the deadline: {self.attempt_or_escalation_before_deadline:.2f} %",
            f"decision or escalation before the deadline: {self.decision_or_escalation_before_deadline:.2f} %",
            f"notices without a letter or task: {len(self.without_letter_or_task)}",
            f"deadline not yet come at the end (left out of the deadline shares): {self.still_open}",
            f"days with a capacity warning: {self.warning_days} (extra sessions added: {self.extra_sessions})",
            f"pipeline per simulated day: {stats(self.pipeline_seconds)}",
            f"follow-up sweep per simulated day: {stats(self.sweep_seconds)}",
            f"reactions: {dict(sorted(self.reactions.items()))}",
            f"board statistics against the simulation's log: {sum(c.agrees for c in self.funnel)} of "
            f"{len(self.funnel)} groups agree",
            *(f"  {check.line()}" for check in self.funnel),
            f"letter-variant verdict: {self.variant_verdict}",
        ]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    from portal.clock import LOCAL_TZ

    return datetime.combine(day, clock_time(hour, minute), tzinfo=LOCAL_TZ)


class Simulation:
    """One unit's days, replayed against the real product in `app` (an empty, migrated database)."""

    def __init__(self, app: Flask, plan: Plan, behaviour: ContactBehaviour | None = None,
                 *, tail_days: int = 60, admin_adds_sessions: bool = True, progress: bool = False) -> None:
        self.app, self.plan = app, plan
        self.behaviour = behaviour or ContactBehaviour()
        self.rng = random.Random(plan.seed)
        self.tail_days = tail_days
        self.admin_adds_sessions = admin_adds_sessions
        self.progress = progress
        self.report = Report()
        self.agenda: dict[date, list[Callable[[], None]]] = defaultdict(list)
        self.comes: dict[int, bool] = {}          # booking id -> whether the person comes to it
        self.letters_seen: set[int] = set()
        self.households: list[tuple[str, str, str]] = []  # (personnummer, name, address) with a landlord notice
        self.serial = 0
        self.working_days: int | None = None
        self.staff_id = 0
        self.admin_id = 0
        # The simulation's own log of every contact it caused, per notice: (when, channel as the funnel names it).
        self.truth: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
        self.booking_notice: dict[int, int] = {}

    # --- arrivals -------------------------------------------------------------------------------------------

    def _kind(self) -> str:
        draw, total = self.rng.random(), 0.0
        for kind, share in self.plan.kinds:
            total += share
            if draw < total:
                return kind
        return self.plan.kinds[0][0]

    def _row(self, today: date, kind: str, landlord: tuple[str, str]) -> str:
        from benchmarks.notices_bench import personnummer
        from portal.workdays import next_working_day

        self.serial += 1
        n = self.serial
        rng = self.rng
        number, name, address = personnummer(n), f"Person {n}", f"Simuleringsgatan {n}"
        terminated, served, eviction, debt = "", "", "", ""
        sender = landlord
        if kind == "avhysning":
            sender = KRONOFOGDEN
            if self.households and rng.random() < self.plan.eviction_on_open_case:
                number, name, address = rng.choice(self.households)
            # Kronofogden tells the municipality when the date is set: usually weeks ahead, now and then days.
            ahead = rng.randint(4, 9) if rng.random() < 0.02 else rng.randint(14, 56)
            eviction = f"{next_working_day(today + timedelta(days=ahead)).isoformat()} 09:00"
        else:
            terminated = (today - timedelta(days=rng.randint(2, 7))).isoformat()
            served = (today - timedelta(days=rng.randint(0, 1))).isoformat() if rng.random() < 0.7 else ""
            if kind == "uppsägning":
                debt = f"{rng.randint(4, 60) * 1000} kr"
                self.households.append((number, name, address))
        protected = "ja" if rng.random() < self.plan.protected else ""
        children = rng.choice(("ja", "nej", ""))
        return ";".join((kind, f"SIM-{n:06d}", sender[0], sender[1], name, number, address, "118 60", "Stockholm",
                         debt, terminated, served, today.isoformat(), eviction, children, rng.choice(LANGUAGES),
                         protected, ""))

    def arrivals(self, today: date) -> list[str]:
        """The rows arriving today: the trickle on working days, and any bulk file of today."""
        from portal.workdays import is_working_day

        rows: list[str] = []
        bulk_total = sum(count for _, count in self.plan.bulk)
        if self.working_days is None:
            self.working_days = sum(1 for d in range(self.plan.days)
                                    if is_working_day(self.plan.start + timedelta(days=d)))
        if is_working_day(today) and today < self.plan.start + timedelta(days=self.plan.days):
            mean = max(0.0, (self.plan.total - bulk_total) / max(self.working_days, 1))
            count = max(0, round(self.rng.gauss(mean, mean ** 0.5)))
            rows += [self._row(today, self._kind(), self.rng.choice(LANDLORDS)) for _ in range(count)]
        for day, count in self.plan.bulk:
            if day == today:
                landlord = self.rng.choice(LANDLORDS)
                rows += [self._row(today, "uppsägning", landlord) for _ in range(count)]
        return rows

    # --- setting up ----------------------------------------------------------------------------------------

    def setup(self) -> None:
        """Staff, the reception's settings and the known-client register."""
        from outreach.notices.known_clients import import_register
        from portal.booking.opening_hours import save_settings
        from portal.db import db
        from portal.staff.models import Role
        from portal.staff.service import create_staff

        password = "simulerad-" + "".join(self.rng.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(16))
        self.staff_id = create_staff(email="uppsokare@example.org", role=Role.OUTREACH, password=password,
                                     name="Uppsökare").id
        self.admin_id = create_staff(email="admin@example.org", role=Role.ADMIN, password=password,
                                     name="Administratör").id
        hours = {str(day): [list(period) for period in self.plan.hours] for day in range(5)}
        save_settings(hours=hours, slot_minutes=30, places_per_slot=self.plan.places_per_slot, lead_working_days=2,
                      actor="simulering")
        if self.plan.variant_share:
            from flask import current_app

            from outreach.funnel import variants

            test = variants.start(kind=self.plan.variant_kind, name="Kort brev",
                                  share_percent=self.plan.variant_share,
                                  texts={lang: dict(VARIANT_TEXT) for lang in current_app.config["LANGUAGES"]},
                                  staff_id=self.admin_id)
            # The product draws each test's seed at random; the simulation fixes it, so that one plan gives the
            # same year on every run and on both databases.
            test.seed = f"simulation-{self.plan.seed}"
            db.session.commit()
        # Some people the notices will name are already clients: their caseworker is told instead.
        from benchmarks.notices_bench import personnummer

        lines = ["personnummer;enhet;handlaggare;epost"]
        expected = int(self.plan.total * 1.1)
        for n in range(1, expected + 1):
            if self.rng.random() < self.plan.known_clients:
                lines.append(f"{personnummer(n)};Enheten för ekonomiskt bistånd;Handläggare;hl{n}@example.org")
        import_register("\n".join(lines).encode())

    # --- one day ---------------------------------------------------------------------------------------------

    def run(self) -> Report:
        """Every day from the plan's start until `tail_days` after the last arrival; then the figures."""
        from portal import clock

        with self.app.app_context(), clock.travel(_at(self.plan.start, 7)):
            self.setup()
        last = self.plan.start + timedelta(days=self.plan.days + self.tail_days)
        day = self.plan.start
        while day < last:
            with self.app.app_context():
                self.day(day)
            day += timedelta(days=1)
            if self.progress and (day - self.plan.start).days % 30 == 0:
                print(f"   simulated up to {day.isoformat()}", flush=True)
        self.report.days = (last - self.plan.start).days
        with self.app.app_context(), clock.travel(_at(last, 7)):
            measure(self.report, self.app)
            measure_funnel(self.report, self.truth, self.plan.start)
        return self.report

    def day(self, today: date) -> None:
        """One simulated day, in the order a real one has."""
        from outreach.notices.importer import import_file
        from portal import clock
        from portal.workdays import is_working_day

        working = is_working_day(today)
        with clock.travel(_at(today, 8)):
            rows = self.arrivals(today)
            if rows:
                import_file(("\r\n".join((HEADER, *rows)) + "\r\n").encode(), today=today, filename="sim.csv")
        with clock.travel(_at(today, 8, 30)):
            self.scheduler_pass(today)
        with clock.travel(_at(today, 9)):
            for action in self.agenda.pop(today, []):
                action()
        if working:
            self.reception(today)
            with clock.travel(_at(today, 13)):
                self.outreach_staff(today)
                self.administrator(today)
        with clock.travel(_at(today, 15)):
            self.scheduler_pass(today)
        if working:
            with clock.travel(_at(today, 16)):
                self.print_batch(today)

    def scheduler_pass(self, today: date) -> None:
        """One pipeline pass, timing the pipeline and the follow-up sweep apart."""
        from outreach.pipeline import followup
        from outreach.pipeline.run import run_pass

        sweep = 0.0
        original = followup.follow_up

        def timed(**kwargs: date) -> int:
            nonlocal sweep
            started = time.perf_counter()
            try:
                return original(**kwargs)
            finally:
                sweep += time.perf_counter() - started

        followup.follow_up = timed  # type: ignore[assignment]
        try:
            started = time.perf_counter()
            run_pass(today=today)
            total = time.perf_counter() - started
        finally:
            followup.follow_up = original  # type: ignore[assignment]
        self.report.pipeline_seconds.append(total - sweep)
        self.report.sweep_seconds.append(sweep)

    def print_batch(self, today: date) -> None:
        """Staff make the day's print batch; each letter reaches its person after the post's working days."""
        from flask import current_app

        from outreach.notices.models import Notice
        from portal.db import db
        from portal.letters.print_batch import claim_batch, delivered_by
        from portal.workdays import add_working_days

        _batch, letters = claim_batch(today)
        db.session.commit()
        postal = int(current_app.config.get("POSTAL_WORKING_DAYS", 2))
        for letter in letters:
            if letter.id in self.letters_seen or not letter.dedup_key.startswith("notice:"):
                continue
            self.letters_seen.add(letter.id)
            _, notice_id, kind = letter.dedup_key.split(":")
            arrives = add_working_days(delivered_by(today, postal), self.behaviour.post_delay(self.rng))
            notice = db.session.get(Notice, int(notice_id))
            if notice is not None:
                self.agenda[arrives].append(self._letter_arrives(notice.id, kind))

    # --- people ----------------------------------------------------------------------------------------------

    def _booking_of(self, notice_id: int) -> tuple[object, object] | None:
        from outreach.notices.actions import get_action
        from outreach.notices.models import ActionKind
        from portal.booking.models import Booking
        from portal.db import db

        step = get_action(notice_id, ActionKind.BOOKING)
        booking = db.session.get(Booking, step.ref_id) if step is not None and step.ref_id else None
        return (step, booking) if booking is not None else None

    def _letter_arrives(self, notice_id: int, kind: str) -> Callable[[], None]:
        def arrive() -> None:
            from outreach.notices.models import Notice
            from outreach.pipeline.followup import booking_status
            from portal.booking.models import BookingStatus
            from portal.clock import now
            from portal.db import db

            notice = db.session.get(Notice, notice_id)
            found = self._booking_of(notice_id)
            if notice is None or notice.decision is not None or found is None:
                return
            booking = found[1]
            arm = "standard"
            if kind == "outreach_first":
                status = booking_status(booking.id)  # type: ignore[attr-defined]
                situation = "booked" if status == BookingStatus.BOOKED else "code"
                arm = self._arm(notice_id)
            else:
                situation = self._second_situation(notice_id)
                # The follow-up letter's own code, when it has one (a missed or cancelled time).
                booking = self._open_code(notice.intake_item_id) or booking
                status = booking_status(booking.id)  # type: ignore[attr-defined]
            reaction = self.behaviour.on_letter(self.rng, situation=situation, arm=arm)
            if status == BookingStatus.BOOKED and booking.starts_at <= now() and reaction in (  # type: ignore[attr-defined]
                    CANCEL, MOVE):
                reaction = NO_SHOW  # the letter came too late to change the time
            self.report.reactions[f"{situation}:{reaction}"] += 1
            self._react(notice_id, booking.id, reaction)  # type: ignore[attr-defined]
            db.session.commit()
        return arrive

    def _open_code(self, intake_item_id: int | None) -> object | None:
        from portal.booking.models import Booking, BookingStatus
        from portal.db import db

        if intake_item_id is None:
            return None
        return db.session.scalar(select(Booking).where(Booking.intake_item_id == intake_item_id,
                                                       Booking.status == BookingStatus.UNSCHEDULED)
                                 .order_by(Booking.id.desc()).limit(1))

    def _arm(self, notice_id: int) -> str:
        """The letter-variant arm the product recorded for the notice's first letter ("standard" if none)."""
        from outreach.funnel.models import VariantAssignment
        from portal.db import db

        arm = db.session.scalar(select(VariantAssignment.arm).where(VariantAssignment.notice_id == notice_id))
        return "standard" if arm is None else str(arm)

    def _second_situation(self, notice_id: int) -> str:
        from outreach.pipeline.followup import SECOND_LETTER_REASONS, booking_status

        found = self._booking_of(notice_id)
        status = booking_status(found[1].id) if found is not None else None  # type: ignore[attr-defined]
        return SECOND_LETTER_REASONS.get(status, "no_answer") if status is not None else "no_answer"

    def _react(self, notice_id: int, booking_id: int, reaction: str) -> None:
        from portal.booking import service
        from portal.booking.models import Booking, BookingStatus
        from portal.db import db

        booking = db.session.get(Booking, booking_id)
        if booking is None:
            return
        self.booking_notice[booking_id] = notice_id
        if reaction == ATTEND:
            self.comes[booking_id] = True
        elif reaction == NO_SHOW:
            self.comes[booking_id] = False
        elif reaction == CALL_IN:
            self._call_in(notice_id)
        elif reaction == CANCEL and booking.status == BookingStatus.BOOKED:
            service.cancel_online(booking_id, actor="personen (webben)")
            self._contact(notice_id, "online")
            if self.behaviour.repicks(self.rng):
                self._pick(booking_id, MOVE)
        elif reaction in (MOVE, PICK) and booking.status in (BookingStatus.BOOKED, BookingStatus.UNSCHEDULED):
            self._pick(booking_id, reaction)

    def _contact(self, notice_id: int, channel: str) -> None:
        """Log a contact the simulation caused, now, for measure_funnel to hold the statistics to."""
        from portal.clock import now

        self.truth[notice_id].append((now(), channel))

    def _pick(self, booking_id: int, chosen: str) -> None:
        """The person picks one of the first free times offered on the rebooking page."""
        from portal.booking import service
        from portal.booking.models import Booking
        from portal.booking.opening_hours import offered_times
        from portal.db import db

        booking = db.session.get(Booking, booking_id)
        current = booking.starts_at if booking is not None else None
        # The person moves to another time: the page offers their own too, and choosing it changes nothing.
        offered = [start for _day, starts in offered_times(days=5, exclude=booking_id) for start in starts
                   if start != current]
        if not offered:
            return
        try:
            service.move_booking(booking_id, self.rng.choice(offered[:12]), actor="personen (webben)")
        except service.BookingError:
            return
        self._contact(self.booking_notice[booking_id], "online")
        self.comes[booking_id] = self.behaviour.comes(self.rng, chosen=chosen)

    def _call_in(self, notice_id: int) -> None:
        """The person phones the unit: outreach records a reached attempt."""
        from outreach.casework import service as casework
        from outreach.notices.models import AttemptChannel, AttemptResult, Notice
        from portal.db import db

        notice = db.session.get(Notice, notice_id)
        if notice is not None and notice.decision is None:
            casework.record_attempt(notice, channel=AttemptChannel.PHONED_IN, result=AttemptResult.REACHED,
                                    note="personen ringde", staff_id=self.staff_id)
            self._contact(notice_id, "phoned_in")

    # --- staff -----------------------------------------------------------------------------------------------

    def reception(self, today: date) -> None:
        """At each time's start the reception marks who came and who did not."""
        from portal import clock
        from portal.booking import service
        from portal.booking.models import BookingStatus

        for booking in service.list_bookings(today):
            if booking.status != BookingStatus.BOOKED:
                continue
            with clock.travel(booking.starts_at + timedelta(minutes=10)):
                if self.comes.get(booking.id, False):
                    service.mark_attended(booking.id, actor="receptionen")
                    self._contact(self.booking_notice[booking.id], "reception")
                else:
                    service.mark_no_show(booking.id, actor="receptionen")

    def outreach_staff(self, today: date) -> None:
        """Outreach works its tasks (a call or a text; a home visit for half of the urgent ones), writes to the
        protected through Skatteverket, and records decisions."""
        from outreach.casework import service as casework
        from outreach.notices.models import Attempt, AttemptChannel, AttemptResult, Notice, Outcome
        from outreach.pipeline.followup import URGENT, list_open_tasks
        from portal.db import db

        for task, notice in list_open_tasks():
            channel = "home_visit" if task.detail.startswith(URGENT) and self.rng.random() < 0.5 else \
                self.rng.choice(("call", "call", "text"))
            reached = self.behaviour.reached(self.rng, channel=channel)
            casework.record_attempt(notice, channel=AttemptChannel(channel),
                                    result=AttemptResult.REACHED if reached else AttemptResult.NOT_REACHED,
                                    note="", staff_id=self.staff_id)
            if reached:
                self._contact(notice.id, channel)
        tried = select(Attempt.id).where(Attempt.notice_id == Notice.id).exists()
        manual = select(Notice).where(Notice.decision.is_(None), Notice.outcome == Outcome.MANUAL,
                                      Notice.superseded.is_(False), ~tried)
        for notice in db.session.scalars(manual).all():
            casework.record_attempt(notice, channel=AttemptChannel.LETTER, result=AttemptResult.MESSAGE_LEFT,
                                    note="brev via Skatteverket", staff_id=self.staff_id)
        for notice, decision, reason in self._decisions(today):
            casework.record_decision(notice, decision=decision, reason=reason, staff_id=self.staff_id)

    def _decisions(self, today: date) -> list[tuple[object, object, str]]:
        """The notices staff decide today: a household reached or come (a day after), a caseworker told or the
        case handled elsewhere, the protected near their deadline, and the rest the working day before it."""
        from outreach.notices.models import Attempt, AttemptResult, Decision, Notice, Outcome
        from portal.booking.models import Booking, BookingStatus
        from portal.db import db
        from portal.workdays import add_working_days

        open_ = (Notice.decision.is_(None), Notice.superseded.is_(False), Notice.pipeline_due.is_(False))
        reached = select(Attempt.id).where(Attempt.notice_id == Notice.id, Attempt.result == AttemptResult.REACHED,
                                           Attempt.at < _at(today, 0)).exists()
        came = select(Booking.id).where(Booking.intake_item_id == Notice.intake_item_id,
                                        Booking.status == BookingStatus.ATTENDED,
                                        Booking.starts_at < _at(today, 0)).exists()
        decided: dict[int, tuple[object, object, str]] = {}
        for notice in db.session.scalars(select(Notice).where(*open_, reached | came)):
            decided[notice.id] = (notice, Decision.INVESTIGATION_OPENED if self.rng.random() < 0.4
                                  else Decision.CONTACT_MADE, "")
        for notice in db.session.scalars(select(Notice).where(*open_, Notice.outcome.in_(
                (Outcome.KNOWN_CLIENT, Outcome.OUT_OF_AREA, Outcome.LINKED)))):
            decided.setdefault(notice.id, (notice, Decision.NO_ACTION, "Hanteras av handläggaren eller i ärendet"))
        for notice in db.session.scalars(select(Notice).where(*open_, Notice.outcome == Outcome.MANUAL,
                                                              Notice.deadline <= add_working_days(today, 5))):
            decided.setdefault(notice.id, (notice, Decision.INVESTIGATION_OPENED, ""))
        for notice in db.session.scalars(select(Notice).where(*open_, Notice.deadline <= add_working_days(today, 1))):
            decided.setdefault(notice.id, (notice, Decision.NO_ACTION,
                                           "Ingen kontakt trots brev, samtal, sms och hembesök"))
        return list(decided.values())

    def administrator(self, today: date) -> None:
        """When the settings page warns that capacity runs short, an administrator adds an extra afternoon
        session on the first open day with room, as the warning asks."""
        from portal.booking import capacity

        outlook = capacity.outlook(today=today)
        if outlook.warning:
            self.report.warning_days += 1
            if self.admin_adds_sessions:
                added = capacity.add_extra_session_for_warning(outlook, actor="simulering")
                self.report.extra_sessions += added


HANDLED = ("letter_first", "followup_task", "manual", "caseworker_mail")


def _case_members(notice: object) -> list[int]:
    from outreach.notices.models import Notice
    from portal.db import db

    assert isinstance(notice, Notice)
    root = notice.case_id or notice.id
    return [root, *db.session.scalars(select(Notice.id).where(Notice.case_id == root, Notice.id != notice.id))]


def measure(report: Report, app: Flask) -> None:
    """The figures, read back from what the product recorded."""
    from outreach.notices.actions import get_action
    from outreach.notices.models import ActionKind, Attempt, Notice, NoticeAction, Outcome
    from portal.booking.models import BookingEvent
    from portal.clock import local_date, local_today
    from portal.db import db
    from portal.letters.models import Letter, PrintBatch
    from portal.letters.print_batch import delivered_by

    end = local_today()
    postal = int(app.config.get("POSTAL_WORKING_DAYS", 2))
    notices = db.session.scalars(select(Notice).where(Notice.superseded.is_(False)).order_by(Notice.id)).all()
    report.notices = len(notices)
    report.by_kind = defaultdict(int)
    for notice in notices:
        report.by_kind[str(notice.kind)] += 1
    first_attempt = dict(db.session.execute(select(Attempt.notice_id, func.min(Attempt.at))
                                            .group_by(Attempt.notice_id)).all())
    batch_day = dict(db.session.execute(select(Letter.id, PrintBatch.day)
                                        .join(PrintBatch, PrintBatch.id == Letter.batch_id)).all())
    first_booked = dict(db.session.execute(select(BookingEvent.booking_id, func.min(BookingEvent.starts_at))
                                           .where(BookingEvent.kind == "booked")
                                           .group_by(BookingEvent.booking_id)).all())
    in_time = booked_ok = with_letter = attempt_ok = either_ok = decided_ok = 0
    for notice in notices:
        actions = {str(a.kind): a for a in db.session.scalars(
            select(NoticeAction).where(NoticeAction.notice_id == notice.id))}
        letter = actions.get(ActionKind.LETTER_FIRST)
        # A letter or a task for the notice, or for its case when another notice of the household and flat is
        # already in hand (linked, or Kronofogden's notice on an open case).
        handled = any(kind in actions for kind in HANDLED)
        if not handled:  # the root of a case too: Kronofogden's later notice may be the one with the letter
            handled = any(get_action(member, kind) is not None for member in _case_members(notice) for kind in HANDLED)
        if not handled:
            report.without_letter_or_task.append(f"{notice.reference} ({notice.outcome})")
        deadline = notice.deadline
        if deadline is not None and deadline >= end:
            report.still_open += 1
            continue
        # Contact attempts: the letter's arrival by the post's usual days, or a staff attempt, or a caseworker
        # told (the caseworker contacts their own client).
        arrival = None
        if letter is not None and letter.ref_id in batch_day:
            print_day = batch_day[letter.ref_id]
            arrival = delivered_by(print_day, postal)
            with_letter += 1
            booking_step = actions.get(ActionKind.BOOKING)
            starts = first_booked.get(booking_step.ref_id) if booking_step is not None else None
            if starts is not None:
                report.booked += 1
                if arrival < local_date(starts):
                    in_time += 1
                else:
                    report.letters_late.append(notice.reference)
                if deadline is not None and local_date(starts) < deadline:
                    booked_ok += 1
        attempts = [day for day in (arrival, local_date(first_attempt[notice.id]) if notice.id in first_attempt
                                    else None) if day is not None]
        told = ActionKind.CASEWORKER_MAIL in actions
        escalation = [local_date(a.created_at) for kind, a in actions.items()
                      if kind in (ActionKind.ESCALATION, ActionKind.DEADLINE_ESCALATION, ActionKind.MANUAL)]
        before = deadline is None or (attempts and min(attempts) < deadline)
        if before or told:
            attempt_ok += 1
        if before or told or (deadline is not None and escalation and min(escalation) < deadline) or \
                notice.outcome == Outcome.LINKED:
            either_ok += 1
        else:
            report.missing_attempt.append(notice.reference)
        decided = notice.decided_at is not None and deadline is not None and local_date(notice.decided_at) < deadline
        if decided or (deadline is not None and escalation and min(escalation) < deadline) or \
                notice.outcome == Outcome.LINKED or deadline is None:
            decided_ok += 1
    total = max(report.notices - report.still_open, 1)
    report.contacted = with_letter
    report.letter_in_time = 100 * in_time / max(report.booked, 1)
    report.booked_before_deadline = 100 * booked_ok / max(with_letter, 1)
    report.attempt_before_deadline = 100 * attempt_ok / total
    report.attempt_or_escalation_before_deadline = 100 * either_ok / total
    report.decision_or_escalation_before_deadline = 100 * decided_ok / total


def measure_funnel(report: Report, truth: dict[int, list[tuple[datetime, str]]], start: date,
                   minimum: int = 1) -> None:
    """Hold the board's statistics (issue 28) to the simulation's own log of the contacts it caused.

    The statistics read what the product recorded (attempts, booking events) through outreach.funnel; the log is
    what the simulation did. For every notice the statistics count (the same selection, `funnel.counted`), the
    first logged contact of its case on or after its arrival decides its channel and whether it came in time;
    grouped per letter arm and per channel, the counts must be those the statistics show, inside their 95 %
    intervals. The statistics are built with no small-count
    suppression (`minimum` 1): what is checked is the counting, not what the board may be shown.
    """
    from outreach.funnel.contact import CHANNEL_LABELS
    from outreach.funnel.models import VariantAssignment
    from outreach.notices.models import Notice
    from outreach.reports import funnel as funnel_stats
    from portal.clock import local_date, local_today
    from portal.db import db
    from portal.statistics.tables import Period

    end = local_today()
    period = Period(start, end)
    case_of = dict(db.session.execute(select(Notice.id, func.coalesce(Notice.case_id, Notice.id))).all())
    by_case: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for notice_id, events in truth.items():
        by_case[case_of[notice_id]].extend(events)
    counted = db.session.execute(
        select(Notice.id, Notice.received_date, Notice.deadline, VariantAssignment.arm)
        .outerjoin(VariantAssignment, VariantAssignment.notice_id == Notice.id)
        .where(*funnel_stats.counted(period, end))).all()
    arms: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    channels: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for notice_id, received, deadline, arm in counted:
        mine = sorted(event for event in by_case.get(case_of[notice_id], ()) if local_date(event[0]) >= received)
        in_time = int(bool(mine) and deadline is not None and local_date(mine[0][0]) <= deadline)
        label = CHANNEL_LABELS.get(mine[0][1], "Ingen kontakt") if mine else "Ingen kontakt"
        for group, key in ((channels, label), (arms, None if arm is None else str(arm))):
            if key is not None:
                group[key][0] += 1
                group[key][1] += in_time
    tables = {table.key: table for table in funnel_stats.build(period, minimum, today=end)}

    def check(table: str, label: str, truth_counts: list[int], shown: list[Any] | None) -> None:
        # A funnel row and a variant row both begin: label, notices, in time, share, low, high.
        notices, in_time, _share, low, high = shown[1:6] if shown is not None else (None,) * 5
        report.funnel.append(FunnelCheck(table=table, label=label, truth_notices=truth_counts[0],
                                         truth_in_time=truth_counts[1], shown_notices=notices,
                                         shown_in_time=in_time, low=low, high=high))

    by_channel = {str(row[0]): row for row in tables["funnel_by_channel"].rows}
    for label, counts in sorted(channels.items()):
        check("per kanal", label, counts, by_channel.get(label))
    variant_tables = [table for key, table in tables.items() if key.startswith("variant_")]
    for table in variant_tables:
        for row, name in zip(table.rows[:2], ("standard", "variant"), strict=True):
            check("brevvariant", name, arms[name], row)
        report.variant_verdict = table.note
