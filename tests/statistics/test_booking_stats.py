"""Reception appointments per month: came, no-show, cancelled, counted by hand from the rows written here."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from flask import Flask

from portal.booking.models import Booking, BookingStatus, Purpose
from portal.db import db
from portal.statistics import booking_stats
from portal.statistics.tables import Period

PERIOD = Period(date(2026, 5, 1), date(2026, 8, 31))


def test_appointments_per_month_and_share_of_no_shows(app: Flask) -> None:
    rng = random.Random(5)
    written: list[tuple[datetime, BookingStatus]] = []
    for index in range(300):
        starts_at = datetime(2026, 4, 20, 8, tzinfo=UTC) + timedelta(days=rng.randrange(140), hours=rng.randrange(6))
        status = rng.choice(list(BookingStatus))
        db.session.add(Booking(starts_at=starts_at, place=index, purpose=Purpose.FIRST_APPOINTMENT, status=status,
                               code_hash=f"{index:064d}", code_expires_at=starts_at))
        written.append((starts_at, status))
    db.session.commit()
    table = booking_stats.appointments_by_month(PERIOD, 5)
    counted = Counter((f"{at:%Y-%m}", status) for at, status in written if PERIOD.contains(at.date()))
    months = sorted({month for month, _ in counted})
    assert table.rows == [[m, counted[(m, BookingStatus.ATTENDED)], counted[(m, BookingStatus.NO_SHOW)],
                           counted[(m, BookingStatus.CANCELLED)]] for m in months]
    came = sum(n for (_, status), n in counted.items() if status == BookingStatus.ATTENDED)
    missed = sum(n for (_, status), n in counted.items() if status == BookingStatus.NO_SHOW)
    hidden = any(0 < counted[(m, status)] < 5 for m in months
                 for status in (BookingStatus.ATTENDED, BookingStatus.NO_SHOW))
    assert not hidden
    assert f"uteblev {round(100 * missed / (came + missed), 1)} %" in table.note
    # With one small month hidden, the period's share would give it away: it is left out.
    assert "uteblev" not in booking_stats.appointments_by_month(PERIOD, 50).note
