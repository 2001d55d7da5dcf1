"""Exports that open right (issue 27 point 7): the CSV as Swedish Excel on Windows expects it, chart labels that
fit, and series told apart by pattern as well as colour."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from portal.roles import Role
from portal.statistics import charts
from portal.statistics.tables import Table
from tests.factories import PASSWORD, create_staff_user
from tests.pages import login_staff


def test_the_csv_has_a_byte_order_mark_semicolons_and_safe_cells(app: Flask, client: FlaskClient) -> None:
    user = create_staff_user(role=Role.COORDINATOR)
    login_staff(client, user.email, PASSWORD)
    response = client.get("/staff/statistik/intake/new_by_week.csv?from=2026-09-01&to=2026-12-31")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads å, ä, ö right
    header = body[3:].decode("utf-8").split("\r\n")[0]
    assert ";" in header and "," not in header


def _table(labels: list[str]) -> Table:
    return Table(key="states", title="Ärenden per tillstånd", columns=["Tillstånd", "Ärenden", "Varav akuta"],
                 rows=[[label, 10 + n, 2] for n, label in enumerate(labels)])


def test_chart_labels_are_whole_words_on_lines_that_fit() -> None:
    labels = ["Ny", "Under granskning", "Väntar på den sökande", "Klar för fördelning", "Fördelad",
              "Överlämnad", "Avslutad"]
    svg = str(charts.bar_chart(_table(labels)))
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert "Under granskni" not in svg
    assert "Under" in lines and "granskning" in lines  # broken between the words, not cut
    group = (charts.WIDTH - charts.LEFT - 8) / len(labels)
    assert all(len(line) * charts.CHAR_WIDTH <= group for line in lines)
    assert charts.label_lines("Under granskning", 200) == ["Under granskning"]
    assert charts.label_lines("a b c d e f g h i j", 24)[-1].endswith("…")


def test_series_differ_by_pattern_not_only_colour() -> None:
    svg = str(charts.bar_chart(_table(["Ny", "Fördelad"])))
    patterns = re.findall(r'<pattern id="([^"]+)"', svg)
    assert len(patterns) == 2
    bodies = re.findall(r"<pattern[^>]*>(.*?)</pattern>", svg)
    textures = [re.sub(r'fill="#[0-9a-f]{6}"', "", body) for body in bodies]
    assert textures[0] != textures[1]  # the shapes differ, whatever the colours
    for ident in patterns:  # the bars and the legend swatch both use each series' pattern
        assert svg.count(f'fill="url(#{ident})"') >= 2
