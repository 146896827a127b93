"""Working days for NRM deadlines: weekends and bank holidays are not working days.

The bank holidays are kept here for 2024 to 2027, copied from GOV.UK's published list
(https://www.gov.uk/bank-holidays, also https://www.gov.uk/bank-holidays.json), which gives
England and Wales and Scotland separately. A date outside those years is refused rather than
guessed (decision 0036): add the next year's list here when GOV.UK publishes it.
"""

from datetime import date, timedelta

FIRST_YEAR, LAST_YEAR = 2024, 2027


def _dates(*isos):
    return frozenset(date.fromisoformat(d) for d in isos)


BANK_HOLIDAYS = {
    "england-and-wales": _dates(
        "2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
        "2024-12-25", "2024-12-26",
        "2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
        "2025-12-25", "2025-12-26",
        "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
        "2026-12-25", "2026-12-28",
        "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
        "2027-12-27", "2027-12-28",
    ),
    "scotland": _dates(
        "2024-01-01", "2024-01-02", "2024-03-29", "2024-05-06", "2024-05-27", "2024-08-05",
        "2024-12-02", "2024-12-25", "2024-12-26",
        "2025-01-01", "2025-01-02", "2025-04-18", "2025-05-05", "2025-05-26", "2025-08-04",
        "2025-12-01", "2025-12-25", "2025-12-26",
        "2026-01-01", "2026-01-02", "2026-04-03", "2026-05-04", "2026-05-25", "2026-08-03",
        "2026-11-30", "2026-12-25", "2026-12-28",
        "2027-01-01", "2027-01-04", "2027-03-26", "2027-05-03", "2027-05-31", "2027-08-02",
        "2027-11-30", "2027-12-27", "2027-12-28",
    ),
}

REASONABLE_GROUNDS_DAYS = 5


class OutsideKnownYears(ValueError):
    pass


def is_working_day(day: date, jurisdiction: str) -> bool:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise OutsideKnownYears(f"bank holidays are known only for {FIRST_YEAR} to {LAST_YEAR}")
    return day.weekday() < 5 and day not in BANK_HOLIDAYS[jurisdiction]


def add_working_days(start: date, days: int, jurisdiction: str) -> date:
    """The date `days` working days after `start` (the start day itself does not count)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day, jurisdiction):
            left -= 1
    return day


def reasonable_grounds_due(referral_date: date, jurisdiction: str) -> date:
    return add_working_days(referral_date, REASONABLE_GROUNDS_DAYS, jurisdiction)
