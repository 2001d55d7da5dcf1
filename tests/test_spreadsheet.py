"""Every CSV we write neutralises cells a spreadsheet would run (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask import Flask

from portal.letters import print_batch
from portal.spreadsheet import safe_cell
from portal.statistics.service import table_csv
from portal.statistics.tables import Table
from tests.letters.test_letters import add, today


@pytest.mark.parametrize(("value", "written"), [
    ("=HYPERLINK(\"http://x\",\"klicka\")", "'=HYPERLINK(\"http://x\",\"klicka\")"), ("+1", "'+1"),
    ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("HV-2026-0412", "HV-2026-0412"), ("", ""), (12, 12), (-5, -5), (None, None)])
def test_a_cell_that_starts_like_a_formula_gets_a_quote(value: object, written: object) -> None:
    assert safe_cell(value) == written


def test_the_print_manifest_neutralises_a_landlords_formula(app: Flask, tmp_path: Path) -> None:
    from portal.db import db

    plain = add("Brev-ett", pages=1, reference="R1")
    formula = add("Brev-tva", pages=1, reference='=HYPERLINK("http://evil.example/","R2")')
    db.session.commit()
    folder = print_batch.export_print_batch(today(), tmp_path)
    text = (folder / "manifest.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert rows[1] == [str(plain.id), "R1", "1", "sv", plain.sha256]
    assert rows[2] == [str(formula.id), "'=HYPERLINK(\"http://evil.example/\",\"R2\")", "1", "sv", formula.sha256]
    # Every other byte as FORMATS.md §4 says: the header, ';', '\n' line ends.
    assert text.startswith("letter_id;notice_referens;pages;language;sha256\n") and "\r" not in text


def test_the_statistics_csv_neutralises_formula_cells() -> None:
    table = Table(key="t", title="T", columns=["=cmd", "Antal"], rows=[["@evil", 3], ["Vanlig", 4]])
    rows = list(csv.reader(io.StringIO(table_csv(table)), delimiter=";"))
    assert rows == [["'=cmd", "Antal"], ["'@evil", "3"], ["Vanlig", "4"]]
