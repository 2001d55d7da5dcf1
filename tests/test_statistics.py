"""Statistics: counts checked against counts computed independently, suppression, CSV, the tertial PDF."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.db import db
from portal.intake.models import IntakeItem, Source, State
from portal.roles import Role
from portal.statistics import intake_stats
from portal.statistics.tables import Period, Table, percentile, suppress, suppress_table, tertial
from tests.factories import PASSWORD, create_staff_user
from tests.pages import get_page, login_staff

PERIOD = Period(date(2026, 9, 1), date(2026, 12, 31))


def _items(counts: dict[Source, int], start: datetime) -> None:
    n = 0
    for source, count in counts.items():
        for i in range(count):
            n += 1
            db.session.add(IntakeItem(source=source, source_key=f"test:{source}:{i}", person_id=None,
                                      received_at=start + timedelta(hours=n), state=State.NEW))
    db.session.commit()


def test_tertials_cover_the_year() -> None:
    assert tertial(2026, 1) == Period(date(2026, 1, 1), date(2026, 4, 30))
    assert tertial(2026, 3) == Period(date(2026, 9, 1), date(2026, 12, 31))
    with pytest.raises(ValueError, match="tertial"):
        tertial(2026, 4)


def test_small_counts_are_suppressed_but_zero_and_large_are_not() -> None:
    assert [suppress(n, 5) for n in (0, 1, 4, 5, 120)] == [0, "<5", "<5", 5, 120]
    table = suppress_table(Table("k", "t", ["x", "n"], [["a", 3], ["b", 9]]), 5)
    assert table.rows == [["a", "<5"], ["b", 9]]
    assert table.suppressed


def test_percentile_uses_nearest_rank() -> None:
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9
    assert percentile([], 50) is None


def test_new_items_per_week_match_an_independent_count(app: Flask) -> None:
    monday = datetime(2026, 11, 16, 6, tzinfo=UTC)
    _items({Source.E_APPLICATION: 7, Source.PHONE: 6, Source.OUTREACH: 2}, monday)
    table = intake_stats.new_by_week(PERIOD)
    expected = {}
    for item in db.session.scalars(db.select(IntakeItem)):
        week = f"{item.received_at.isocalendar()[0]}-v{item.received_at.isocalendar()[1]:02d}"
        expected[(week, item.source)] = expected.get((week, item.source), 0) + 1
    columns = table.columns
    for row in table.rows:
        for source, label in intake_stats.SOURCE_LABELS.items():
            assert row[columns.index(label)] == expected.get((row[0], source), 0)
    assert sum(sum(v for v in row[1:] if isinstance(v, int)) for row in table.rows) == 15


def test_statistics_page_shows_charts_tables_and_suppresses(app: Flask, client: FlaskClient) -> None:
    _items({Source.E_APPLICATION: 7, Source.PHONE: 2}, datetime(2026, 11, 16, 6, tzinfo=UTC))
    create_staff_user(email="sam@example.org", role=Role.COORDINATOR)
    login_staff(client, "sam@example.org", PASSWORD)
    soup = get_page(client, "/staff/statistik/?from=2026-09-01&to=2026-12-31")
    svg = soup.find("svg", attrs={"role": "img"})
    assert svg is not None
    assert svg.find("title") is not None
    assert svg.find("desc") is not None
    assert "<5" in soup.get_text()
    assert get_page(client, "/staff/statistik/?from=2026-12-31&to=2026-01-01", status=400)


def test_each_table_exports_as_csv(app: Flask, client: FlaskClient) -> None:
    _items({Source.E_APPLICATION: 6}, datetime(2026, 11, 16, 6, tzinfo=UTC))
    create_staff_user(email="sam@example.org", role=Role.COORDINATOR)
    login_staff(client, "sam@example.org", PASSWORD)
    response = client.get("/staff/statistik/intake/new_by_week.csv?from=2026-09-01&to=2026-12-31")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Vecka", "E-ansökan"]
    assert rows[1][1] == "6"
    assert client.get("/staff/statistik/intake/nope.csv").status_code == 404


def test_tertial_report_is_a_pdf_that_reads_well(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    _items({Source.E_APPLICATION: 8}, datetime(2026, 9, 7, 6, tzinfo=UTC))
    create_staff_user(email="sam@example.org", role=Role.COORDINATOR)
    login_staff(client, "sam@example.org", PASSWORD)
    response = client.get("/staff/statistik/tertial/2026/3.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(response.data)
    assert subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, check=False).returncode == 0
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info, "tagged (PDF/UA-1): a screen reader reads its headings and tables"
    structure = subprocess.run(["pdfinfo", "-struct", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Table" in structure and "H1" in structure, structure[:2000]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Tertialrapport 2026, tertial 3" in text
    assert "Nya ärenden per vecka och källa" in text
