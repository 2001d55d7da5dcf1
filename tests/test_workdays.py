"""The working-day calendar."""

from datetime import date

import pytest

from portal.workdays import add_working_days, holiday_name, is_working_day, legal_deadline, working_days_between


@pytest.mark.parametrize("day", ["2026-06-19", "2026-12-24", "2026-12-31", "2026-12-25", "2026-01-06", "2026-06-06"])
def test_holidays_and_eves_are_not_working_days(day: str) -> None:
    assert not is_working_day(date.fromisoformat(day))


@pytest.mark.parametrize("day", ["2026-12-23", "2026-12-28", "2026-06-18", "2026-11-23"])
def test_ordinary_weekdays_are_working_days(day: str) -> None:
    assert is_working_day(date.fromisoformat(day))


def test_weekends_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 11, 21))
    assert not is_working_day(date(2026, 11, 22))


def test_three_week_deadline_on_christmas_eve_rolls_past_the_holiday_weekend() -> None:
    # 3 December + 3 weeks = Thursday 24 December (Christmas Eve); 25, 26, 27 are holidays/weekend.
    assert legal_deadline(date(2026, 12, 3), weeks=3) == date(2026, 12, 28)


def test_deadline_on_new_years_eve_rolls_to_the_next_working_day() -> None:
    # 31 Dec is an eve, 1 Jan a holiday, 2–3 Jan a weekend: next is Monday 4 January 2027.
    assert legal_deadline(date(2026, 12, 10), weeks=3) == date(2027, 1, 4)


def test_adding_working_days_skips_the_christmas_holidays() -> None:
    assert add_working_days(date(2026, 12, 22), 3) == date(2026, 12, 29)


def test_working_days_between_counts_only_working_days() -> None:
    assert working_days_between(date(2026, 12, 22), date(2026, 12, 29)) == 3
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 22)) == -3


def test_eves_have_their_swedish_names() -> None:
    assert holiday_name(date(2026, 6, 19)) == "Midsommarafton"
    assert holiday_name(date(2026, 11, 23)) is None
