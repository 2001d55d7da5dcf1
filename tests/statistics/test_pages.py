"""The statistics page, CSV export and tertial PDF carry the outreach and e-application sections."""

from __future__ import annotations

import csv
import io
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from outreach.notices.models import AttemptChannel, AttemptResult, Children, NoticeKind
from portal.db import db
from portal.roles import Role
from tests.factories import PASSWORD, create_person, create_staff_user
from tests.pages import get_page, login_staff
from tests.statistics.factories import add_application, add_attempt, add_notice

RANGE = "from=2026-09-01&to=2026-12-31"


def _data() -> None:
    """Seven arrears notices and two disturbance notices in October; six applications, two in Arabic."""
    for index in range(9):
        kind = NoticeKind.TERMINATION if index < 7 else NoticeKind.DISTURBANCE
        received = date(2026, 10, 5) + timedelta(days=index)
        notice = add_notice(reference=f"P-{index}", kind=kind, received=received,
                            deadline=received + timedelta(days=21), children=Children.YES)
        add_attempt(notice, on=received + timedelta(days=2), channel=AttemptChannel.CALL,
                    result=AttemptResult.REACHED)
    person = create_person()
    for index in range(6):
        started = datetime(2026, 10, 1, 9, tzinfo=UTC) + timedelta(days=index)
        add_application(person_id=person.id, reference=f"EB-P-{index}", language="ar" if index < 2 else "sv",
                        started=started, submitted=started + timedelta(minutes=20))
    db.session.commit()


def _login(client: FlaskClient) -> None:
    create_staff_user(email="sam@example.org", role=Role.COORDINATOR)
    login_staff(client, "sam@example.org", PASSWORD)


def _table(soup: Any, table_key: str, section: str) -> list[list[str]]:
    heading = soup.find(id=f"t-{section}-{table_key}")
    assert heading is not None, table_key
    table = heading.find_parent("section").find("table")
    return [[cell.get_text(strip=True) for cell in row.find_all(["th", "td"])] for row in table.find_all("tr")]


def test_page_shows_the_new_sections_with_charts_tables_and_suppression(app: Flask, client: FlaskClient) -> None:
    _data()
    _login(client)
    soup = get_page(client, f"/staff/statistik/?{RANGE}")
    headings = [h.get_text(strip=True) for h in soup.find_all("h2")]
    assert "Uppsökande verksamhet" in headings
    assert "E-ansökan" in headings
    assert "Besök i mottagningen" in headings
    svg = soup.find("svg", attrs={"aria-labelledby": "chart-notices_by_month-t chart-notices_by_month-d"})
    assert svg is not None
    assert svg.find("title").get_text() == "Underrättelser per månad och slag"
    assert "Hyresskuld: högst 7 (2026-10)" in svg.find("desc").get_text()
    months = _table(soup, "notices_by_month", "outreach")
    assert months[0] == ["Månad", "Hyresskuld", "Störning", "Kronofogden", "Övrigt", "Hushåll med barn"]
    # 7 arrears are shown; the 2 disturbance notices are too few to publish.
    assert months[1] == ["2026-10", "7", "<5", "0", "0", "9"]
    languages = _table(soup, "languages", "e_applications")
    assert ["svenska", "<5", "<5"] in languages
    assert ["arabiska", "<5", "<5"] in languages
    started = _table(soup, "started_submitted", "e_applications")
    assert started[1] == ["2026-10", "6", "6"]
    assert soup.find("svg", attrs={"aria-labelledby": "chart-started_submitted-t chart-started_submitted-d"})


def test_new_tables_export_as_csv(app: Flask, client: FlaskClient) -> None:
    _data()
    _login(client)
    response = client.get(f"/staff/statistik/outreach/notices_by_month.csv?{RANGE}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="outreach-notices_by_month.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows == [["Månad", "Hyresskuld", "Störning", "Kronofogden", "Övrigt", "Hushåll med barn"],
                    ["2026-10", "7", "<5", "0", "0", "9"]]
    response = client.get(f"/staff/statistik/e_applications/time_to_complete.csv?{RANGE}")
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Tid", "Ansökningar"]
    assert ["15–29 minuter", "6"] in rows
    for table in ("reached_in_time", "days_to_contact", "attempts_by_channel", "decisions_by_kind", "handling"):
        assert client.get(f"/staff/statistik/outreach/{table}.csv?{RANGE}").status_code == 200
    for table in ("started_submitted", "missing_at_submission", "languages"):
        assert client.get(f"/staff/statistik/e_applications/{table}.csv?{RANGE}").status_code == 200
    response = client.get(f"/staff/statistik/reception_appointments/appointments.csv?{RANGE}")
    assert response.get_data().decode("utf-8-sig").startswith("Månad;Kom;Uteblev;Avbokade\r\n")


@pytest.mark.parametrize("app_config", [{"STATS_MIN_CELL": 3}])
def test_the_minimum_cell_is_configurable(app: Flask, client: FlaskClient, app_config: dict[str, Any]) -> None:
    _data()
    _login(client)
    rows = list(csv.reader(io.StringIO(client.get(f"/staff/statistik/outreach/notices_by_month.csv?{RANGE}")
                                       .get_data(as_text=True)), delimiter=";"))
    assert rows[1] == ["2026-10", "7", "<3", "0", "0", "9"]
    rows = list(csv.reader(io.StringIO(client.get(f"/staff/statistik/e_applications/languages.csv?{RANGE}")
                                       .get_data(as_text=True)), delimiter=";"))
    assert ["svenska", "4", "4"] in rows
    assert ["arabiska", "<3", "<3"] in rows


def test_tertial_pdf_has_the_new_sections(app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    _data()
    _login(client)
    response = client.get("/staff/statistik/tertial/2026/3.pdf")
    assert response.status_code == 200
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(response.data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for words in ("Uppsökande verksamhet", "Underrättelser per månad och slag", "Nådda före tidsfristen",
                  "Dagar från underrättelse till första kontakt", "Kontaktförsök per sätt och resultat",
                  "E-ansökan", "Påbörjade och inskickade e-ansökningar per månad", "Språk i e-ansökan",
                  "Besökstider i mottagningen per månad"):
        assert words in text, words
