"""Windows of calendar months around a referral, at month ends and across leap years."""

import calendar
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from soclocal.evaluation.windows import add_months, month_offset, which, windows

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
months = st.integers(min_value=1, max_value=36)


def test_month_ends_clamp_to_the_last_day():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2024, 8, 31), -6) == date(2024, 2, 29)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)
    before, after = windows(date(2024, 3, 31), 1)
    assert before == (date(2024, 2, 29), date(2024, 3, 30))
    assert after == (date(2024, 3, 31), date(2024, 4, 29))


@settings(deadline=None)  # a loaded machine is slow, not wrong
@given(days, st.integers(min_value=-120, max_value=120))
def test_add_months_lands_in_the_right_month_on_the_right_day(day, n):
    moved = add_months(day, n)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == n
    last = calendar.monthrange(moved.year, moved.month)[1]
    assert moved.day == min(day.day, last)


@settings(deadline=None)  # a loaded machine is slow, not wrong
@given(days, months)
def test_windows_are_adjacent_and_cover_n_calendar_months(referral, n):
    (b0, b1), (a0, a1) = windows(referral, n)
    assert b1 + timedelta(days=1) == referral == a0
    assert b0 == add_months(referral, -n) and a1 == add_months(referral, n) - timedelta(days=1)
    # N calendar months are between 28N and 31N days long.
    for length in ((b1 - b0).days + 1, (a1 - a0).days + 1):
        assert 28 * n - 3 <= length <= 31 * n


@settings(deadline=None)  # a loaded machine is slow, not wrong
@given(days, months, st.integers(min_value=-1200, max_value=1200))
def test_each_day_falls_in_one_window_and_its_month_from_referral_agrees(referral, n, shift):
    day = referral + timedelta(days=shift)
    offset = month_offset(day, referral)
    # The month from referral is the last whole number of months that has begun by the day.
    assert add_months(referral, offset) <= day < add_months(referral, offset + 1)
    expected = "before" if -n <= offset < 0 else "after" if 0 <= offset < n else None
    assert which(day, referral, n) == expected
