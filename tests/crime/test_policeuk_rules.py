"""`policeuk.any_bad`, the one predicate the quick way tests every row with, is true of
exactly the rows that break one of the rules `policeuk.checks` names."""

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from soclocal.crime import policeuk

POOLS = {
    "month": ["2023-01", "2023-02", "2023-13", "2023-1", "", "Jan 2023"],
    "reported_by": ["Nottinghamshire Police", ""],
    "longitude": ["-1.150000", "", "2.5", "-9", "abc", "1e-1", " -1.2", "nan"],
    "latitude": ["52.950000", "", "61.0", "49", "north", "inf"],
    "lsoa_code": ["E01013810", "W01000001", "", "Q01013810", "E0101381", "E01013810 "],
    "crime_type": ["Burglary", "Drugs", "Fraud", ""],
    "last_outcome_category": ["", "Under investigation", "Sorted"],
    "outcome_type": ["Suspect charged", "", "Sorted"],
    "soc_marker": [None, "", "yes", " Y ", "maybe", "0"],
    "type": ["Person search", "Vehicle search", "Bag search"],
    "date": ["2023-01-31T14:05:00+00:00", "2023-02-01T00:00:00+00:00", "2023-01-31", "soon",
             ""],
    "object_of_search": ["", "Controlled drugs", "Snacks"],
    "part_of_a_policing_operation": ["", "True", "false", "yes"],
    "outcome_linked_to_object_of_search": ["", "FALSE", "no"],
    "removal_of_more_than_just_outer_clothing": ["", "true", "1"],
}


@st.composite
def row(draw, columns):
    """A good row (each pool's first value) with up to two values changed."""
    values = {c: POOLS.get(c, ["text"])[0] for c in columns}
    for column in draw(st.lists(st.sampled_from(columns), max_size=2)):
        values[column] = draw(st.sampled_from(POOLS.get(column, ["", "text"])))
    return values


def rows_of(kind):
    columns = [policeuk.snake(c)
               for c in policeuk.HEADERS[kind] + policeuk.OPTIONAL_HEADERS.get(kind, [])]
    # A file's month is known from its name (and then is a month), or not known.
    return st.tuples(st.sampled_from([None, "2023-01"]),
                     st.lists(row(columns), min_size=1, max_size=20))


def agree(kind, file_month, rows):
    con = duckdb.connect()
    columns = list(rows[0])
    con.execute(f"CREATE TABLE r ({', '.join(f'{c} VARCHAR' for c in columns)}, "
                "file_month VARCHAR)")
    con.executemany(f"INSERT INTO r VALUES ({', '.join('?' for _ in columns)}, ?)",
                    [[*(r[c] for c in columns), file_month] for r in rows])
    every_rule = " OR ".join(f"coalesce({p}, false)" for _, p, _ in policeuk.checks(kind))
    found = con.execute(f"SELECT {policeuk.any_bad(kind)}, {every_rule} FROM r").fetchall()
    assert [fast for fast, _ in found] == [slow for _, slow in found]
    return found


@settings(max_examples=60, deadline=None)
@given(case=rows_of("street"))
def test_street_rows(case):
    agree("street", *case)


@settings(max_examples=40, deadline=None)
@given(case=rows_of("outcomes"))
def test_outcome_rows(case):
    agree("outcomes", *case)


@settings(max_examples=40, deadline=None)
@given(case=rows_of("stop_search"))
def test_stop_and_search_rows(case):
    agree("stop_search", *case)


def test_a_good_row_and_a_bad_one_are_told_apart():
    good = {policeuk.snake(h): POOLS.get(policeuk.snake(h), ["text"])[0]
            for h in policeuk.HEADERS["street"] + ["SOC marker"]}
    bad = {**good, "longitude": "2.5"}
    assert agree("street", "2023-01", [good, bad]) == [(False, False), (True, True)]
