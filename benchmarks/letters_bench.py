"""Letters: outreach letters typeset per second, and a whole print batch, against Typst's bare page.

Measured in one run, on a fresh database (SQLite, or PostgreSQL with PORTAL_BENCH_DATABASE_URL):
  - the baseline: Typst (portal.typeset, which letters use) making a bare one-page document, pages per second in
    one process; and for comparison WeasyPrint's bare page (portal.pdf, which renders receipts and reports, and
    rendered the letters until 2026-12-01);
  - `outreach.letters.render_outreach_letter` in one process, on a sample of letters in the language mix below;
  - the print batch: PORTAL_BENCH_LETTERS letters (default 4,000, the issue's batch) rendered on every core
    (one process per CPU, as `portal worker` processes would) and stored with `portal.letters.service.add_letter`,
    then exported by the real `portal letters export` command (claim, merge into one PDF with blank backs,
    manifest.csv) in a process of its own, whose peak memory is reported against the same process before the
    export. The batch time is render + store + export, end to end, nothing extrapolated.
Targets (issue 8): at least 40 letters per second; a 4,000-letter batch in under 5 minutes.

Language mix: most letters are Swedish plus one other language (two sections); every eleventh has no known
language and carries the short panel in all eight; a third are Swedish only.

Run alone: .venv/bin/python -m benchmarks letters_bench   (PORTAL_BENCH_LETTERS=400 for a quick run)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks import Result, peak_mb
from benchmarks.db import bench_app, fresh_database

COUNT = int(os.environ.get("PORTAL_BENCH_LETTERS", "4000"))
SAMPLE = 220
BARE_PAGES = 40
LANGUAGES: tuple[str | None, ...] = ("sv", "sv", "sv", "ar", "so", "ti", "fa", "uk", "fi", "en", None)
BARE_HTML = ("<!doctype html><html lang=sv><head><meta charset=utf-8><title>x</title></head>"
             "<body><p>Hej</p></body></html>")
BARE_TYPST = '#set document(title: "x")\n#set text(lang: "sv")\nHej\n'


def letter_kwargs(index: int) -> dict[str, Any]:
    """The arguments of one realistic first letter, as outreach.pipeline.delivery.write_letter passes them (invented
    person, address and booking; a rebooking code with its typed address and its QR code)."""
    starts = datetime(2026, 12, 1, 8, 0, tzinfo=UTC) + timedelta(minutes=30 * (index % 16), days=index % 20)
    language = LANGUAGES[index % len(LANGUAGES)]
    code = f"BENCH{index % 100000:05d}"
    return {"kind": "outreach_first", "language": language,
            "recipient_name": f"Förnamn{index} Efternamnsson", "address_lines": [f"Benchgatan {index % 200 + 1}",
                                                                               f"{100 + index % 900:03d} 45 Kommunen"],
            "booking_starts_at": starts, "rebooking_code": code, "rebooking_url": "http://127.0.0.1:5000/tid",
            "rebooking_qr_url": f"http://127.0.0.1:5000/{language or 'sv'}/tid/{code}",
            "recovery_deadline": date(2026, 12, 20), "amount_text": f"{10000 + index % 9000} kr",
            "eviction_at": None, "phone": None, "reference": f"B-{index:07d}"}


_worker_context: Any = None


def _init_worker(url: str, storage: str, barrier: Any) -> None:
    """A rendering process: its own app context, one warm-up letter per language (fonts, templates), the garbage
    collector settled as `portal worker` does, then wait for the start."""
    global _worker_context
    from outreach.letters import render_outreach_letter
    from portal.pdf import settle_for_batches

    app = bench_app(url, Path(storage))
    _worker_context = app.app_context()
    _worker_context.push()
    for index in range(len(LANGUAGES)):
        render_outreach_letter(**letter_kwargs(index))
    settle_for_batches()
    barrier.wait()


def _render(index: int) -> tuple[int, bytes]:
    from outreach.letters import render_outreach_letter

    return index, render_outreach_letter(**letter_kwargs(index))


def _pages_per_second(make: Any, pages: int) -> float:
    make()  # fonts and caches loaded before the clock starts
    started = time.perf_counter()
    for _ in range(pages):
        make()
    return pages / (time.perf_counter() - started)


def bare_rate(folder: Path) -> float:
    """Bare one-page documents per second through Typst, in this process."""
    from portal.typeset import typeset

    template = folder / "bare.typ"
    template.write_text(BARE_TYPST, encoding="utf-8")
    # Five times as many pages as WeasyPrint's: each takes about a millisecond.
    return _pages_per_second(lambda: typeset(template, {}), BARE_PAGES * 5)


def weasyprint_bare_rate() -> float:
    """Bare one-page documents per second through WeasyPrint, in this process."""
    from portal.pdf import html_to_pdf

    return _pages_per_second(lambda: html_to_pdf(BARE_HTML), BARE_PAGES)


def single_rate() -> float:
    """Letters per second in this process, over a sample in the language mix."""
    from outreach.letters import render_outreach_letter

    # Warm, as a worker is after its first letters: each language's fonts are loaded once per process.
    for index in range(len(LANGUAGES)):
        render_outreach_letter(**letter_kwargs(index))
    started = time.perf_counter()
    for index in range(SAMPLE):
        render_outreach_letter(**letter_kwargs(index))
    return SAMPLE / (time.perf_counter() - started)


def render_and_store(url: str, storage: Path, count: int, processes: int) -> float:
    """Render `count` letters on `processes` processes and store each with add_letter; returns the seconds taken."""
    from portal.db import db
    from portal.letters.service import add_letter

    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes + 1)
    with context.Pool(processes, initializer=_init_worker, initargs=(url, str(storage), barrier)) as pool:
        barrier.wait()
        started = time.perf_counter()
        for done, (index, pdf) in enumerate(pool.imap_unordered(_render, range(count), chunksize=4), start=1):
            kwargs = letter_kwargs(index)
            add_letter(kind="outreach_first", dedup_key=f"bench:{index}", person_id=None,
                       language=kwargs["language"] or "sv", pdf=pdf, template_version="bench",
                       reference=kwargs["reference"])
            if done % 100 == 0:
                db.session.commit()
        db.session.commit()
        return time.perf_counter() - started


def export_here(url: str, storage: Path, out: Path) -> dict[str, float]:
    """`portal letters export --date today --out OUT` in this process: its seconds, the letters in the manifest,
    and this process's peak memory before and after."""
    from portal.clock import local_today

    app = bench_app(url, storage)
    runner = app.test_cli_runner()
    before = peak_mb()
    started = time.perf_counter()
    result = runner.invoke(args=["letters", "export", "--date", local_today().isoformat(), "--out", str(out)])
    seconds = time.perf_counter() - started
    if result.exit_code != 0:
        raise RuntimeError(f"portal letters export failed: {result.output}") from result.exception
    folder = out / local_today().isoformat()
    letters = len((folder / "manifest.csv").read_text(encoding="utf-8").splitlines()) - 1
    return {"seconds": seconds, "letters": letters, "peak_mb": peak_mb(), "before_mb": before,
            "pdf_mb": (folder / "letters.pdf").stat().st_size / 1e6}


