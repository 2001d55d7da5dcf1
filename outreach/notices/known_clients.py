"""The known-client register (FORMATS.md §3): each import replaces the snapshot whole, or not at all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select

from outreach.notices.csvread import FileProblem, read_table
from outreach.notices.models import KnownClient
from outreach.notices.parse import PERSONNUMMER_PROBLEMS
from portal import audit
from portal.db import db, utcnow
from portal.personnummer import InvalidIdentityNumber, parse

COLUMNS = ("personnummer", "enhet", "handlaggare", "epost")
_EMAIL = re.compile(r"^[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+$")


@dataclass
class RegisterReport:
    """How many rows were loaded, or why the file was refused (the old snapshot then stays)."""

    loaded: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the new snapshot replaced the old one."""
        return not self.problems


def import_register(data: bytes) -> RegisterReport:
    """Validate the whole file first, then replace the snapshot in one transaction; a bad file changes nothing."""
    report = RegisterReport()
    try:
        table = read_table(data)
    except FileProblem as error:
        report.problems.append(str(error))
        return report
    missing = [column for column in COLUMNS if column not in table.columns]
    if missing:
        report.problems.append("Filen saknar kolumnerna " + ", ".join(missing) + ".")
        return report
    rows: dict[str, dict[str, str]] = {}
    for row in table.rows:
        values = {column: (row.values.get(column) or "").strip() for column in COLUMNS}
        try:
            number = parse(values["personnummer"]).digits
        except InvalidIdentityNumber as error:
            report.problems.append(f"Rad {row.line}: {PERSONNUMMER_PROBLEMS[error.problem]}")
            continue
        empty = [column for column in ("enhet", "epost") if not values[column]]
        if empty:
            report.problems.append(f"Rad {row.line}: {', '.join(empty)} saknas")
            continue
        if not _EMAIL.match(values["epost"]):
            report.problems.append(f"Rad {row.line}: epost ”{values['epost']}” är ingen e-postadress")
            continue
        # A person with open cases in two units appears twice: the first row (the export's order) wins.
        rows.setdefault(number, {"personnummer": number, "unit": values["enhet"][:200],
                                 "caseworker": values["handlaggare"][:200], "email": values["epost"][:254]})
    if not report.problems and not rows:
        report.problems.append("Filen innehåller inga rader; ett tomt register ersätter inte det gamla.")
    if report.problems:
        return report
    now = utcnow()
    db.session.execute(delete(KnownClient))
    batch = list(rows.values())
    for start in range(0, len(batch), 5000):
        db.session.execute(insert(KnownClient), [{**row, "imported_at": now} for row in batch[start:start + 5000]])
    audit.record("outreach.known_clients_imported", object_type="known_client", detail=f"{len(rows)} rader")
    db.session.commit()
    report.loaded = len(rows)
    return report


def get_known_client(personnummer: str | None) -> KnownClient | None:
    """The register row for this person, if they are a known client."""
    if not personnummer:
        return None
    return db.session.scalar(select(KnownClient).where(KnownClient.personnummer == personnummer))


def register_size() -> int:
    """How many people the current snapshot holds."""
    return db.session.scalar(select(func.count()).select_from(KnownClient)) or 0
