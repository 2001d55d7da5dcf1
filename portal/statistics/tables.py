"""Statistic tables, periods, and the suppression of small counts.

No person may be identified from a statistic: a count from 1 to the minimum minus one is shown as "<N" and
left out of charts and sums a reader could subtract from (PORTAL_STATS_MIN_CELL, default 5).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import Flask

from portal.registry import Registry

Cell = int | float | str | None


@dataclass
class Table:
    """One table of figures: the first column names the row, the others are numbers."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    chart: str | None = "bar"  # "bar", "line" or None
    note: str = ""
    unit: str = ""
    suppressed: bool = False


@dataclass(frozen=True)
class Period:
    """A closed range of dates."""

    start: date
    end: date

    def label(self) -> str:
        """How the period is written in headings."""
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def contains(self, day: date) -> bool:
        """True when day lies in the period."""
        return self.start <= day <= self.end


def tertial(year: int, number: int) -> Period:
    """Tertial 1 (Jan–Apr), 2 (May–Aug) or 3 (Sep–Dec), as the board reports."""
    if number not in (1, 2, 3):
        raise ValueError("tertial must be 1, 2 or 3")
    start = date(year, 4 * (number - 1) + 1, 1)
    end = date(year + 1, 1, 1) if number == 3 else date(year, 4 * number + 1, 1)
    return Period(start, end - timedelta(days=1))


def tertial_of(day: date) -> tuple[int, int]:
    """(year, tertial number) of a date."""
    return day.year, (day.month - 1) // 4 + 1


def suppress(count: int, minimum: int) -> Cell:
    """The count itself, or "<minimum" when it is small enough to point at a person."""
    if 0 < count < minimum:
        return f"<{minimum}"
    return count


def suppress_table(table: Table, minimum: int) -> Table:
    """Suppress every small integer count in a table (shares and medians are computed on suppressed inputs)."""
    changed = False
    rows = []
    for row in table.rows:
        new_row: list[Cell] = [row[0]]
        for value in row[1:]:
            if isinstance(value, int) and not isinstance(value, bool):
                shown = suppress(value, minimum)
                changed = changed or shown != value
                new_row.append(shown)
            else:
                new_row.append(value)
        rows.append(new_row)
    return Table(key=table.key, title=table.title, columns=table.columns, rows=rows, chart=table.chart,
                 note=table.note, unit=table.unit, suppressed=changed)


def share(part: int, whole: int, minimum: int) -> Cell:
    """A percentage, or None when the whole is too small to publish."""
    if whole < minimum:
        return None
    return round(100.0 * part / whole, 1)


def percentile(values: list[float], pct: float) -> float | None:
    """The pct-th percentile (nearest rank), or None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Section:
    """A group of tables from one area (intake, outreach, e-applications)."""

    key: str
    title: str
    build: Callable[[Period, int], list[Table]]


SECTIONS: Registry[Section] = Registry("statistics", key=lambda section: section.key)


def add_section(app: Flask, key: str, title: str, build: Callable[[Period, int], list[Table]]) -> None:
    """Let an area add its statistics (from its init_app)."""
    SECTIONS.add(app, Section(key, title, build))
