"""File import (FORMATS.md §1): the samples, repeats, corrections, broken inputs, and the CLI report."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select, text

from outreach.notices.importer import import_file
from outreach.notices.known_clients import get_known_client, import_register, register_size
from outreach.notices.models import Notice, NoticeKind
from portal.db import db
from tests.outreach.factories import HEADER, import_rows, notice_by_reference, notice_file, row, sample

IMPORT_DAY = date(2026, 11, 22)


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(Notice)) or 0


def test_the_landlord_sample_gives_four_notices_and_one_correction(app: Flask) -> None:
    report = import_file(sample("notices-landlord-sample.csv"), today=IMPORT_DAY)
    assert (len(report.created), len(report.corrections), len(report.repeats), report.rejected) == (4, 1, 0, [])
    old, corrected = notice_by_reference("HV-2026-0412"), notice_by_reference("HV-2026-0412-B")
    assert old.superseded and not old.pipeline_due
    assert corrected.corrects_id == old.id and corrected.case_id == old.id
    # The correction came in two days later: the three weeks start again from it (NJA 1985 s. 586).
    assert old.recovery_deadline == date(2026, 12, 10)
    assert corrected.recovery_deadline == date(2026, 12, 14)
    assert corrected.amount_text == "16 350"
    assert notice_by_reference("HV-2026-0413").amount_text == "7 200,50"
    assert notice_by_reference("HV-2026-0420").kind == NoticeKind.DISTURBANCE
    assert notice_by_reference("HV-2026-0420").recovery_deadline is None


def test_importing_the_same_file_twice_creates_nothing(app: Flask) -> None:
    import_file(sample("notices-landlord-sample.csv"), today=IMPORT_DAY)
    before = _count()
    again = import_file(sample("notices-landlord-sample.csv"), today=IMPORT_DAY)
    assert (len(again.created), len(again.corrections), len(again.repeats)) == (0, 0, 5)
    assert _count() == before
    assert "finns redan" in "\n".join(again.lines())


def test_the_windows_1252_sample_is_the_same_file(app: Flask) -> None:
    import_file(sample("notices-landlord-sample-cp1252.csv"), today=IMPORT_DAY)
    assert notice_by_reference("HV-2026-0412").landlord_name == "Stadsbostäder AB"
    assert notice_by_reference("HV-2026-0412").address == "Ringvägen 12"
    again = import_file(sample("notices-landlord-sample.csv"), today=IMPORT_DAY)
    assert len(again.repeats) == 5 and not again.created


def test_kronofogden_notice_joins_the_existing_case_of_the_tenancy(app: Flask) -> None:
    import_file(sample("notices-landlord-sample.csv"), today=IMPORT_DAY)
    report = import_file(sample("notices-enforcement-sample.csv"), today=IMPORT_DAY)
    assert len(report.created) == 2 and not report.rejected
    disturbance = notice_by_reference("HV-2026-0420")
    eviction = notice_by_reference("KFM-12-345678-26")
    assert eviction.case_id == disturbance.id
    assert eviction.eviction_date == date(2026, 12, 8) and eviction.deadline == date(2026, 12, 8)
    assert notice_by_reference("KFM-12-345690-26").case_id is None  # a tenancy with no earlier notice


def test_broken_rows_are_reported_with_line_and_reason_and_good_rows_still_come_in(app: Flask) -> None:
    data = notice_file(
        row(referens="OK-1"),
        row(referens="BAD-CHECK", personnummer="201701012394"),
        "",
        row(referens="BAD-TYPE", typ="vräkning"),
        row(referens="BAD-DATE", uppsagning="2026-02-30"),
        row(referens="OK-2", personnummer="", adress="Annan gata 2"),
        row(referens="OK-1", namn="Samma referens igen"),
    )
    report = import_file(data, today=IMPORT_DAY)
    assert [r.reference for r in report.created] == ["OK-1", "OK-2"]
    reasons = dict(report.rejected)
    assert "kontrollsiffra" in reasons[3]
    assert "ingen känd typ" in reasons[5]  # the blank line 4 is skipped but still counted
    assert "finns inte" in reasons[6]
    assert "finns redan på rad 2" in reasons[8]
    assert notice_by_reference("OK-2").personnummer is None


def test_a_file_without_required_columns_is_refused_as_a_whole(app: Flask) -> None:
    data = "typ;referens;hyresvard\r\nuppsägning;X-1;Testbostäder AB\r\n".encode()
    report = import_file(data, today=IMPORT_DAY)
    assert report.file_problem is not None and "hyresgast_namn" in report.file_problem
    assert _count() == 0


def test_comma_separated_cp1252_with_trailing_columns_shuffled_headers_and_compact_dates(app: Flask) -> None:
    header = "Referens,TYP,Hyresgäst_Namn,hyresvärd,adress,Postnummer,ort,skuld_kr,uppsägning_datum,inkom_datum,,"
    lines = [header, "CP-1,uppsägning,Åsa Öberg,Bostäder Å AB,Storgatan 1,11860,Stockholm,\"12 500,50\",20261116,"
             "19/11/2026,,", ",,,,,,,,,,,", ""]
    report = import_file("\r\n".join(lines).encode("cp1252"), today=IMPORT_DAY)
    assert not report.rejected and len(report.created) == 1
    notice = notice_by_reference("CP-1")
    assert notice.tenant_name == "Åsa Öberg" and notice.amount_text == "12 500,50"
    assert notice.termination_date == date(2026, 11, 16) and notice.received_date == date(2026, 11, 19)


def test_a_row_with_more_values_than_headers_is_rejected(app: Flask) -> None:
    report = import_file(notice_file(row(referens="LONG") + ";oväntat värde"), today=IMPORT_DAY)
    assert report.rejected and "fler värden" in report.rejected[0][1]


def test_a_huge_file_imports_in_chunks_and_reports_every_row(app: Flask, backend: str) -> None:
    rows = [row(referens=f"HUGE-{index}", adress=f"Storgatan {index}") for index in range(2500)]
    rows[1234] = row(referens="HUGE-BAD", personnummer="123")
    report = import_file(notice_file(*rows), today=IMPORT_DAY)
    assert len(report.created) == 2499
    assert report.rejected == [(1236, "personnummer: personnumret ska ha 10 eller 12 siffror")]
    assert _count() == 2499
    if backend == "postgresql":
        # The planner was told the table grew (at 1,000 and 2,000 rows), so the next chunks' lookups used
        # their indexes instead of scanning; without it PostgreSQL still believes the table is empty.
        estimate = db.session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'notice'"))
        assert estimate is not None and estimate >= 2000


def test_an_empty_or_binary_file_is_refused(app: Flask) -> None:
    assert import_file(b"", today=IMPORT_DAY).file_problem == "Filen är tom."
    assert "ingen textfil" in (import_file(b"%PDF\x00\x01", today=IMPORT_DAY).file_problem or "")


def test_out_of_area_notice_is_flagged_not_dropped(app: Flask) -> None:
    app.config["OUTREACH_POSTAL_CODES"] = "116,118"
    import_rows(row(referens="IN"), row(referens="OUT", postnummer="411 01", ort="Göteborg", adress="Avenyn 1"))
    assert not notice_by_reference("IN").out_of_area
    assert notice_by_reference("OUT").out_of_area


def test_cli_imports_and_prints_the_report(app: Flask, runner: Any, tmp_path: Path) -> None:
    path = tmp_path / "notices.csv"
    path.write_bytes(notice_file(row(referens="CLI-1"), row(referens="CLI-2", typ="okänd")))
    result = runner.invoke(args=["notices", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Nya: 1" in result.output and "Rad 3: avvisad" in result.output and "ingen känd typ" in result.output
    again = runner.invoke(args=["notices", "import", str(path)])
    assert "upprepningar: 1" in again.output
    missing = tmp_path / "missing.csv"
    missing.write_text("typ;referens\r\n", encoding="utf-8")
    assert runner.invoke(args=["notices", "import", str(missing)]).exit_code == 1


def test_known_client_register_is_replaced_whole_and_a_bad_file_keeps_the_old(app: Flask, runner: Any,
                                                                               tmp_path: Path) -> None:
    assert import_register(sample("known-clients-sample.csv")).ok
    assert register_size() == 2
    client = get_known_client("200306062381")
    assert client is not None and client.email == "ekonomiskt.bistand@example.org"
    bad = tmp_path / "bad.csv"
    bad.write_text("personnummer;enhet;handlaggare;epost\r\n201701012393;Enhet;A;a@example.org\r\n"
                   "201701012394;Enhet;B;b@example.org\r\n", encoding="utf-8")
    result = runner.invoke(args=["known-clients", "import", str(bad)])
    assert result.exit_code == 1 and "Rad 3" in result.output
    assert register_size() == 2 and get_known_client("201701012393") is None
    good = tmp_path / "good.csv"
    good.write_text("personnummer;enhet;handlaggare;epost\r\n201701012393;Enhet;A;a@example.org\r\n",
                    encoding="utf-8")
    assert runner.invoke(args=["known-clients", "import", str(good)]).exit_code == 0
    assert register_size() == 1 and get_known_client("200306062381") is None
    empty = tmp_path / "empty.csv"
    empty.write_text("personnummer;enhet;handlaggare;epost\r\n", encoding="utf-8")
    assert runner.invoke(args=["known-clients", "import", str(empty)]).exit_code == 1
    assert register_size() == 1


def test_header_only_the_sample_header(app: Flask) -> None:
    report = import_file((HEADER + "\r\n").encode(), today=IMPORT_DAY)
    assert report.summary().startswith("Nya: 0")
