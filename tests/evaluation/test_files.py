"""The file readers: dates, postcodes, and any bytes at all give rows or named problems."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from soclocal.core.imports import Problems, TooManyProblems
from soclocal.evaluation.files import (
    clean_postcode,
    parse_date,
    read_cohort,
    read_police_events,
    read_police_people,
)

FAST = settings(max_examples=80, deadline=None)


@FAST
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_read_as_iso_or_day_first(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == day
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}") == day


@FAST
@given(st.text(max_size=12))
def test_anything_read_as_a_date_was_written_as_that_date(text):
    day = parse_date(text)
    if day is not None:
        written = text.strip()
        uk = [int(part) for part in written.split("/")] if "/" in written else None
        assert written == day.isoformat() or uk == [day.day, day.month, day.year]


@FAST
@given(st.sampled_from(["NG1 1AA", "ng71bn", " NG7  2AB ", "SW1A 1AA", "B1 1AA"]))
def test_postcodes_are_tidied_and_stay_tidy(raw):
    tidy = clean_postcode(raw)
    assert tidy and tidy == tidy.upper() and tidy.count(" ") == 1
    assert clean_postcode(tidy) == tidy


def test_blank_and_junk_postcodes():
    assert clean_postcode("") == "" and clean_postcode("   ") == ""
    assert clean_postcode("not a postcode") is None


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_give_rows_or_problems_never_a_crash(data):
    for read in (lambda d, p: read_police_people(d, p),
                 lambda d, p: read_police_events(d, p, None),
                 lambda d, p: read_cohort(d, p)):
        problems = Problems("file.csv")
        try:
            rows = read(data, problems)
        except TooManyProblems:
            continue
        assert rows or problems
        assert all(str(p).startswith("file.csv") for p in problems)
