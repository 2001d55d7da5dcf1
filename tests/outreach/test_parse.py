"""Reading notice fields as senders write them (FORMATS.md §1), and the deadline and priority rules."""

from __future__ import annotations

from datetime import date

import pytest

from outreach.notices import rules
from outreach.notices.models import Children, NoticeKind
from outreach.notices.parse import column_name, parse_amount, parse_date, parse_datetime, read_notice

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize("text", ["2026-11-03", "20261103", "3/11/2026", "03/11/2026", "3.11.2026"])
def test_every_date_form_senders_use_is_read_day_first(text: str) -> None:
    assert parse_date(text) == date(2026, 11, 3)


@pytest.mark.parametrize("text", ["2026-02-30", "31/04/2026", "20261301", "1899-01-01", "igår", "11/3"])
def test_impossible_dates_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ValueError, match=r"datum|året"):
        parse_date(text)


def test_eviction_time_is_read_as_swedish_local_time() -> None:
    at, day = parse_datetime("2026-12-08 09:00")
    assert day == date(2026, 12, 8)
    assert at.isoformat() == "2026-12-08T08:00:00+00:00"  # 09:00 in Stockholm in winter


@pytest.mark.parametrize(("text", "ore"), [("12 500", 1250000), ("12500,50", 1250050), ("12500.50", 1250050),
                                           ("7 200,5", 720050), ("12.500,50", 1250050), ("12 500 kr", 1250000),
                                           ("12\u00a0500", 1250000)])
def test_amounts_in_every_written_form(text: str, ore: int) -> None:
    assert parse_amount(text) == ore


def test_a_non_amount_is_refused() -> None:
    with pytest.raises(ValueError, match="belopp"):
        parse_amount("tolv tusen")


@pytest.mark.parametrize(("header", "column"), [("Hyresgäst_Namn", "hyresgast_namn"), ("\ufeffTYP", "typ"),
                                                ("lägenhet storlek", "lagenhet_storlek"), ("tenant_name",
                                                                                           "hyresgast_namn"),
                                                ("Rättelse_av", "rattelse_av")])
def test_headers_in_any_case_with_or_without_swedish_letters(header: str, column: str) -> None:
    assert column_name(header) == column


def _values(**changes: str) -> dict[str, str]:
    values = {"typ": "uppsägning", "referens": "R-1", "hyresvard": "Testbostäder AB", "hyresgast_namn": "Test",
              "personnummer": "201701012393", "adress": "Testgatan 1", "postnummer": "118 60", "ort": "Stockholm",
              "skuld_kr": "12 500", "uppsagning_datum": "2026-11-16"}
    values.update(changes)
    return values


def test_a_good_notice_keeps_the_amount_exactly_as_received() -> None:
    notice, problems = read_notice(_values(skuld_kr="12 500,50 "), today=TODAY)
    assert not problems and notice is not None
    assert notice.amount_text == "12 500,50" and notice.amount_ore == 1250050
    assert notice.received_date == TODAY  # inkom_datum defaults to the import date
    assert notice.postal_code == "11860" and notice.children == Children.UNKNOWN


@pytest.mark.parametrize("number", ["20170101-2393", "170101-2393", "1701012393", "201701012393"])
def test_personnummer_with_10_or_12_digits_and_separators(number: str) -> None:
    notice, _ = read_notice(_values(personnummer=number), today=TODAY)
    assert notice is not None and notice.personnummer == "201701012393"


@pytest.mark.parametrize(("changes", "column", "reason"), [
    ({"personnummer": "201701012394"}, "personnummer", "kontrollsiffra"),
    ({"typ": "vräkning"}, "typ", "ingen känd typ"),
    ({"skuld_kr": ""}, "skuld_kr", "krävs för uppsägning"),
    ({"uppsagning_datum": "2026-02-30"}, "uppsagning_datum", "finns inte"),
    ({"postnummer": "1186"}, "postnummer", "fem siffror"),
    ({"hyresgast_namn": ""}, "hyresgast_namn", "saknas"),
    ({"typ": "avhysning"}, "avhysning_datum", "krävs för avhysning"),
    ({"barn_i_hushallet": "kanske"}, "barn_i_hushallet", "ja, nej eller okänt"),
])
def test_each_problem_names_its_column_in_plain_swedish(changes: dict[str, str], column: str, reason: str) -> None:
    notice, problems = read_notice(_values(**changes), today=TODAY)
    assert notice is None
    assert any(col == column and reason in text for col, text in problems.items), problems.items


def test_recovery_deadline_is_three_weeks_from_the_later_date_rolled_to_a_working_day() -> None:
    # Served 2026-12-03, received 2026-12-01: three weeks from the 3rd is Christmas Eve, not a working day.
    deadline = rules.recovery_deadline(NoticeKind.TERMINATION, served=date(2026, 12, 3), received=date(2026, 12, 1))
    assert deadline == date(2026, 12, 28)
    assert rules.recovery_deadline(NoticeKind.TERMINATION, served=None, received=date(2026, 11, 19)) == \
        date(2026, 12, 10)
    assert rules.recovery_deadline(NoticeKind.DISTURBANCE, served=None, received=date(2026, 11, 19)) is None


def test_the_nearest_deadline_comes_first_and_children_raise_the_priority() -> None:
    near = rules.priority(deadline=date(2026, 11, 30), today=TODAY, children=False, kind=NoticeKind.TERMINATION)
    far = rules.priority(deadline=date(2026, 12, 14), today=TODAY, children=False, kind=NoticeKind.TERMINATION)
    far_children = rules.priority(deadline=date(2026, 12, 14), today=TODAY, children=True,
                                  kind=NoticeKind.TERMINATION)
    assert near > far
    assert far_children > far
    assert rules.effective_deadline(recovery=date(2026, 12, 10), eviction=date(2026, 12, 8),
                                    received=TODAY) == date(2026, 12, 8)


def test_area_is_configured_by_postal_code_prefixes() -> None:
    area = rules.parse_area("116, 118 60")
    assert rules.in_area("11860", area) and rules.in_area("11622", area)
    assert not rules.in_area("41101", area)
    assert rules.in_area("41101", ())
