"""Growth: the queue page, the intake-meeting board, the notice list and the outreach pipeline at 1x, 10x and 100x
data.

One fresh database per size (SQLite, or PostgreSQL with PORTAL_BENCH_DATABASE_URL) with 1,000, 10,000 and
100,000 intake items and as many processed notices (PORTAL_BENCH_GROWTH_SIZES="1000,10000,100000"). Measured in
process with the Flask test client (the app's own cost, no HTTP), the sizes in turns:
  - the queue's first page and a filtered page, the intake-meeting board (the items ready for assignment and each
    caseworker's open and recent cases), and the notice list's first page: the median of sequential
    requests (page latency under load is measured in pages_bench and queue_bench; this is the cost per size);
  - the pipeline: a fresh file of new notices (distinct people) imported and one pass run, the median of three
    rounds in milliseconds per notice, each letter a pre-rendered bare PDF (rendering costs the same at any size
    and is measured in letters_bench), with enough places per reception slot that booking never runs out;
  - the daily follow-up sweep (seconds for the whole sweep) on the day after, with the same 100 notices due that
    day at every size (their escalation before the deadline and an urgent task) among all the open ones, whose
    next check lies in the weeks ahead, as in steady state: it reads only what is due (issue 26 point 6).
Baseline: the same measurement at the smallest size, in the same run. Issue 8 asks that latency grow far slower
than the data; the target written next to the 100x rows is at most twice the 1x latency.
"""

from __future__ import annotations

import csv
import io
import os
import random
import statistics
import tempfile
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert

from benchmarks import Result
from benchmarks.db import analyze, bench_app, fresh_database

SIZES = tuple(int(size) for size in os.environ.get("PORTAL_BENCH_GROWTH_SIZES", "1000,10000,100000").split(","))
REQUESTS = 100
WARMUP = 10
PIPELINE_BATCH = 100
PIPELINE_ROUNDS = 3
PAGES = (("queue page", "/staff/intag/", "coordinator"),
         ("queue page, filtered", "/staff/intag/?source=phone&deadline=overdue", "coordinator"),
         ("intake-meeting board", "/staff/intag/mote", "coordinator"),
         ("notice list", "/staff/underrattelser/", "outreach"),
         # The staff search: a name (folded, partial) that a handful of rows carry at every size, and a
         # personnummer, among all the seeded people, items and notices.
         ("search, name, outreach", "/staff/sok?q=%C3%96stlund", "outreach"),
         ("search, name, reception", "/staff/sok?q=%C3%B6stl", "coordinator"),
         ("search, personnummer, reception", "/staff/sok?q=20170101-2393", "coordinator"))


