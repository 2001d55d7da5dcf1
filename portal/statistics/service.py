"""Building the statistics page, its CSV exports and the tertial report."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import current_app

from portal.spreadsheet import safe_row
from portal.statistics.tables import SECTIONS, Period, Table, suppress_table, tertial, tertial_of


def minimum_cell() -> int:
    """The smallest count that may be published (PORTAL_STATS_MIN_CELL)."""
    return int(current_app.config.get("STATS_MIN_CELL", 5))


def parse_period(start: str | None, end: str | None, today: date) -> Period:
    """The period asked for, or the current tertial; raises ValueError on a bad or reversed range."""
    if not start and not end:
        return tertial(*tertial_of(today))
    first = date.fromisoformat(start) if start else date(today.year, 1, 1)
    last = date.fromisoformat(end) if end else today
    if last < first:
        raise ValueError("the period ends before it starts")
    return Period(first, last)


def build_all(period: Period) -> list[tuple[str, str, list[Table]]]:
    """Every registered section's tables for the period, with small counts suppressed."""
    minimum = minimum_cell()
    return [(section.key, section.title, [suppress_table(t, minimum) for t in section.build(period, minimum)])
            for section in SECTIONS.all()]


def find_table(period: Period, section_key: str, table_key: str) -> Table | None:
    """One table (for its CSV export)."""
    for key, _, tables in build_all(period):
        if key == section_key:
            return next((t for t in tables if t.key == table_key), None)
    return None


CSV_BOM = "\ufeff"


def table_csv_file(table: Table) -> bytes:
    """The CSV file as downloaded: UTF-8 with a byte-order mark, which Excel on Windows needs to read å, ä, ö
    (without it, it guesses the ANSI code page), and `;` separators, which Swedish Excel expects."""
    return (CSV_BOM + table_csv(table)).encode("utf-8")


def table_csv(table: Table) -> str:
    """A table as CSV with ';' (what Swedish Excel opens), header first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(safe_row(table.columns))
    for row in table.rows:
        writer.writerow(safe_row("" if v is None else v for v in row))
    return out.getvalue()
