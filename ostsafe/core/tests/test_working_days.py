from datetime import date

from ostsafe.core.working_days import add_working_days, is_working_day


def test_a_working_day_after_friday_is_monday():
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)


def test_bank_holidays_are_skipped_at_christmas_with_the_observed_boxing_day():
    # Thursday 24 December 2026: Christmas Day (Friday) and Boxing Day observed (Monday 28th) are not working days.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert not is_working_day(date(2026, 12, 28))


def test_easter_monday_is_not_a_working_day():
    assert add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)  # Good Friday 26th, Easter Monday 29th


def test_zero_working_days_is_the_same_day():
    assert add_working_days(date(2026, 11, 24), 0) == date(2026, 11, 24)
