"""Reception appointments: how many came, did not come (no-show) or were cancelled, per month.

Counted in the database (GROUP BY) from the bookings whose time lies in the period.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import extract, func, select

from portal.booking.models import Booking, BookingStatus
from portal.db import db
from portal.statistics.dates import month_label
from portal.statistics.tables import Cell, Period, Table, share

STATUS_LABELS = {BookingStatus.ATTENDED: "Kom", BookingStatus.NO_SHOW: "Uteblev", BookingStatus.CANCELLED: "Avbokade"}


def appointments_by_month(period: Period, minimum: int) -> Table:
    """Appointments per month by how they ended, and the share of those not cancelled where nobody came."""
    start = datetime.combine(period.start, time.min, tzinfo=UTC)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=UTC)
    year, month = extract("year", Booking.starts_at), extract("month", Booking.starts_at)
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for y, m, status, count in db.session.execute(
            select(year, month, Booking.status, func.count())
            .where(Booking.starts_at >= start, Booking.starts_at < end,
                   Booking.status.in_(list(STATUS_LABELS)))
            .group_by(year, month, Booking.status)):
        found[month_label(y, m)][str(status)] = int(count)
    rows: list[list[Cell]] = [[label, *(found[label].get(status.value, 0) for status in STATUS_LABELS)]
                              for label in sorted(found)]
    came = sum(counts.get(BookingStatus.ATTENDED, 0) for counts in found.values())
    missed = sum(counts.get(BookingStatus.NO_SHOW, 0) for counts in found.values())
    note = "Tider som ännu inte har varit räknas inte."
    missed_share = share(missed, came + missed, minimum)
    # With a month's small count hidden, the period's share and the other months would give it away.
    hidden = any(0 < row_value < minimum for row in rows for row_value in row[1:3] if isinstance(row_value, int))
    if missed_share is not None and not hidden:
        note += f" Under perioden uteblev {missed_share} % av dem som inte hade avbokat."
    return Table(key="appointments", title="Besökstider i mottagningen per månad",
                 columns=["Månad", *STATUS_LABELS.values()], rows=rows, note=note)


def build(period: Period, minimum: int) -> list[Table]:
    """Every reception appointment table for the period."""
    return [appointments_by_month(period, minimum)]
