"""Notice import from files (FORMATS.md §1), typed-in notices, and the report staff and operators read."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.exc import IntegrityError

from outreach.notices.csvread import FileProblem, read_table
from outreach.notices.models import Channel, Notice
from outreach.notices.parse import REQUIRED_COLUMNS, NoticeInput, Problems, read_notice
from outreach.notices.service import Stored, StoreResult, _Batch, store_inputs
from portal import audit
from portal.db import db, refresh_statistics

log = logging.getLogger("outreach.import")
CHUNK = 1000


@dataclass
class ImportReport:
    """Rows created, repeats, corrections and rejected rows with line numbers and reasons in plain Swedish."""

    created: list[StoreResult] = field(default_factory=list)
    repeats: list[StoreResult] = field(default_factory=list)
    corrections: list[StoreResult] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    file_problem: str | None = None

    def add(self, results: list[StoreResult]) -> None:
        """Sort stored rows into the report."""
        for result in results:
            {Stored.CREATED: self.created, Stored.REPEAT: self.repeats,
             Stored.CORRECTION: self.corrections}[result.status].append(result)

    def summary(self) -> str:
        """One line: how many of each."""
        if self.file_problem:
            return f"Filen lästes inte in: {self.file_problem}"
        return (f"Nya: {len(self.created)}, upprepningar: {len(self.repeats)}, rättelser: {len(self.corrections)}, "
                f"avvisade rader: {len(self.rejected)}")

    def lines(self) -> list[str]:
        """The full report as lines of text (the CLI prints these; the page shows the same)."""
        out = [self.summary()]
        out += [f"Rad {r.line}: ny underrättelse {r.reference}" + (f" ({r.note})" if r.note else "")
                for r in self.created]
        out += [f"Rad {r.line}: {r.reference} {r.note}" for r in self.corrections]
        out += [f"Rad {r.line}: {r.reference} finns redan; ingenting ändrades" for r in self.repeats]
        out += [f"Rad {line}: avvisad – {reason}" for line, reason in self.rejected]
        return out


def import_file(data: bytes, *, today: date, filename: str = "") -> ImportReport:
    """Read a notice file and store every good row (committed in chunks); importing it again creates nothing."""
    report = ImportReport()
    try:
        table = read_table(data)
    except FileProblem as error:
        report.file_problem = str(error)
        return report
    missing = [column for column in REQUIRED_COLUMNS if column not in table.columns]
    if missing:
        report.file_problem = ("Filen saknar kolumnerna " + ", ".join(missing) +
                               ". Första raden ska vara rubriker (se formatbeskrivningen).")
        return report
    batch = _Batch()
    chunk: list[tuple[int, NoticeInput, str]] = []
    seen: dict[tuple[str, str], int] = {}
    # Each chunk looks up the notices it may repeat or join by index; on PostgreSQL the planner must be told
    # the table has grown, or those lookups scan it (an import of 100,000 took five minutes instead of one).
    # At doubling sizes, so a file costs a handful of ANALYZEs.
    analyze_at = CHUNK
    for row in table.rows:
        inp, problems = read_notice(row.values, today=today)
        if row.extra:
            problems = problems or Problems()
            problems.add("rad", "har fler värden än det finns rubriker")
            inp = None
        if inp is None:
            report.rejected.append((row.line, problems.sentence()))
            continue
        key = (inp.sender, inp.reference)
        if key in seen:
            report.rejected.append((row.line, f"referens {inp.reference} finns redan på rad {seen[key]} i filen"))
            continue
        seen[key] = row.line
        chunk.append((row.line, inp, inp.sender))
        if len(chunk) >= CHUNK:
            batch = _store_chunk(chunk, report, batch, today=today)
            db.session.expunge_all()
            chunk = []
            if len(report.created) >= analyze_at:
                refresh_statistics(Notice.__tablename__)
                analyze_at *= 2
    if chunk:
        _store_chunk(chunk, report, batch, today=today)
    audit.record("outreach.notices_imported", object_type="notice_import", object_id=filename[:64] or None,
                 detail=report.summary())
    db.session.commit()
    log.info("notice import %s: %s", filename, report.summary())
    return report


def _store_chunk(chunk: list[tuple[int, NoticeInput, str]], report: ImportReport, batch: _Batch, *,
                 today: date) -> _Batch:
    """Store and commit one chunk; if another import or the API stored one of its notices at the same moment,
    the chunk is rolled back and stored again, and those rows are then repeats."""
    try:
        results = store_inputs(chunk, channel=Channel.FILE, today=today, batch=batch)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        batch = _Batch()
        results = store_inputs(chunk, channel=Channel.FILE, today=today, batch=batch)
        db.session.commit()
    report.add(results)
    return batch


def add_typed_notice(values: dict[str, str], *, today: date) -> tuple[StoreResult | None, Problems]:
    """A notice typed in by staff from paper, with the same checks as a file row; committed with its audit event."""
    inp, problems = read_notice(values, today=today)
    if inp is None:
        return None, problems
    result = store_inputs([(1, inp, inp.sender)], channel=Channel.STAFF, today=today)[0]
    audit.record("outreach.notice_typed_in", object_type="notice", object_id=result.notice_id,
                 detail=result.status.value)
    db.session.commit()
    return result, problems
