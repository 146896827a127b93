"""Equal windows of calendar months before and after a referral.

`add_months` keeps the day of the month where it can and otherwise takes the month's last
day (31 January plus one month is 28 or 29 February), so a window of N months always covers
N calendar months. The window before a referral on day R runs from R minus N months up to
the day before R; the window after runs from R up to the day before R plus N months.
"""

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier), or the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def windows(referral: date, months: int) -> tuple[tuple[date, date], tuple[date, date]]:
    """((first, last) day before, (first, last) day after): both inclusive."""
    before = (add_months(referral, -months), referral - timedelta(days=1))
    after = (referral, add_months(referral, months) - timedelta(days=1))
    return before, after


def which(day: date, referral: date, months: int) -> str | None:
    """'before', 'after' or None (outside both windows) for an event on `day`."""
    (b0, b1), (a0, a1) = windows(referral, months)
    if b0 <= day <= b1:
        return "before"
    if a0 <= day <= a1:
        return "after"
    return None


def month_offset(day: date, referral: date) -> int:
    """Which month relative to the referral an event falls in: 0 is the first month after
    (from the referral day), -1 the last month before, and so on."""
    offset = (day.year - referral.year) * 12 + (day.month - referral.month)
    if day.day < referral.day and add_months(referral, offset) > day:
        offset -= 1
    # A referral late in a longer month: the clamped day may already have passed.
    while add_months(referral, offset) > day:
        offset -= 1
    while add_months(referral, offset + 1) <= day:
        offset += 1
    return offset
