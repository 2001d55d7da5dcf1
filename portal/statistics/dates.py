"""Date arithmetic inside SQL, written once for SQLite and PostgreSQL, so statistics aggregate in the database.

Days are UTC calendar days: staff record contacts in office hours, when the UTC and Swedish dates agree.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class utc_day(FunctionElement[Any]):  # noqa: N801  (used like a SQL function)
    """The UTC calendar date of a timestamp column."""

    type = Date()
    inherit_cache = True
    name = "utc_day"


@compiles(utc_day)
def _utc_day_pg(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC' AS DATE)"


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


class days_between(FunctionElement[Any]):  # noqa: N801  (used like a SQL function)
    """Whole days from the first date to the second (negative when the second is earlier)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_pg(element: days_between, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return f"(CAST({compiler.process(second, **kw)} AS DATE) - CAST({compiler.process(first, **kw)} AS DATE))"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return (f"CAST(julianday({compiler.process(second, **kw)}) - julianday({compiler.process(first, **kw)})"
            f" AS INTEGER)")


class minutes_between(FunctionElement[Any]):  # noqa: N801  (used like a SQL function)
    """Whole minutes from the first timestamp to the second, rounded down."""

    type = Integer()
    inherit_cache = True
    name = "minutes_between"


@compiles(minutes_between)
def _minutes_between_pg(element: minutes_between, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    return (f"CAST(FLOOR(EXTRACT(EPOCH FROM ({compiler.process(second, **kw)} - {compiler.process(first, **kw)}))"
            f" / 60) AS INTEGER)")


@compiles(minutes_between, "sqlite")
def _minutes_between_sqlite(element: minutes_between, compiler: Any, **kw: Any) -> str:
    first, second = list(element.clauses)
    # julianday keeps milliseconds only; round to the millisecond before flooring so 30 min is not 29.
    return (f"CAST(ROUND((julianday({compiler.process(second, **kw)}) - julianday({compiler.process(first, **kw)}))"
            f" * 86400000) / 60000 AS INTEGER)")


def month_label(year: int, month: int) -> str:
    """How a month is written in tables: 2026-03."""
    return f"{int(year)}-{int(month):02d}"


def percentile_of_counts(counts: dict[int, int], pct: float) -> int | None:
    """The pct-th percentile (nearest rank, as tables.percentile) of values given as {value: how many}."""
    total = sum(counts.values())
    if total == 0:
        return None
    rank = max(1, min(total, math.ceil(pct * total / 100)))
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= rank:
            return value
    return max(counts)