def _timed_get(client: FlaskClient, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return elapsed


# Notices whose follow-up is due on the sweep's day, the same number at every size.
SWEEP_DUE = 100


def add_notices(count: int, start: int, *, due_tomorrow: bool = False) -> None:
    """`count` notices already through the pipeline (contacted, not due), numbered from `start`. Their next
    follow-up day is some weeks ahead (ten days before the deadline, as the urgency rule puts it), or, with
    `due_tomorrow`, tomorrow, three days before their deadline."""
    from benchmarks.notices_bench import bulk_rows, generate
    from outreach.notices.models import Notice
    from portal.clock import local_today
    from portal.db import db

    text = generate(count, local_today(), distinct_people=True, start=start).decode("utf-8")
    rows = bulk_rows(csv.DictReader(io.StringIO(text), delimiter=";"), due=False, outcome="contacted")
    tomorrow = local_today() + timedelta(days=1)
    for r in rows:
        if due_tomorrow:
            r["deadline"], r["next_check_on"] = tomorrow + timedelta(days=3), tomorrow
        else:
            r["next_check_on"] = r["deadline"] - timedelta(days=10)
    for chunk in range(0, len(rows), 5000):
        db.session.execute(insert(Notice), rows[chunk:chunk + 5000])


def add_searched_person() -> None:
    """The person the search case looks for: one person with an intake item and two notices (by the ORM, as
    the pipeline stores them), the same at every size; the seeded rows are the haystack."""
    from outreach.notices.models import Notice
    from portal.clock import local_today
    from portal.db import db
    from portal.intake.models import IntakeItem, Source
    from portal.people import Person

    person = Person(personnummer="201701012393", name="Åsa Östlund")
    db.session.add(person)
    db.session.flush()
    db.session.add(IntakeItem(source=Source.PHONE, source_key="search-bench", person_id=person.id))
    for n in range(2):
        db.session.add(Notice(sender="search-bench", reference=f"SB-{n}", kind="uppsagning", channel="file",
                              landlord_name="Bostadsbolag AB", tenant_name="Åsa Östlund",
                              personnummer=person.personnummer, person_id=person.id, address="Sökgatan 1",
                              postal_code="11860", city="Stockholm", tenancy_key=f"search-bench-{n}",
                              received_date=local_today(), pipeline_due=False, outcome="contacted"))
    db.session.commit()


def pipeline_ms_per_notice(start: int, count: int) -> float:
    """Import `count` new notices and run one pass; milliseconds per notice processed."""
    from benchmarks.notices_bench import generate
    from outreach.notices.importer import import_file
    from outreach.pipeline.run import run_pass
    from portal.clock import local_today

    import_file(generate(count, local_today(), distinct_people=True, start=start), today=local_today())
    started = time.perf_counter()
    result = run_pass()
    seconds = time.perf_counter() - started
    if result.processed != count:
        raise RuntimeError(f"the pipeline processed {result.processed} of {count} notices")
    return seconds * 1000 / result.processed


def _seed(url: str, storage: Path, size: int) -> Flask:
    """An app on `url` with staff, 5,000 people, a roomy reception calendar, and `size` items and notices."""
    from benchmarks.queue_bench import add_items, seed_people, seed_staff
    from portal.booking.models import default_settings
    from portal.db import db

    app = bench_app(url, storage)
    with app.app_context():
        ids = seed_staff()
        people = seed_people(5000, random.Random(8))
        add_items(size, start=0, person_ids=people, caseworkers=ids["caseworkers"], rng=random.Random(4))
        add_notices(size, start=0)
        add_notices(SWEEP_DUE, start=5_000_000, due_tomorrow=True)
        add_searched_person()
        settings = default_settings()
        # Booking never runs out, so the pipeline's cost per notice is about the data, not a full calendar.
        settings.places_per_slot = 500
        db.session.merge(settings)
        analyze()
    app.config["BENCH_IDS"] = ids
    return app


def run(sizes: tuple[int, ...] = SIZES) -> list[Result]:
    """Seed one database per size, then measure them in turns; ratios to the smallest size.

    Measuring the sizes in turns (one request, or one pipeline batch, to each in a round) rather than one size
    after the other keeps a change in the machine's load from showing up as growth.
    """
    from benchmarks.letters_bench import BARE_HTML
    from benchmarks.queue_bench import logged_in_client
    from outreach.pipeline import delivery
    from portal.db import db
    from portal.pdf import html_to_pdf
    from portal.staff.models import Role

    original_render = delivery.render_outreach_letter
    timings: dict[str, dict[int, list[float]]] = {name: {size: [] for size in sizes} for name, _, _ in PAGES}
    timings["pipeline"] = {size: [] for size in sizes}
    timings["daily follow-up sweep"] = {size: [] for size in sizes}
    with tempfile.TemporaryDirectory(prefix="growth-bench-") as tmp, ExitStack() as stack:
        apps: dict[int, Flask] = {}
        for size in sizes:
            started = time.perf_counter()
            url = stack.enter_context(fresh_database(Path(tmp), f"growth{size}"))
            apps[size] = _seed(url, Path(tmp) / f"files{size}", size)
            print(f"   seeded {size} intake items and notices in {time.perf_counter() - started:.1f} s", flush=True)
        clients = {size: {"coordinator": logged_in_client(app, app.config["BENCH_IDS"]["coordinator"]),
                          "outreach": logged_in_client(app, app.config["BENCH_IDS"]["outreach"], Role.OUTREACH)}
                   for size, app in apps.items()}
        try:
            for name, page, who in PAGES:
                for n in range(WARMUP + REQUESTS):
                    for size in sizes:
                        elapsed = _timed_get(clients[size][who], page)
                        if n >= WARMUP:
                            timings[name][size].append(elapsed)
            with apps[sizes[0]].app_context():
                bare = html_to_pdf(BARE_HTML)
            delivery.render_outreach_letter = lambda **_: bare
            for round_number in range(PIPELINE_ROUNDS):
                for size in sizes:
                    with apps[size].app_context():
                        # New notices numbered far above the seeded ones, so none repeats an earlier notice.
                        timings["pipeline"][size].append(pipeline_ms_per_notice(
                            10_000_000 + round_number * PIPELINE_BATCH, PIPELINE_BATCH))
            # The daily sweep (the follow-up's date rules) on the day after: SWEEP_DUE notices are due.
            from outreach.pipeline.followup import follow_up
            from portal.clock import local_today

            for size in sizes:
                with apps[size].app_context():
                    started = time.perf_counter()
                    changed = follow_up(today=local_today() + timedelta(days=1))
                    timings["daily follow-up sweep"][size].append(time.perf_counter() - started)
                    if changed < SWEEP_DUE:
                        raise RuntimeError(f"the sweep acted on {changed} notices, {SWEEP_DUE} were due")
        finally:
            delivery.render_outreach_letter = original_render
            for app in apps.values():
                with app.app_context():
                    db.engine.dispose()
    results = []
    first, last = sizes[0], sizes[-1]
    for name, by_size in timings.items():
        # The median: the cost at each size, which the machine's other load moves far less than the tail.
        summary = {size: statistics.median(values) for size, values in by_size.items()}
        unit = {"pipeline": "ms/n", "daily follow-up sweep": "s"}.get(name, "ms p50")
        for size, value in summary.items():
            target = "<= 2x" if size == last and size != first else ""
            results.append(Result(f"growth: {name} @{size:,}", value, unit, f"same @{first:,}", summary[first],
                                  target))
    return results
