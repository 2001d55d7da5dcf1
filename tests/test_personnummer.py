"""Personnummer and samordningsnummer parsing."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.personnummer import InvalidIdentityNumber, Kind, Problem, parse


@pytest.mark.parametrize("written", ["201701012393", "20170101-2393", "170101-2393", "1701012393", " 20170101 - 2393 "])
def test_every_written_form_is_stored_with_twelve_digits(written: str) -> None:
    assert parse(written.replace(" - ", "-"), today=date(2026, 11, 22)).digits == "201701012393"


def test_samordningsnummer_is_recognised_with_the_real_birth_date() -> None:
    number = parse("701063-2391", today=date(2026, 11, 22))
    assert number.kind is Kind.SAMORDNINGSNUMMER
    assert number.digits == "197010632391"
    assert number.birth_date == date(1970, 10, 3)


def test_plus_separator_means_a_hundred_years_or_older() -> None:
    assert parse("121212+1212", today=date(2026, 11, 22)).digits == "191212121212"


@pytest.mark.parametrize(("written", "problem"), [
    ("201701012394", Problem.CHECKSUM),
    ("20170101239", Problem.FORMAT),
    ("abc", Problem.FORMAT),
    ("", Problem.FORMAT),
])
def test_invalid_numbers_say_why(written: str, problem: Problem) -> None:
    with pytest.raises(InvalidIdentityNumber) as caught:
        parse(written)
    assert caught.value.problem is problem


def test_impossible_date_with_a_valid_check_digit_is_refused_for_its_date() -> None:
    # 20170231: 31 February. Digits chosen so that the Luhn check passes.
    from stdnum import luhn

    stem = "170231239"
    number = stem + luhn.calc_check_digit(stem)
    with pytest.raises(InvalidIdentityNumber) as caught:
        parse(number)
    assert caught.value.problem is Problem.DATE


@given(st.text(max_size=30))
def test_no_input_crashes_the_parser(text: str) -> None:
    try:
        result = parse(text)
    except InvalidIdentityNumber as error:
        assert error.problem in Problem
    else:
        assert len(result.digits) == 12 and result.digits.isdigit()
