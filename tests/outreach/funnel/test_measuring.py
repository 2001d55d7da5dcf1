"""The measuring is tested, not assumed: contact drawn with known rates per letter arm and channel comes back out
of the statistics exactly as drawn, and each designed rate lies inside its measured 95 % interval. Notices and
attempts are written directly here; the simulated unit (tests/outreach/test_simulated_year.py, `python -m
benchmarks year`) does the same through the whole product."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from flask import Flask

from outreach.funnel import variants
from outreach.funnel.models import Arm, VariantAssignment
from outreach.notices.models import AttemptChannel, NoticeKind
from outreach.reports import funnel as funnel_stats
from portal.db import db
from portal.staff.models import Role
from portal.statistics.tables import Period
from portal.statistics.wilson import wilson
from tests.factories import create_staff_user
from tests.outreach.funnel.test_letter_variants import TEXTS
from tests.statistics.factories import add_attempt, add_notice

RATES = {Arm.STANDARD: 0.30, Arm.VARIANT: 0.45}
CHANNELS = (AttemptChannel.CALL, AttemptChannel.PHONED_IN, AttemptChannel.HOME_VISIT)


def test_statistics_recover_the_drawn_rates_within_their_intervals(app: Flask) -> None:
    admin = create_staff_user(email="ada@example.org", role=Role.ADMIN)
    test = variants.start(kind="uppsagning", name="Kort", share_percent=50, texts=TEXTS, staff_id=admin.id)
    rng = random.Random(28)
    in_time: Counter[Arm] = Counter()
    totals: Counter[Arm] = Counter()
    first_channel: Counter[str] = Counter()
    for index in range(600):
        arm = variants.draw("measuring-28", index, 50)  # a fixed seed: the same arms on every run
        received = date(2026, 6, 1) + timedelta(days=index % 20)
        notice = add_notice(reference=f"M-{index}", kind=NoticeKind.TERMINATION, received=received,
                            deadline=received + timedelta(days=21))
        db.session.add(VariantAssignment(notice_id=notice.id, variant_id=test.id, arm=arm))
        totals[arm] += 1
        if rng.random() < RATES[arm]:
            channel = rng.choice(CHANNELS)
            add_attempt(notice, on=received + timedelta(days=rng.randint(0, 21)), channel=channel)
            in_time[arm] += 1
            first_channel[channel.value] += 1
        elif rng.random() < 0.3:  # reached, but only after the deadline
            add_attempt(notice, on=received + timedelta(days=rng.randint(22, 30)), channel=AttemptChannel.CALL)
            first_channel["call_late"] += 1
    db.session.commit()
    tables = funnel_stats.build(Period(date(2026, 5, 1), date(2026, 8, 31)), 5, today=date(2026, 10, 1))
    comparison = next(table for table in tables if table.key == f"variant_{test.id}")
    for row, arm in zip(comparison.rows[:2], (Arm.STANDARD, Arm.VARIANT), strict=True):
        assert row[1:3] == [totals[arm], in_time[arm]]  # exactly what was drawn
        low, high = wilson(in_time[arm], totals[arm])
        assert low <= RATES[arm] <= high, (arm, low, high)
    assert "Varianten når fler hushåll i tid" in comparison.note  # 0.45 against 0.30 on about 300 each
    by_channel = {str(row[0]): row for row in next(t for t in tables if t.key == "funnel_by_channel").rows}
    assert by_channel["Ringde själv"][1:3] == [first_channel["phoned_in"]] * 2
    assert by_channel["Nådd vid hembesök"][1:3] == [first_channel["home_visit"]] * 2
    assert by_channel["Nådd per telefon"][1:3] == [first_channel["call"] + first_channel["call_late"],
                                                  first_channel["call"]]
