"""Notice rows with control characters, line breaks or over-long fields are refused as rows; the API's body too."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from outreach.api.keys import create_key
from outreach.notices.models import Notice
from portal.db import db
from tests.outreach.factories import import_rows, notice_file, row

IMPORT_DAY = date(2026, 11, 22)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Notice)) or 0


def test_a_line_break_inside_a_date_rejects_that_row_and_imports_the_rest(app: Flask) -> None:
    broken = row(referens="R-2", typ="avhysning", avhysning='"2026-12-08\n09:00"', adress="Testgatan 2")
    report = import_rows(row(referens="R-1"), broken, row(referens="R-3", adress="Testgatan 3"), today=IMPORT_DAY)
    assert len(report.created) == 2 and _count() == 2
    ((line, reason),) = report.rejected
    # The reader names the line the row ends on (its quoted field spans two).
    assert line in (3, 4) and "avhysning_datum" in reason and "radbrytning" in reason


@pytest.mark.parametrize("bad", ["Test\x00sson", "Test\tsson", "Test\u2028sson"])
def test_a_control_character_in_a_field_rejects_the_row(app: Flask, bad: str) -> None:
    # Forty good rows first: a NUL in the first 4 kB makes the whole file binary, which is a file problem.
    good = [row(referens=f"R-{n}", adress=f"Testgatan {n}") for n in range(40)]
    report = import_rows(*good, row(referens="R-bad", namn=bad, adress="Testgatan 99"), today=IMPORT_DAY)
    assert len(report.created) == 40 and _count() == 40
    ((line, reason),) = report.rejected
    assert line == 42 and reason.startswith("hyresgast_namn: innehåller ett styrtecken")


def test_an_over_long_amount_is_refused_not_a_database_error(app: Flask) -> None:
    report = import_rows(row(referens="R-1", skuld="1" * 41), row(referens="R-2", adress="Testgatan 2"),
                         today=IMPORT_DAY)
    assert len(report.created) == 1 and report.rejected == [(2, "skuld_kr: är för långt (högst 40 tecken)")]


def test_the_cli_reports_the_bad_row_instead_of_a_traceback(app: Flask, runner: object, tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "notices.csv"
    path.write_bytes(notice_file(row(referens="R-1"), row(referens="R-2", typ="avhysning",
                                                          avhysning='"2026-12-08\n09:00"', adress="Testgatan 2")))
    result = runner.invoke(args=["notices", "import", str(path)])  # type: ignore[attr-defined]
    assert result.exit_code == 0, result.output
    assert "avvisad – avhysning_datum: innehåller ett styrtecken eller en radbrytning" in result.output


@pytest.fixture
def key(app: Flask) -> str:
    return create_key(landlord_name="Testbostäder AB", landlord_orgnr="556000-0009")[1]


NOTICE = {"typ": "uppsägning", "referens": "API-1", "hyresvard": "Testbostäder AB", "hyresgast_namn": "Test Testsson",
          "adress": "Testgatan 1", "postnummer": "11860", "ort": "Stockholm", "skuld_kr": "10 000",
          "uppsagning_datum": "2026-11-20"}


def test_json_nested_100000_deep_is_a_400(client: FlaskClient, key: str) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    response = client.post("/api/v1/notices", data=body, headers={"Authorization": f"Bearer {key}",
                                                                   "Content-Type": "application/json"})
    assert response.status_code == 400 and response.json is not None and "JSON" in response.json["error"]


def test_a_nul_or_a_nested_value_in_the_api_is_a_422_per_field(client: FlaskClient, key: str) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    response = client.post("/api/v1/notices", headers=headers, json=[
        {**NOTICE, "hyresgast_namn": "Test\x00sson"}, {**NOTICE, "referens": "API-2", "adress": {"gata": "x"}},
        {**NOTICE, "referens": "R" * 81}])
    assert response.status_code == 422 and response.json is not None
    fields = {item["index"]: set(item["fields"]) for item in response.json["items"]}
    assert fields == {0: {"hyresgast_namn"}, 1: {"adress"}, 2: {"referens"}}
    assert _count() == 0


def test_a_staff_import_with_a_bad_row_shows_the_report(app: Flask, client: FlaskClient) -> None:
    from portal.staff.models import Role
    from tests.factories import PASSWORD, create_staff_user
    from tests.pages import csrf_token, login_staff

    user = create_staff_user(email="outreach@example.org", role=Role.OUTREACH)
    login_staff(client, user.email, PASSWORD)
    data = notice_file(row(referens="R-1"), row(referens="R-2", typ="avhysning", avhysning='"2026-12-08\n09:00"',
                                                adress="Testgatan 2"))
    import io

    response = client.post("/staff/underrattelser/import", data={
        "csrf_token": csrf_token(client, "/staff/underrattelser/import"), "file": (io.BytesIO(data), "n.csv")},
        content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert "styrtecken" in response.get_data(as_text=True) and _count() == 1
