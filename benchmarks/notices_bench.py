"""Notice benchmark: importing 100,000 generated notices against a bare bulk insert of the same rows, peak
resident memory of each, the pipeline without PDF rendering (notices per second per process), and the pipeline
with bookings and letters (every notice a different person, so each one gets its own booking and letter).

Each phase runs in its own child process on a fresh database built from the real migrations (SQLite, or a new
PostgreSQL database with PORTAL_BENCH_DATABASE_URL), so its peak RSS is its own. Targets (issue 6): import under
60 s and under 500 MB resident; pipeline at least 200 notices/s. Only the ratios against the same-run baseline
mean much: the machine is shared.

Run: .venv/bin/python -m benchmarks.notices_bench [--notices N] [--pipeline-notices N] [--letter-notices N]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from benchmarks import Result, peak_mb

NUMBERS = ("201701012393", "202503082386", "202508242381", "202510022383", "202503312387", "202509012387",
           "202512232386", "202504182391", "200306062381", "200802122390", "200607092384")
HEADER = ("typ;referens;hyresvard;hyresvard_orgnr;hyresgast_namn;personnummer;adress;postnummer;ort;skuld_kr;"
          "uppsagning_datum;delgiven_datum;inkom_datum;avhysning_datum;barn_i_hushallet;sprak;skyddad_identitet;"
          "rattelse_av")


def personnummer(index: int) -> str:
    """A valid, distinct 12-digit personnummer for every index below 18 million (born 1940-1989, invented)."""
    from stdnum import luhn

    born = date(1940, 1, 1) + timedelta(days=index % 18000)
    ten = f"{born:%y%m%d}{index // 18000 % 1000:03d}"
    return f"{born.year // 100}{ten}{luhn.calc_check_digit(ten)}"


def generate(count: int, today: date, *, distinct_people: bool = False, start: int = 0) -> bytes:
    """A landlord file of `count` notices in the sample's layout (test personnummer, invented addresses).

    With distinct_people every notice is a different person (and flat), so none is linked to another's case.
    References, people and flats are numbered from `start`, so files with different starts never overlap.
    """
    lines = [HEADER]
    for index in range(start, start + count):
        kind = ("uppsägning", "uppsägning", "uppsägning", "störning")[index % 4]
        debt = f"{10000 + index % 9000} {index % 1000:03d},50" if kind == "uppsägning" else ""
        number = personnummer(index) if distinct_people else NUMBERS[index % len(NUMBERS)]
        lines.append(";".join((
            kind, f"B-{index:07d}", f"Bostadsbolag {index % 50} AB", f"556{index % 50:03d}-0001", f"Person {index}",
            number, f"Benchgatan {index}", f"1{index % 90 + 10:02d} {index % 90 + 10:02d}",
            "Stockholm", debt, (today - timedelta(days=5)).isoformat(), (today - timedelta(days=3)).isoformat(),
            (today - timedelta(days=2)).strftime("%Y%m%d"), "", ("ja", "nej", "")[index % 3], "", "", "")))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _app(url: str, storage: Path) -> Flask:
    from benchmarks.db import bench_app

    return bench_app(url, storage)


def phase_import(url: str, storage: Path, csv_path: Path) -> dict[str, float]:
    """The real importer: decoding, checks, repeats, linking, deadlines, committed in chunks."""
    from outreach.notices.importer import import_file
    from portal.clock import local_today

    app = _app(url, storage)
    data = csv_path.read_bytes()
    with app.app_context():
        start = time.perf_counter()
        report = import_file(data, today=local_today(), filename=csv_path.name)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": peak_mb(), "created": len(report.created),
            "rejected": len(report.rejected)}


def bulk_rows(reader: Any, *, due: bool = True, outcome: str = "pending") -> list[dict[str, Any]]:
    """Notice rows as they are in the file, no checks (the bare baseline, and seeding for growth)."""
    from portal.db import utcnow
    from portal.search_keys import name_keys

    now, today = utcnow(), date.today()
    return [{"sender": r["hyresvard_orgnr"], "reference": r["referens"], "kind": "uppsagning", "channel": "file",
             "landlord_name": r["hyresvard"], "tenant_name": r["hyresgast_namn"],
             "personnummer": r["personnummer"], "address": r["adress"], "postal_code": r["postnummer"],
             "city": r["ort"], "tenancy_key": r["adress"], "amount_text": r["skuld_kr"], "received_date": today,
             "deadline": today + timedelta(days=20 + int(r["referens"][2:]) % 40),
             "children": "okant", "protected": False, "superseded": False, "out_of_area": False, "priority": 0,
             "pipeline_due": due, "outcome": outcome, "created_at": now, "updated_at": now,
             # The staff search's folded keys, as the ORM fills them for every notice stored.
             **dict(zip(("name_key", "name_key_last"), name_keys(r["hyresgast_namn"]), strict=True))}
            for r in reader]


def phase_bulk(url: str, storage: Path, csv_path: Path) -> dict[str, float]:
    """The baseline: the same rows read with csv and inserted as they are, in one executemany, no checks."""
    from sqlalchemy import insert

    from outreach.notices.models import Notice
    from portal.db import db

    app = _app(url, storage)
    with app.app_context():
        start = time.perf_counter()
        reader = csv.DictReader(io.StringIO(csv_path.read_bytes().decode("utf-8")), delimiter=";")
        db.session.execute(insert(Notice), bulk_rows(reader))
        db.session.commit()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": peak_mb(), "created": 0, "rejected": 0}


def phase_pipeline(url: str, storage: Path, csv_path: Path) -> dict[str, float]:
    """Import, then time one pipeline pass with a pre-rendered PDF in place of each letter (no rendering)."""
    from benchmarks.letters_bench import BARE_HTML
    from outreach.notices.importer import import_file
    from outreach.pipeline import delivery
    from outreach.pipeline.run import run_pass
    from portal.clock import local_today
    from portal.pdf import html_to_pdf

    app = _app(url, storage)
    with app.app_context():
        # No PDF rendering: every letter is the same pre-rendered bare page; booking, storing and counting its
        # pages stay in, so this is the whole pipeline less the typesetting.
        bare = html_to_pdf(BARE_HTML)
        delivery.render_outreach_letter = lambda **_: bare
        import_file(csv_path.read_bytes(), today=local_today())
        start = time.perf_counter()
        result = run_pass()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": peak_mb(), "processed": result.processed}


def phase_pipeline_letters(url: str, storage: Path, csv_path: Path) -> dict[str, float]:
    """Import notices of distinct people, then time one full pass: booking and rendered letter for each."""
    from sqlalchemy import func, select

    from outreach.notices.importer import import_file
    from outreach.pipeline.run import run_pass
    from portal.booking.models import Booking, default_settings
    from portal.clock import local_today
    from portal.db import db
    from portal.letters.models import Letter

    app = _app(url, storage)
    with app.app_context():
        settings = default_settings()
        # Enough places that every notice is booked before its deadline: the letter is what is measured here.
        settings.places_per_slot = 200
        db.session.merge(settings)
        db.session.commit()
        import_file(csv_path.read_bytes(), today=local_today())
        from benchmarks.letters_bench import letter_kwargs
        from outreach.letters import render_outreach_letter  # fonts and templates loaded before the clock starts

        render_outreach_letter(**letter_kwargs(0))
        start = time.perf_counter()
        result = run_pass()
        seconds = time.perf_counter() - start
        letters = db.session.scalar(select(func.count()).select_from(Letter)) or 0
        bookings = db.session.scalar(select(func.count()).select_from(Booking)) or 0
    return {"seconds": seconds, "peak_mb": peak_mb(), "processed": result.processed, "letters": letters,
            "bookings": bookings}


PHASES = {"import": phase_import, "bulk": phase_bulk, "pipeline": phase_pipeline,
          "pipeline_letters": phase_pipeline_letters}


def _child(phase: str, csv_path: Path, workdir: Path) -> dict[str, float]:
    from benchmarks.db import fresh_database

    with fresh_database(workdir, phase) as url:
        out = subprocess.run([sys.executable, "-m", "benchmarks.notices_bench", "--phase", phase, "--url", url,
                              "--storage", str(workdir / f"files-{phase}"), "--csv", str(csv_path)],
                             capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"notices_bench phase {phase} failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


LETTER_NOTICES = int(os.environ.get("PORTAL_BENCH_PIPELINE_LETTERS", "200"))


def run(notices: int = 100_000, pipeline_notices: int = 10_000, letter_notices: int = LETTER_NOTICES,
        ) -> list[Result]:
    """Run every phase in its own process; results with ratios to the bulk-insert baseline."""
    from portal.clock import local_today

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        big, small, lettered = workdir / "notices.csv", workdir / "pipeline.csv", workdir / "letters.csv"
        big.write_bytes(generate(notices, local_today()))
        small.write_bytes(generate(pipeline_notices, local_today()))
        lettered.write_bytes(generate(letter_notices, local_today(), distinct_people=True))
        bulk = _child("bulk", big, workdir)
        imported = _child("import", big, workdir)
        piped = _child("pipeline", small, workdir)
        with_letters = _child("pipeline_letters", lettered, workdir)
    rate = piped["processed"] / piped["seconds"] if piped["seconds"] else 0.0
    letter_rate = with_letters["processed"] / with_letters["seconds"] if with_letters["seconds"] else 0.0
    baseline_rate = notices / bulk["seconds"] if bulk["seconds"] else 0.0
    return [
        Result(f"import {notices} notices", imported["seconds"], "s", "bare bulk insert", bulk["seconds"],
               "< 60 s"),
        Result("import peak RSS", imported["peak_mb"], "MB", "bare bulk insert peak RSS", bulk["peak_mb"],
               "< 500 MB"),
        Result(f"pipeline, no PDFs ({int(piped['processed'])} notices)", rate, "n/s", "bare insert rows/s",
               baseline_rate, ">= 200/s"),
        Result(f"pipeline with letters ({int(with_letters['processed'])} notices, "
               f"{int(with_letters['letters'])} letters)", letter_rate, "n/s", "pipeline, no PDFs n/s", rate,
               ""),
    ]


def main() -> int:
    """Command line: a phase in this process, or the whole benchmark with a table."""
    from benchmarks.__main__ import print_table

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--pipeline-notices", type=int, default=10_000)
    parser.add_argument("--letter-notices", type=int, default=LETTER_NOTICES)
    parser.add_argument("--phase", choices=tuple(PHASES))
    parser.add_argument("--url")
    parser.add_argument("--storage", type=Path)
    parser.add_argument("--csv", type=Path)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(PHASES[args.phase](args.url, args.storage, args.csv)))
        return 0
    print_table(run(args.notices, args.pipeline_notices, args.letter_notices))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
