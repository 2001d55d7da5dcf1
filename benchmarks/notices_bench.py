"""Notice benchmark: importing 100,000 generated notices against a bare bulk insert of the same rows, peak
resident memory of each, and the pipeline without PDF rendering (notices per second per process).

Each phase runs in its own child process on a fresh SQLite database built from the real migrations (or on
PostgreSQL with --pg URL of an empty, migrated database per phase is not attempted: SQLite only), so its peak RSS
is its own. Targets (issue 6): import under 60 s and under 500 MB resident; pipeline at least 200 notices/s.
Only the ratios against the same-run baseline mean much: the machine is shared.

Run: .venv/bin/python -m benchmarks.notices_bench [--notices N] [--pipeline-notices N]  (not part of the tests)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks import Result

NUMBERS = ("201701012393", "202503082386", "202508242381", "202510022383", "202503312387", "202509012387",
           "202512232386", "202504182391", "200306062381", "200802122390", "200607092384")
HEADER = ("typ;referens;hyresvard;hyresvard_orgnr;hyresgast_namn;personnummer;adress;postnummer;ort;skuld_kr;"
          "uppsagning_datum;delgiven_datum;inkom_datum;avhysning_datum;barn_i_hushallet;sprak;skyddad_identitet;"
          "rattelse_av")


def generate(count: int, today: date) -> bytes:
    """A landlord file of `count` notices in the sample's layout (test personnummer, invented addresses)."""
    lines = [HEADER]
    for index in range(count):
        kind = ("uppsägning", "uppsägning", "uppsägning", "störning")[index % 4]
        debt = f"{10000 + index % 9000} {index % 1000:03d},50" if kind == "uppsägning" else ""
        lines.append(";".join((
            kind, f"B-{index:07d}", f"Bostadsbolag {index % 50} AB", f"556{index % 50:03d}-0001", f"Person {index}",
            NUMBERS[index % len(NUMBERS)], f"Benchgatan {index}", f"1{index % 90 + 10:02d} {index % 90 + 10:02d}",
            "Stockholm", debt, (today - timedelta(days=5)).isoformat(), (today - timedelta(days=3)).isoformat(),
            (today - timedelta(days=2)).strftime("%Y%m%d"), "", ("ja", "nej", "")[index % 3], "", "", "")))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _app(db_path: Path):  # type: ignore[no-untyped-def]
    from portal import create_app
    from portal.migrate import upgrade

    url = f"sqlite:///{db_path}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "STORAGE_DIR": str(db_path.parent / "files"),
                      "DEVELOPMENT": True, "SECRET_KEY": "benchmark-only", "SMTP_URL": "", "STAFF_MFA": False})
    with app.app_context():
        upgrade(url=url)
    return app


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_import(db_path: Path, csv_path: Path) -> dict[str, float]:
    """The real importer: decoding, checks, repeats, linking, deadlines, committed in chunks."""
    from outreach.notices.importer import import_file
    from portal.intake.service import local_today

    app = _app(db_path)
    data = csv_path.read_bytes()
    with app.app_context():
        start = time.perf_counter()
        report = import_file(data, today=local_today(), filename=csv_path.name)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb(), "created": len(report.created),
            "rejected": len(report.rejected)}


def phase_bulk(db_path: Path, csv_path: Path) -> dict[str, float]:
    """The baseline: the same rows read with csv and inserted as they are, in one executemany, no checks."""
    from sqlalchemy import insert

    from outreach.notices.models import Notice
    from portal.db import db, utcnow

    app = _app(db_path)
    with app.app_context():
        start = time.perf_counter()
        reader = csv.DictReader(io.StringIO(csv_path.read_bytes().decode("utf-8")), delimiter=";")
        now, today = utcnow(), date.today()
        rows = [{"sender": r["hyresvard_orgnr"], "reference": r["referens"], "kind": "uppsagning", "channel": "file",
                 "landlord_name": r["hyresvard"], "tenant_name": r["hyresgast_namn"],
                 "personnummer": r["personnummer"], "address": r["adress"], "postal_code": r["postnummer"],
                 "city": r["ort"], "tenancy_key": r["adress"], "amount_text": r["skuld_kr"], "received_date": today,
                 "children": "okant", "protected": False, "superseded": False, "out_of_area": False, "priority": 0,
                 "pipeline_due": True, "outcome": "pending", "created_at": now, "updated_at": now} for r in reader]
        db.session.execute(insert(Notice), rows)
        db.session.commit()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb(), "created": len(rows), "rejected": 0}


def phase_pipeline(db_path: Path, csv_path: Path) -> dict[str, float]:
    """Import, then time one pipeline pass with the booking and letter step left pending (no PDFs)."""
    from outreach import delivery
    from outreach.notices.importer import import_file
    from outreach.pipeline import run_pass
    from portal.intake.service import local_today

    delivery.modules = lambda: None  # no PDF rendering: booking and letters stay pending, as before they exist
    app = _app(db_path)
    with app.app_context():
        import_file(csv_path.read_bytes(), today=local_today())
        start = time.perf_counter()
        result = run_pass()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": _peak_mb(), "processed": result.processed}


def _child(phase: str, csv_path: Path, workdir: Path) -> dict[str, float]:
    db_path = workdir / f"{phase}.sqlite3"
    out = subprocess.run([sys.executable, "-m", "benchmarks.notices_bench", "--phase", phase, "--db", str(db_path),
                          "--csv", str(csv_path)], capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run(notices: int = 100_000, pipeline_notices: int = 10_000) -> list[Result]:
    """Run every phase in its own process; results with ratios to the bulk-insert baseline."""
    from portal.intake.service import local_today

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        big, small = workdir / "notices.csv", workdir / "pipeline.csv"
        big.write_bytes(generate(notices, local_today()))
        small.write_bytes(generate(pipeline_notices, local_today()))
        bulk = _child("bulk", big, workdir)
        imported = _child("import", big, workdir)
        piped = _child("pipeline", small, workdir)
    rate = piped["processed"] / piped["seconds"] if piped["seconds"] else 0.0
    baseline_rate = notices / bulk["seconds"] if bulk["seconds"] else 0.0
    return [
        Result(f"import {notices} notices", imported["seconds"], "s", "bare bulk insert", bulk["seconds"],
               "< 60 s"),
        Result("import peak RSS", imported["peak_mb"], "MB", "bare bulk insert peak RSS", bulk["peak_mb"],
               "< 500 MB"),
        Result(f"pipeline, no PDFs ({int(piped['processed'])} notices)", rate, "n/s", "bare insert rows/s",
               baseline_rate, ">= 200/s"),
    ]


def main() -> int:
    """Command line: a phase in this process, or the whole benchmark with a table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=100_000)
    parser.add_argument("--pipeline-notices", type=int, default=10_000)
    parser.add_argument("--phase", choices=("import", "bulk", "pipeline"))
    parser.add_argument("--db", type=Path)
    parser.add_argument("--csv", type=Path)
    args = parser.parse_args()
    if args.phase:
        phases = {"import": phase_import, "bulk": phase_bulk, "pipeline": phase_pipeline}
        print(json.dumps(phases[args.phase](args.db, args.csv)))
        return 0
    results = run(args.notices, args.pipeline_notices)
    print(f"{'measurement':<40} {'result':>10} {'unit':<5} {'baseline':<28} {'value':>10} {'ratio':>7}  target")
    for r in results:
        print(f"{r.name:<40} {r.value:>10.2f} {r.unit:<5} {r.baseline_name:<28} {r.baseline:>10.2f} "
              f"{r.ratio:>7.2f}  {r.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
