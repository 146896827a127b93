"""The system's own figures as indicators (decision 0042).

An indicator of one of these kinds is worked out from the records for each period, for the
LSOAs and data zones with uploaded figures in that period:

  crime               street crimes recorded in the period's months (one police.uk crime type,
                      or every type), from the crime store; no figure when the store holds
                      none of those months
  cases               early-intervention cases open at some time in the period, by the young
                      person's home area; no figure when no area has one
  intelligence        intelligence reports made in the period naming an address in the area;
                      no figure when no area has one
  deprivation_domain  the loaded deprivation domain score (e.g. income), like `deprivation`

Counts become rates per 1,000 residents exactly as an uploaded count without a denominator
does, and are hidden below the indicator's threshold when shared.
"""

import calendar as cal
from datetime import date

from soclocal.cases import selectors as cases
from soclocal.intelligence import selectors as intelligence

from .models import Indicator

DOMAINS = ["income", "employment", "education", "health", "crime", "housing_and_services",
           "environment"]


def period_range(period: str) -> tuple[date, date, list[str]]:
    """First day, last day and months (YYYY-MM) of a period written YYYY, YYYY-Qn or YYYY-MM."""
    year = int(period[:4])
    if len(period) == 4:
        months = list(range(1, 13))
    elif period[5] == "Q":
        q = int(period[6])
        months = list(range(3 * q - 2, 3 * q + 1))
    else:
        months = [int(period[5:7])]
    last = months[-1]
    return (date(year, months[0], 1), date(year, last, cal.monthrange(year, last)[1]),
            [f"{year}-{m:02d}" for m in months])


def counts(indicator: Indicator, period: str, areas: dict) -> dict | None:
    """{area id: count} for every area in `areas` ({id: Area}), or None for no figure."""
    start, end, months = period_range(period)
    if indicator.kind == Indicator.Kind.CRIME:
        # Imported here: the crime store brings DuckDB, which no command needs at start.
        from soclocal.crime import selectors as crime

        by_code = crime.street_crimes_by_lsoa(months, indicator.detail)
        if by_code is None:
            return None
        return {pk: by_code.get(a.code, 0) for pk, a in areas.items()}
    if indicator.kind == Indicator.Kind.CASES:
        found = cases.open_cases_by_area(start, end)
    elif indicator.kind == Indicator.Kind.INTELLIGENCE:
        found = intelligence.reports_by_area(start, end)
    else:
        raise ValueError(f"'{indicator.kind}' is not a counted system indicator")
    out = {pk: found.get(pk, 0) for pk in areas}
    # No record at all in the period (before the system was in use): no figure, not zeros.
    return out if any(out.values()) else None
