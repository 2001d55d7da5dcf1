"""The checklist rules, the amount and date parsing, and the area check, called directly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.applications.area import in_service_area, referral_for
from portal.applications.fields import parse_amount, parse_date
from portal.applications.models import PersonRole
from portal.applications.rules import DEFAULT_RULES, build_checklist, enabled_rules

BASE = {
    "partner": {"has_partner": "no"},
    "housing": {"housing": "rental", "rent": "6500"},
    "income": {"income_types": [], "income_amount": "0"},
    "benefits": {"received": [], "applied": [], "job_seeker": "no", "sick_leave": "no"},
    "assets": {"accounts": "1", "savings": "0", "car": "no", "property": "no", "other_assets": "no"},
    "costs": {"costs": ["living"]},
}


def _with(**pages: dict[str, object]) -> dict[str, dict[str, object]]:
    answers = {key: dict(value) for key, value in BASE.items()}
    for key, values in pages.items():
        answers[key] = {**answers.get(key, {}), **values}
    return answers


@pytest.mark.parametrize(("text", "expected"), [
    ("12 500", Decimal("12500")), ("12500,50", Decimal("12500.50")), ("12500.50", Decimal("12500.50")),
    ("12 500 kr", Decimal("12500")), ("4500:-", Decimal("4500")), ("12.500,50", Decimal("12500.50")),
    ("١٢٥٠٠", Decimal("12500")), ("12\u00a0500", Decimal("12500")), ("0", Decimal("0")),
])
def test_amounts_are_read_as_people_write_them(text: str, expected: Decimal) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["", "tolv", "12,5,0", "-100", "1,234"])
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the parser's only error
        parse_amount(text)


def test_dates_are_read_in_the_usual_forms_and_never_in_the_future() -> None:
    today = date(2026, 11, 22)
    assert parse_date("2019-04-23", today=today) == date(2019, 4, 23)
    assert parse_date("20190423", today=today) == date(2019, 4, 23)
    with pytest.raises(ValueError):  # noqa: PT011
        parse_date("2019-02-30", today=today)
    with pytest.raises(OverflowError):
        parse_date("2027-01-01", today=today)


def test_a_first_application_asks_for_accounts_tax_return_and_the_rental_papers() -> None:
    keys = [key for key, _ in build_checklist(_with())]
    assert keys == ["account_statements", "account_overview", "tax_return", "rental_contract", "rent_notice"]


def test_each_adult_gets_their_own_account_statements_and_their_own_pay_slips() -> None:
    answers = _with(partner={"has_partner": "yes", "partner_personnummer": "20170101-2393"},
                    income={"income_types": [], "partner_income_types": ["salary"], "income_amount": "0",
                            "partner_income_amount": "9000"})
    needed = build_checklist(answers)
    assert ("account_statements", PersonRole.APPLICANT) in needed
    assert ("account_statements", PersonRole.CO_APPLICANT) in needed
    assert ("payslips", PersonRole.CO_APPLICANT) in needed
    assert ("payslips", PersonRole.APPLICANT) not in needed


def test_answers_call_for_the_documents_that_prove_them() -> None:
    answers = _with(income={"income_types": ["unemployment", "student"]},
                    benefits={"received": ["housing_allowance"], "job_seeker": "yes", "sick_leave": "yes"},
                    assets={"car": "yes", "property": "yes", "other_assets": "yes"},
                    costs={"costs": ["electricity", "home_insurance", "glasses"]})
    keys = {key for key, _ in build_checklist(answers)}
    assert {"akassa_decision", "csn_decision", "fk_decision", "af_plan", "medical_certificate", "vehicle_papers",
            "property_papers", "securities_statement", "electricity_bill", "insurance_bill",
            "cost_estimate"} <= keys


def test_no_rental_papers_without_a_rented_home() -> None:
    keys = {key for key, _ in build_checklist(_with(housing={"housing": "no_home", "rent": ""}))}
    assert "rental_contract" not in keys and "rent_notice" not in keys


def test_a_repeat_application_asks_only_for_monthly_documents_and_what_changed() -> None:
    previous = _with()
    unchanged = [key for key, _ in build_checklist(_with(), previous=previous)]
    assert unchanged == ["account_statements", "rent_notice"]
    moved = [key for key, _ in build_checklist(_with(housing={"housing": "sublet", "rent": "7000"}),
                                               previous=previous)]
    assert "rental_contract" in moved and "tax_return" not in moved


def test_a_municipality_chooses_its_rules_by_key() -> None:
    assert enabled_rules("") == DEFAULT_RULES
    chosen = enabled_rules("rent_notice, account_statements")
    assert [rule.key for rule in chosen] == ["rent_notice", "account_statements"]
    assert [key for key, _ in build_checklist(_with(), rules=chosen)] == ["rent_notice", "account_statements"]
    with pytest.raises(ValueError, match="no_such_rule"):
        enabled_rules("no_such_rule")


def test_the_area_is_postal_codes_or_prefixes() -> None:
    assert in_service_area("123 45", "")
    assert in_service_area("123 45", "123,124 56")
    assert in_service_area("12456", "123,124 56")
    assert not in_service_area("125 00", "123,124 56")
    assert in_service_area(None, "123")  # no address: nobody is flagged on a guess
    assert referral_for("125 00", "12=Stadsdel Norr; 125=Stadsdel Syd") == "Stadsdel Syd"
    assert referral_for("999 99", "12=Stadsdel Norr") is None
