"""E-application statistics: started and submitted, time to complete, documents missing, languages.

Counted in the database (GROUP BY); only grouped counts come back to Python.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta
from typing import Any

from babel import Locale, UnknownLocaleError
from sqlalchemy import extract, func, select

from portal.applications.models import Application, ChecklistItem
from portal.db import db
from portal.documents.models import Document
from portal.statistics.dates import minutes_between, month_label, percentile_of_counts
from portal.statistics.tables import Cell, Period, Table

# Upper bounds in minutes (exclusive) of the time-to-complete groups, with their labels.
DURATION_GROUPS = ((15, "Under 15 minuter"), (30, "15–29 minuter"), (60, "30–59 minuter"),
                   (24 * 60, "1 timme – 1 dygn"), (7 * 24 * 60, "1–7 dygn"), (None, "Mer än 7 dygn"))
MISSING_GROUPS = ((0, 0, "Inga handlingar saknades"), (1, 1, "1 handling saknades"),
                  (2, 3, "2–3 handlingar saknades"), (4, None, "4 eller fler saknades"))


def _bounds(period: Period) -> tuple[datetime, datetime]:
    return (datetime.combine(period.start, time.min, tzinfo=UTC),
            datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=UTC))


def _per_month(column: Any, period: Period) -> dict[str, int]:
    start, end = _bounds(period)
    year, month = extract("year", column), extract("month", column)
    return {month_label(y, m): int(n) for y, m, n in db.session.execute(
        select(year, month, func.count()).where(column >= start, column < end).group_by(year, month))}


def started_and_submitted(period: Period) -> Table:
    """Applications started and applications submitted, per month."""
    started, submitted = _per_month(Application.started_at, period), _per_month(Application.submitted_at, period)
    months = sorted(set(started) | set(submitted))
    return Table(key="started_submitted", title="Påbörjade och inskickade e-ansökningar per månad",
                 columns=["Månad", "Påbörjade", "Inskickade"],
                 rows=[[m, started.get(m, 0), submitted.get(m, 0)] for m in months],
                 note="Påbörjade räknas den månad ansökan började fyllas i, inskickade den månad den skickades.")


def _minutes(period: Period) -> dict[int, int]:
    """{whole minutes from start to submission: applications} for applications submitted in the period."""
    start, end = _bounds(period)
    minutes = minutes_between(Application.started_at, Application.submitted_at)
    return {int(m): int(n) for m, n in db.session.execute(
        select(minutes, func.count()).where(Application.submitted_at >= start, Application.submitted_at < end)
        .group_by(minutes))}


def time_to_complete(period: Period, minimum: int) -> Table:
    """How long residents took from the first question to sending, grouped, with median and 90th percentile."""
    spread = _minutes(period)
    rows: list[list[Cell]] = []
    lower = None
    for upper, label in DURATION_GROUPS:
        rows.append([label, sum(n for m, n in spread.items() if (lower is None or m >= lower)
                                and (upper is None or m < upper))])
        lower = upper
    total = sum(spread.values())
    median = percentile_of_counts(spread, 50) if total >= minimum else None
    p90 = percentile_of_counts(spread, 90) if total >= minimum else None
    note = "Tiden från första frågan till inskickad ansökan, för ansökningar inskickade under perioden."
    if median is not None and p90 is not None:
        note += f" Median {_duration(median)}; 9 av 10 var klara inom {_duration(p90)}."
    return Table(key="time_to_complete", title="Tid att fylla i e-ansökan", columns=["Tid", "Ansökningar"],
                 rows=rows, note=note)


def _duration(minutes: int) -> str:
    if minutes < 120:
        return f"{minutes} minuter"
    if minutes < 48 * 60:
        return f"{minutes // 60} timmar"
    return f"{minutes // (24 * 60)} dygn"


def _missing_at_submission(period: Period) -> dict[int, int]:
    """{documents missing when sent: applications} for applications submitted in the period.

    A checklist item made before submission counts as missing unless a document for it had been uploaded
    by then; staff's extra requests come later and never count.
    """
    start, end = _bounds(period)
    item = ChecklistItem
    uploaded_before = (select(Document.id).where(Document.checklist_item_id == item.id,
                                                 Document.uploaded_at <= Application.submitted_at)
                       .correlate_except(Document).exists())
    missing = (select(func.count(item.id))
               .where(item.application_id == Application.id, item.extra.is_(False),
                      item.created_at <= Application.submitted_at, ~uploaded_before)
               .correlate(Application).scalar_subquery())
    per_application = (select(missing.label("missing"))
                       .where(Application.submitted_at >= start, Application.submitted_at < end).subquery())
    return {int(m): int(n) for m, n in db.session.execute(
        select(per_application.c.missing, func.count()).group_by(per_application.c.missing))}


def missing_at_submission(period: Period) -> Table:
    """Submitted applications by how many checklist documents were still missing when they were sent."""
    spread = _missing_at_submission(period)
    rows: list[list[Cell]] = [[label, sum(n for m, n in spread.items() if m >= low and (high is None or m <= high))]
                              for low, high, label in MISSING_GROUPS]
    return Table(key="missing_at_submission", title="Handlingar som saknades när ansökan skickades in",
                 columns=["Saknade handlingar", "Ansökningar"], rows=rows,
                 note="Ingen nekas för att handlingar saknas; de kan skickas in efteråt.")


def languages_used(period: Period) -> Table:
    """The language of each application started or submitted in the period."""
    start, end = _bounds(period)
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for column, index in ((Application.started_at, 0), (Application.submitted_at, 1)):
        for language, count in db.session.execute(
                select(Application.language, func.count()).where(column >= start, column < end)
                .group_by(Application.language)):
            found[str(language)][index] = int(count)
    ordered = sorted(found, key=lambda code: (-found[code][0], code))
    return Table(key="languages", title="Språk i e-ansökan", columns=["Språk", "Påbörjade", "Inskickade"],
                 rows=[[language_name(code), *found[code]] for code in ordered])


def language_name(code: str) -> str:
    """A language's name in Swedish ('arabiska'), or the code when unknown."""
    try:
        return Locale.parse(code).get_display_name("sv") or code
    except (ValueError, TypeError, UnknownLocaleError):
        return code


def build(period: Period, minimum: int) -> list[Table]:
    """Every e-application table for the period."""
    return [started_and_submitted(period), time_to_complete(period, minimum), missing_at_submission(period),
            languages_used(period)]
