"""`python -m benchmarks year`: a simulated year of a Stockholm-sized unit (issue 26), on SQLite or, with
PORTAL_BENCH_DATABASE_URL, PostgreSQL.

About 8,000 notices of every type arrive over 2027 as daily trickles on working days and as landlords' bulk
files (1,000 in one day in March, 400 in September, 300 in November); Easter, midsummer and Christmas close
the reception through the working-day calendar; the reception has 09-12 and 13-16 on weekdays with four places
per half hour; people answer as benchmarks.simulation.ContactBehaviour draws them; the scheduler's passes, the
day's print batch, the reception's attendance, outreach's tasks and decisions and the administrator's extra
times run each simulated day with the clock moved through portal.clock. The simulation runs on until 60 days
after the last arrival, so every deadline has passed. Letters are a pre-rendered bare page (rendering is
measured in letters_bench and costs the same on any day).

Issue 28: an administrator's letter-variant test runs for rent-arrears notices all year (half get the variant,
which people answer a little more often, as ContactBehaviour.letter_variant says); the board's statistics are
held to the simulation's own log of the contacts it caused, per letter arm and per channel of first contact.

Targets: at least 99 % of letters with a booked time printed in time for delivery before it, 100 % with a
contact attempt or an escalation before their deadline, no notice without a letter or task.
Sizes: PORTAL_BENCH_YEAR_NOTICES (8000), PORTAL_BENCH_YEAR_DAYS (days with arrivals, 335) and
PORTAL_BENCH_YEAR_START (2027-01-04), and PORTAL_BENCH_YEAR_TAIL (60 days simulated after the last arrival): a
part of the year, for a machine that cannot spare the whole.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks import Result
from benchmarks.db import bench_app, fresh_database
from benchmarks.simulation import Plan, Report, Simulation

NOTICES = int(os.environ.get("PORTAL_BENCH_YEAR_NOTICES", "8000"))
DAYS = int(os.environ.get("PORTAL_BENCH_YEAR_DAYS", "335"))
START = date.fromisoformat(os.environ.get("PORTAL_BENCH_YEAR_START", "2027-01-04"))
TAIL = int(os.environ.get("PORTAL_BENCH_YEAR_TAIL", "60"))
BULK = ((date(2027, 3, 15), 1000), (date(2027, 9, 6), 400), (date(2027, 11, 15), 300))


def plan(total: int = NOTICES, days: int = DAYS, start: date = START) -> Plan:
    """The year's plan; a shorter run (a later start, fewer days) keeps the bulk files that fall within it."""
    return Plan(start=start, days=days, total=total,
                bulk=tuple((day, count) for day, count in BULK if 0 <= (day - start).days < days))


def results(report: Report, seconds: float) -> list[Result]:
    """The table's rows: each share against its target, the per-day times against the day's median."""
    pipeline_p50 = statistics.median(report.pipeline_seconds) * 1000
    sweep_p50 = statistics.median(report.sweep_seconds) * 1000
    share = "share of notices (%)"
    return [
        Result("year: letter in time for the booked time", report.letter_in_time, "%",
               f"notices with a booked time: {report.booked}", 100.0, ">= 99 %"),
        Result("year: booked before the deadline", report.booked_before_deadline, "%",
               f"notices with a letter: {report.contacted}", 100.0, ""),
        Result("year: first contact attempt before the deadline", report.attempt_before_deadline, "%",
               f"notices: {report.notices}", 100.0, ""),
        Result("year: contact attempt or escalation before the deadline",
               report.attempt_or_escalation_before_deadline, "%", f"notices: {report.notices}", 100.0, "100 %"),
        Result("year: decision or escalation before the deadline", report.decision_or_escalation_before_deadline,
               "%", share, 100.0, ""),
        Result("year: notices without a letter or task", len(report.without_letter_or_task), "n",
               f"notices: {report.notices}", report.notices, "0"),
        Result("year: days with a capacity warning", report.warning_days, "days", f"days simulated: {report.days}",
               report.days, ""),
        Result("year: pipeline per simulated day, p50", pipeline_p50, "ms", "same, max",
               max(report.pipeline_seconds) * 1000, ""),
        Result("year: follow-up sweep per simulated day, p50", sweep_p50, "ms", "same, max",
               max(report.sweep_seconds) * 1000, ""),
        Result("year: whole simulation", seconds, "s", f"days simulated: {report.days}", report.days, ""),
        Result("year: funnel groups where the statistics equal the simulation", sum(c.agrees for c in report.funnel),
               "n", "groups (letter arms and channels)", len(report.funnel), "all"),
        *(Result(f"year: contact in time, {check.label} letter (simulated)",
                 100 * check.truth_in_time / check.truth_notices, "%",
                 f"statistics (95 % KI {check.low}-{check.high})",
                 100 * (check.shown_in_time or 0) / (check.shown_notices or 1), "inside KI")
          for check in report.funnel if check.table == "brevvariant" and check.truth_notices),
    ]


def run() -> list[Result]:
    """Simulate the year on a fresh database and return the figures (also printed as text)."""
    from benchmarks.letters_bench import BARE_HTML
    from outreach.pipeline import delivery
    from portal.pdf import html_to_pdf

    original = delivery.render_outreach_letter
    with tempfile.TemporaryDirectory(prefix="year-bench-") as tmp, fresh_database(Path(tmp), "year") as url:
        app = bench_app(url, Path(tmp) / "files")
        with app.app_context():
            bare = html_to_pdf(BARE_HTML)
        delivery.render_outreach_letter = lambda **_: bare
        try:
            started = time.perf_counter()
            report = Simulation(app, plan(), tail_days=TAIL, progress=True).run()
            seconds = time.perf_counter() - started
        finally:
            delivery.render_outreach_letter = original
            with app.app_context():
                from portal.db import db

                db.engine.dispose()
    for line in report.lines():
        print(f"   {line}", flush=True)
    if report.letters_late:
        print(f"   letters late (first 20): {report.letters_late[:20]}")
    if report.missing_attempt:
        print(f"   no attempt or escalation before the deadline (first 20): {report.missing_attempt[:20]}")
    if report.without_letter_or_task:
        print(f"   without a letter or task (first 20): {report.without_letter_or_task[:20]}")
    return results(report, seconds)