def export(url: str, storage: Path, out: Path) -> dict[str, float]:
    """The export in a process of its own, so that its peak memory is its own (see export_here)."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.letters_bench", "--export", "--url", url,
                           "--storage", str(storage), "--out", str(out)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the export failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(count: int = COUNT) -> list[Result]:
    """Baseline, one-process rate, and the whole batch; the `make bench` entry."""
    processes = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="letters-bench-") as tmp, \
            fresh_database(Path(tmp), "letters") as url:
        storage = Path(tmp) / "files"
        app = bench_app(url, storage)
        with app.app_context():
            bare = bare_rate(Path(tmp))
            weasyprint = weasyprint_bare_rate()
            single = single_rate()
            print(f"   bare page {bare:.1f}/s, letters {single:.1f}/s in one process; rendering {count} letters "
                  f"on {processes} processes", flush=True)
            rendered = render_and_store(url, storage, count, processes)
            from portal.db import db

            db.engine.dispose()
        exported = export(url, storage, Path(tmp) / "print")
    if exported["letters"] != count:
        raise RuntimeError(f"the print batch has {exported['letters']} letters, expected {count}")
    export_seconds = exported["seconds"]
    batch = rendered + export_seconds
    return [
        Result("letters: Typst bare page, 1 process", bare, "pages/s", "bare page", bare, ""),
        Result("letters: WeasyPrint bare page, 1 process", weasyprint, "pages/s", "Typst bare page pages/s", bare, ""),
        Result("letters: outreach letter, 1 process", single, "n/s", "bare page pages/s", bare, ">= 40/s"),
        Result(f"letters: render+store {count}, {processes} processes", count / rendered, "n/s",
               "bare page pages/s (1 process)", bare, ">= 40/s"),
        Result(f"letters: export print batch of {count}", export_seconds, "s", "render+store seconds", rendered,
               ""),
        Result(f"letters: export peak RSS ({exported['pdf_mb']:.0f} MB PDF)", exported["peak_mb"], "MB",
               "same process before the export", exported["before_mb"], ""),
        Result(f"letters: whole batch of {count} (render+export)", batch, "s",
               f"{count} bare pages, 1 process (s)", count / bare, "< 300 s"),
    ]


def main() -> int:
    """`--export`: the print batch export in this process (see export); otherwise the whole benchmark."""
    from benchmarks.__main__ import print_table

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--export", action="store_true")
    parser.add_argument("--url")
    parser.add_argument("--storage", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.export:
        print(json.dumps(export_here(args.url, args.storage, args.out)))
        return 0
    print_table(run())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
